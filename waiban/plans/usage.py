"""How much of the annual plans the unit's delegations use: one count for the plan pages and the
in-plan rule alike, so the overview and the rule can never disagree.

Numbers: trips (one per delegation), person-trips (the members of each delegation) and budget
(CNY, the delegation's budget lines).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from waiban.plans.models import PlanUse
from waiban.visits.models import BudgetLine, DelegationMember
from waiban.visits.states import State

# A delegation uses the plan from submission on, unless it ended refused or withdrawn.
NOT_COUNTED_STATES = (State.DRAFT, State.REFUSED, State.WITHDRAWN)


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
class PlanUsage:
    by_plan: dict = field(default_factory=dict)  # plan id -> Totals of the counted delegations
    by_item: dict = field(default_factory=dict)  # item id -> trips (a swap: the item given up)
    this_trip: Totals | None = None  # the evaluated delegation, counted apart


def plans_usage(plan_ids, *, evaluated=None) -> PlanUsage:
    """What the delegations linked to ``plan_ids`` use, three queries for any number of plans.

    ``evaluated`` (a delegation id) is left out of the counts and measured on its own as
    ``this_trip``, whatever its state: the in-plan rule then reads the same on a draft at
    submission and on a case already submitted.
    """
    uses = PlanUse.objects.filter(plan_id__in=plan_ids).exclude(
        delegation__state__in=NOT_COUNTED_STATES
    )
    if evaluated is not None:
        uses = uses.exclude(delegation_id=evaluated)
    uses = list(uses.values_list("delegation_id", "plan_id", "plan_item_id", "swapped_out_item_id"))
    delegation_ids = [u[0] for u in uses]
    if evaluated is not None:
        delegation_ids.append(evaluated)
    people = dict(
        DelegationMember.objects.filter(delegation_id__in=delegation_ids)
        .values("delegation_id")
        .annotate(n=Count("id"))
        .values_list("delegation_id", "n")
    )
    budget = dict(
        BudgetLine.objects.filter(delegation_id__in=delegation_ids)
        .values("delegation_id")
        .annotate(s=Sum("amount"))
        .values_list("delegation_id", "s")
    )

    def trip(delegation_id) -> Totals:
        return Totals(1, people.get(delegation_id, 0), budget.get(delegation_id) or Decimal("0"))

    by_plan: dict = defaultdict(Totals)
    by_item: dict = defaultdict(int)
    for delegation_id, plan_id, item_id, swapped_id in uses:
        by_plan[plan_id] += trip(delegation_id)
        by_item[item_id or swapped_id] += 1
    return PlanUsage(
        by_plan=dict(by_plan),
        by_item=dict(by_item),
        this_trip=trip(evaluated) if evaluated is not None else None,
    )
