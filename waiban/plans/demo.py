"""Demo annual plans: call ``create_demo_plans()`` from seed_demo after the showcase cases.

Each unit with a clerk gets a plan for the year walked through the real services (drafted,
submitted, opinions of the reviewer and the supervisor, totals approved), so its history and
audit trail are genuine; its items are drawn up for the unit's delegations departing that
year (countries and quarter), which are then linked to them.
"""

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from waiban.accounts.models import Unit, User
from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.audit import audit_record
from waiban.core.errors import ServiceError
from waiban.plans import services
from waiban.plans.models import AnnualPlan, PlanUse
from waiban.plans.usage import NOT_COUNTED_STATES
from waiban.visits.models import Delegation
from waiban.visits.states import EDITABLE_STATES

PURPOSES = [
    ("经贸合作洽谈与项目对接", ["DE", "FR"]),
    ("参加国际学术会议", ["JP"]),
    ("友好城市交流访问", ["VN", "TH"]),
    ("人才培训与考察", ["SG", "MY"]),
    ("农业技术合作考察", ["NZ", "AU"]),
    ("文化旅游推介", ["GB", "IT", "ES"]),
]


def _office_user(unit, role):
    for user in User.objects.filter(role=role, is_active=True).order_by("pk"):
        if unit.authority_id in visible_authority_ids(user):
            return user
    return None


def _quarter(day) -> int:
    return (day.month - 1) // 3 + 1


def _items_for(delegations, rng) -> list[dict]:
    """The items the unit would have planned for its trips: one per quarter they leave in,
    for the countries they go to (a trip linked to an item it does not match is a warning of
    the in-plan rule), with room for the trips already under way, and a little more (or a
    little less: the demo shows every colour of the overview). Without trips, a few of the
    usual purposes."""
    by_quarter: dict[int, list] = {}
    for delegation in delegations:
        by_quarter.setdefault(_quarter(delegation.departure_date), []).append(delegation)
    items = []
    for quarter, trips in sorted(by_quarter.items()):
        countries = sorted(
            {str(s.country) for d in trips for s in d.stops.all() if not s.is_transit}
        )
        counted = sum(d.state not in NOT_COUNTED_STATES for d in trips)
        people = max(1, max(d.members.count() for d in trips))
        n = max(1, counted + rng.choice([-1, 0, 0, 1, 2]))
        items.append(
            {
                "purpose": rng.choice(PURPOSES)[0],
                "countries": countries,
                "people": people,
                "trips": n,
                "budget": Decimal(people * n * rng.choice([18000, 22000, 26000])),
                "quarter": quarter,
            }
        )
    if not items:
        for purpose, countries in rng.sample(PURPOSES, k=2):
            people = rng.randint(3, 5)
            items.append(
                {
                    "purpose": purpose,
                    "countries": countries,
                    "people": people,
                    "trips": 1,
                    "budget": Decimal(people * rng.choice([18000, 22000, 26000])),
                    "quarter": rng.randint(1, 4),
                }
            )
    return items


def _unit_plan(unit, clerk, year, rng, delegations):
    reviewer = _office_user(unit, Role.REVIEWER)
    supervisor = _office_user(unit, Role.SUPERVISOR)
    approver = _office_user(unit, Role.APPROVER)
    plan = services.plan_create(actor=clerk, year=year)
    for data in _items_for(delegations, rng):
        services.plan_item_save(plan=plan, actor=clerk, data=data)
    services.plan_submit(plan=plan, actor=clerk)
    if not (reviewer and supervisor and approver):
        return plan  # the office is not staffed in this demo: the plan stays submitted
    services.plan_opinion_add(
        plan=plan, actor=reviewer, opinion="出访任务与单位职能相符，同意。", agrees=True
    )
    services.plan_opinion_add(
        plan=plan, actor=supervisor, opinion="经费已列入年度预算，同意。", agrees=True
    )
    planned = services.planned_totals(plan)
    return services.plan_approve(plan=plan, actor=approver, **planned)


def _link(delegation, plan, items, clerk):
    """Link one delegation to the item of its quarter: through the service while editable,
    else as a recorded fact."""
    quarter = _quarter(delegation.departure_date)
    item = next((i for i in items if i.quarter == quarter), items[0])
    if delegation.state in EDITABLE_STATES:
        try:
            services.plan_link(delegation=delegation, actor=clerk, plan_item=item)
        except ServiceError:
            pass
        return
    # Submitted demo cases can no longer be edited; the link is what the clerk would have
    # chosen before submitting, written directly and audited as demo data.
    use = PlanUse.objects.create(delegation=delegation, plan=plan, plan_item=item, linked_by=clerk)
    audit_record(
        actor=None, action="plan.link_demo", obj=delegation, new={"plan_item": use.plan_item_id}
    )


def create_demo_plans(*, year: int | None = None, seed: int = 2026, units=None) -> int:
    """Approved plans for the demo units (those with a clerk) and links of their delegations
    departing that year. Returns the number of plans created; units that already have a plan
    for the year are left alone."""
    year = year or timezone.localdate().year
    rng = random.Random(seed)
    units = list(
        units
        if units is not None
        else Unit.objects.filter(users__role=Role.UNIT_CLERK).distinct().order_by("pk")
    )
    created = 0
    with transaction.atomic():
        for unit in units:
            clerk = unit.users.filter(role=Role.UNIT_CLERK, is_active=True).order_by("pk").first()
            if clerk is None or AnnualPlan.objects.filter(unit=unit, year=year).exists():
                continue
            delegations = list(
                Delegation.objects.filter(
                    unit=unit, departure_date__year=year, plan_use__isnull=True
                )
                .prefetch_related("stops")
                .order_by("departure_date", "pk")
            )
            plan = _unit_plan(unit, clerk, year, rng, delegations)
            created += 1
            if plan.state != "approved":
                continue
            items = list(plan.items.all())
            for delegation in delegations:
                _link(delegation, plan, items, clerk)
    return created
