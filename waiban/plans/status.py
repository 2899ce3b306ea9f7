"""The in-plan evaluation for the rules engine: ``in_plan_status(delegation=...)``.

Pure reads, at most five queries whatever the size of the plan. Numbers:

- trips: one per delegation; people: person-trips (members of each delegation; for the plan,
  people per trip × trips of each item); budget: CNY (budget lines; for the plan, item budgets).
- ``used`` counts the unit's *other* delegations linked to the plan that are submitted or later
  and not refused or withdrawn; ``this_trip`` is the evaluated delegation; ``remaining`` is
  ``approved - used`` (before this trip). So the numbers read the same whether the rule runs on
  a draft at submission or on a case already submitted.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from waiban.plans.models import AnnualPlan, PlanItem, PlanUse
from waiban.plans.states import PlanState
from waiban.visits.models import BudgetLine, DelegationMember
from waiban.visits.states import State

# A delegation uses the plan from submission on, unless it ended refused or withdrawn.
NOT_COUNTED_STATES = (State.DRAFT, State.REFUSED, State.WITHDRAWN)

MESSAGES = {
    "no_plan": gettext_lazy("The unit has no annual plan for %(year)s."),
    "plan_not_approved": gettext_lazy("The unit's %(year)s plan is not approved yet."),
    "not_linked": gettext_lazy("The trip is not linked to an item of the approved plan."),
    "quota_exhausted": gettext_lazy("The approved plan has no room left for this trip."),
    "swap_without_justification": gettext_lazy(
        "The trip is out of plan and its swap has no justification."
    ),
    "swap_breaks_total": gettext_lazy(
        "The out-of-plan trip does not keep the plan's total unchanged."
    ),
}


@dataclass(frozen=True)
class Totals:
    trips: int = 0
    people: int = 0
    budget: Decimal = Decimal("0")

    def __add__(self, other):
        return Totals(
            self.trips + other.trips, self.people + other.people, self.budget + other.budget
        )

    def __sub__(self, other):
        return Totals(
            self.trips - other.trips, self.people - other.people, self.budget - other.budget
        )

    def exceeding(self, limit) -> list[str]:
        """Which measures of these totals are over ``limit``: 'trips', 'people', 'budget'."""
        return [
            name
            for name in ("trips", "people", "budget")
            if getattr(self, name) > getattr(limit, name)
        ]


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params


@dataclass(frozen=True)
class InPlanStatus:
    year: int
    plan: AnnualPlan | None
    item: PlanItem | None
    plan_approved: bool
    approved: Totals | None
    used: Totals
    this_trip: Totals
    remaining: Totals | None
    item_trips_used: int | None  # other trips on the linked (or swapped-out) item
    out_of_plan: bool
    swap_justification: str
    swapped_out_item: PlanItem | None
    swap_keeps_total: bool | None  # None unless out of plan
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def _approved_totals(plan) -> Totals:
    return Totals(plan.approved_trips or 0, plan.approved_people or 0, plan.approved_budget or 0)


def _usage(plan, delegation):
    """(other uses as (plan_item_id, swapped_out_item_id), their Totals, this trip's Totals)."""
    others = list(
        PlanUse.objects.filter(plan=plan)
        .exclude(delegation_id=delegation.pk)
        .exclude(delegation__state__in=NOT_COUNTED_STATES)
        .values_list("delegation_id", "plan_item_id", "swapped_out_item_id")
    )
    ids = [row[0] for row in others] + [delegation.pk]
    people = dict(
        DelegationMember.objects.filter(delegation_id__in=ids)
        .values("delegation_id")
        .annotate(n=Count("id"))
        .values_list("delegation_id", "n")
    )
    budget = dict(
        BudgetLine.objects.filter(delegation_id__in=ids)
        .values("delegation_id")
        .annotate(s=Sum("amount"))
        .values_list("delegation_id", "s")
    )
    used = Totals(
        len(others),
        sum(people.get(d, 0) for d, *_ in others),
        sum((budget.get(d) or Decimal("0") for d, *_ in others), Decimal("0")),
    )
    this = Totals(1, people.get(delegation.pk, 0), budget.get(delegation.pk) or Decimal("0"))
    return [(i, s) for _, i, s in others], used, this


def in_plan_status(*, delegation) -> InPlanStatus:
    """Where ``delegation`` stands against its unit's annual plan, with stable problem codes.

    Problems: ``no_plan``, ``plan_not_approved``, ``not_linked``, ``quota_exhausted`` (params
    ``exceeded``: a list of 'trips', 'people', 'budget', 'item_trips'),
    ``swap_without_justification``, ``swap_breaks_total``. An out-of-plan trip is accepted only
    as a swap with a justification that keeps the total unchanged: the item given up still has
    a trip to give and the unit's approved totals hold with this trip counted.
    """
    # One row at most each (one-to-one; unique unit and year), so no ORDER BY.
    use = (
        PlanUse.objects.select_related("plan", "plan_item", "swapped_out_item")
        .filter(delegation_id=delegation.pk)
        .order_by()
        .first()
    )
    linked = bool(use and use.plan_id and (use.plan_item_id or use.out_of_plan))
    if linked:
        plan = use.plan
    else:
        year = (delegation.departure_date or timezone.localdate()).year
        plan = AnnualPlan.objects.filter(unit_id=delegation.unit_id, year=year).first()
    year = plan.year if plan else year
    base = {
        "year": year,
        "plan": plan,
        "item": use.plan_item if linked else None,
        "out_of_plan": bool(linked and use.out_of_plan),
        "swap_justification": use.swap_justification if linked else "",
        "swapped_out_item": use.swapped_out_item if linked else None,
    }
    if plan is None or plan.state != PlanState.APPROVED:
        code = "no_plan" if plan is None else "plan_not_approved"
        return InPlanStatus(
            **base,
            plan_approved=False,
            approved=None,
            used=Totals(),
            this_trip=Totals(),
            remaining=None,
            item_trips_used=None,
            swap_keeps_total=None,
            problems=[Problem(code, {"year": year})],
        )

    others, used, this = _usage(plan, delegation)
    approved = _approved_totals(plan)
    remaining = approved - used
    over_totals = (used + this).exceeding(approved)
    problems = []
    item_trips_used = None
    swap_keeps_total = None
    target = base["item"] or base["swapped_out_item"]
    if target is not None:
        item_trips_used = sum(target.pk in pair for pair in others)
    if not linked:
        problems.append(Problem("not_linked"))
    elif not base["out_of_plan"]:
        exceeded = list(over_totals)
        if item_trips_used + 1 > target.trips:
            exceeded.append("item_trips")
        if exceeded:
            problems.append(Problem("quota_exhausted", {"exceeded": exceeded}))
    else:
        if not base["swap_justification"].strip():
            problems.append(Problem("swap_without_justification"))
        swap_keeps_total = (
            target is not None and item_trips_used + 1 <= target.trips and not over_totals
        )
        if not swap_keeps_total:
            problems.append(Problem("swap_breaks_total", {"exceeded": over_totals}))
    return InPlanStatus(
        **base,
        plan_approved=True,
        approved=approved,
        used=used,
        this_trip=this,
        remaining=remaining,
        item_trips_used=item_trips_used,
        swap_keeps_total=swap_keeps_total,
        problems=problems,
    )
