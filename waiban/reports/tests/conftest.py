import datetime as dt

import pytest
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.reports import services
from waiban.testing.factories import DelegationFactory, UnitFactory, UserFactory
from waiban.visits.states import State

# A short text long enough for every section of the template.
SECTION = "与德方经济部门会谈三次，签署合作备忘录一份。"


def back_home_case(unit, clerk, *, days_ago=2, **kwargs):
    """An approved trip of 7 days (Berlin 4 days, Paris), back home ``days_ago`` days ago."""
    today = timezone.localdate()
    returned = today - dt.timedelta(days=days_ago)
    case = DelegationFactory(
        unit=unit,
        created_by=clerk,
        approved=True,
        departure_date=returned - dt.timedelta(days=6),
        return_date=returned,
        **kwargs,
    )
    case.state = State.BACK_HOME
    case.save()
    return case


def as_approved(case) -> list[dict]:
    return [
        {
            "country": str(s.country),
            "city": s.city,
            "arrival_date": s.arrival_date,
            "departure_date": s.departure_date,
            "is_transit": False,
            "is_airside": False,
        }
        for s in case.stops.all()
    ]


def report_data(**over) -> dict:
    data = {
        "title": "赴德国、法国经贸考察报告",
        "purpose": SECTION,
        "counterparts": "德国联邦经济部 亚洲司司长",
        "results": SECTION + "双方同意设立联络处。",
        "follow_up": "年内回访",
        "cost_note": "",
        "actual_cost": None,
        "internal_requested": False,
        "internal_reason": "",
        "activities": [{"country": "DE", "city": "柏林", "text": SECTION}],
    }
    data.update(over)
    return data


def accepted_report(case, clerk, reviewer, *, publish=True, **data):
    services.actual_itinerary_save(delegation=case, actor=clerk, stops=as_approved(case))
    report = services.report_save(delegation=case, actor=clerk, data=report_data(**data))
    services.report_submit(report=report, actor=clerk)
    return services.report_accept(report=report, actor=reviewer, publish=publish)


def disclose(case, clerk):
    """Both public notices posted, the day the delegation came back."""
    from waiban.reports.disclosure import disclosure_record

    for kind in ("before", "after"):
        disclosure_record(
            delegation=case, actor=clerk, kind=kind, posted_on=case.return_date, place="公示栏"
        )


@pytest.fixture
def case(unit, clerk):
    return back_home_case(unit, clerk)


@pytest.fixture
def reviewer(staff):
    return staff["reviewer"]


@pytest.fixture
def other_clerk(authority):
    """The clerk of another unit of the same province."""
    return UserFactory(role=Role.UNIT_CLERK, unit=UnitFactory(authority=authority))
