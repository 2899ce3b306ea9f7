import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from waiban.plans import services
from waiban.testing.factories import DelegationFactory
from waiban.visits.states import State

YEAR = timezone.localdate().year


def item_data(**overrides):
    data = {
        "purpose": "经贸合作洽谈",
        "countries": ["DE", "FR"],
        "people": 3,
        "trips": 2,
        "budget": Decimal("100000"),
        "quarter": 4,  # the trips of these tests leave in November
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_plan(clerk, staff):
    """A plan of the clerk's unit brought to ``state`` through the services."""

    def make(state="approved", items=None, totals=None, year=YEAR):
        plan = services.plan_create(actor=clerk, year=year)
        for data in items or [item_data()]:
            services.plan_item_save(plan=plan, actor=clerk, data=data)
        if state == "draft":
            return plan
        plan = services.plan_submit(plan=plan, actor=clerk)
        if state == "submitted":
            return plan
        services.plan_opinion_add(plan=plan, actor=staff["reviewer"], opinion="同意", agrees=True)
        services.plan_opinion_add(plan=plan, actor=staff["supervisor"], opinion="同意", agrees=True)
        if state == "under_joint_review":
            plan.refresh_from_db()
            return plan
        if state == "returned":
            return services.plan_return(plan=plan, actor=staff["division_head"], reason="补充说明")
        planned = services.planned_totals(plan)
        return services.plan_approve(
            plan=plan, actor=staff["division_head"], **{**planned, **(totals or {})}
        )

    return make


@pytest.fixture
def trip(unit):
    """A delegation of the unit departing this year; ``state`` as in the workflow."""

    def make(state=State.DRAFT, members=3, **kwargs):
        traits = {} if state == State.DRAFT else {"submitted": True, "state": state}
        departure = dt.date(YEAR, 11, 2)
        return DelegationFactory(
            unit=unit,
            members=members,
            departure_date=departure,
            return_date=departure + dt.timedelta(days=6),
            **traits,
            **kwargs,
        )

    return make
