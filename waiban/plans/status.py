"""The in-plan evaluation for the rules engine: ``in_plan_status(delegation=...)`` for a saved
delegation, ``plan_status_of(...)`` for one still being typed (the same judgement).

Pure reads, at most five queries whatever the size of the plan. Numbers:

- trips: one per delegation; people: person-trips (members of each delegation; for the plan,
  people per trip × trips of each item); budget: CNY (budget lines; for the plan, item budgets).
- ``used`` counts the unit's *other* delegations linked to the plan that are submitted or later
  and not refused or withdrawn; ``this_trip`` is the evaluated delegation; ``remaining`` is
  ``approved - used`` (before this trip). So the numbers read the same whether the rule runs on
  a draft at submission or on a case already submitted.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from waiban.plans.models import AnnualPlan, PlanItem, PlanUse
from waiban.plans.states import PlanState
from waiban.plans.usage import NOT_COUNTED_STATES, Totals, plans_usage

__all__ = [
    "NOT_COUNTED_STATES",
    "InPlanStatus",
    "Problem",
    "Totals",
    "in_plan_status",
    "plan_status_of",
    "item_mismatch",
    "measures_text",
    "trip_destinations",
]

# The measures a problem's ``exceeded`` lists, in a reader's words (never the codes).
MEASURES = {
    "trips": gettext_lazy("trips"),
    "people": gettext_lazy("person-trips"),
    "budget": gettext_lazy("budget"),
    "item_trips": gettext_lazy("trips of the plan item"),
}

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
    "item_mismatch": gettext_lazy(
        "The trip does not match the plan item (%(mismatch)s): justify it as a swap when you submit."
    ),
}
# Which part of a plan item a trip does not match, in a reader's words.
MISMATCHES = {
    "countries": gettext_lazy("countries"),
    "period": gettext_lazy("period"),
}


def _joined(words) -> str:
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(str(word) for word in words)


def measures_text(codes) -> str:
    """'trips, budget' as the reader says it: 出访批次、经费 or trips, budget. Findings stored
    before the codes were kept as a list hold them as one comma-separated string."""
    if isinstance(codes, str):
        codes = [code.strip() for code in codes.split(",") if code.strip()]
    return _joined(MEASURES.get(code, code) for code in codes)


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        shown = dict(self.params)
        if "mismatch" in shown:
            shown["mismatch"] = _joined(MISMATCHES.get(m, m) for m in shown["mismatch"])
        return str(MESSAGES[self.code]) % shown


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


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def trip_destinations(stops) -> list[str]:
    """The countries a trip visits (transit stops aside, unless there is nothing else), as
    codes, from saved itinerary rows or the rules' stops alike."""
    stops = list(stops)
    destinations = [s for s in stops if not s.is_transit] or stops
    return list(dict.fromkeys(_code(s.country) for s in destinations))


def item_mismatch(item, *, year: int, destinations, departure) -> dict:
    """Where a trip (its ``destinations``, leaving on ``departure``) does not match the plan
    ``item`` of the plan for ``year``: {} when it matches, else ``mismatch`` (a list of
    'countries', 'period') with the figures a message names. Countries: every destination must
    be one of the item's. Period: the trip leaves in the item's quarter of that year."""
    if not destinations or departure is None:
        return {}
    planned = [_code(c) for c in item.countries]
    found = {"mismatch": []}
    if [c for c in destinations if c not in planned]:
        found["mismatch"].append("countries")
    if (departure.year, _quarter(departure)) != (year, item.quarter):
        found["mismatch"].append("period")
    if not found["mismatch"]:
        return {}
    return {
        **found,
        "item": item.purpose,
        "item_countries": ", ".join(planned),
        "trip_countries": ", ".join(destinations),
        "quarter": item.quarter,
        "year": year,
        "departure": departure.isoformat(),
    }


def _code(country) -> str:
    return getattr(country, "code", country)


def _approved_totals(plan) -> Totals:
    return Totals(plan.approved_trips or 0, plan.approved_people or 0, plan.approved_budget or 0)


def in_plan_status(*, delegation) -> InPlanStatus:
    """Where the saved ``delegation`` stands against its unit's annual plan (plan_status_of)."""
    # The itinerary is read from the instance (prefetched for the rules: no query then).
    return plan_status_of(
        unit_id=delegation.unit_id,
        departure=delegation.departure_date,
        delegation_id=delegation.pk,
        destinations=trip_destinations(delegation.stops.all()),
    )


def plan_status_of(
    *, unit_id, departure, delegation_id=None, this_trip=None, destinations=()
) -> InPlanStatus:
    """Where a trip of the unit departing on ``departure`` stands against the unit's annual plan,
    with stable problem codes. ``delegation_id``: the saved delegation, whose link to the plan
    counts and which is left out of the plan's use; ``this_trip``: the trip's own totals as
    typed (None: those saved for ``delegation_id``); ``destinations``: its countries
    (``trip_destinations``), matched against the linked item.

    Problems: ``no_plan``, ``plan_not_approved``, ``not_linked``, ``quota_exhausted`` (params
    ``exceeded``: a list of 'trips', 'people', 'budget', 'item_trips'),
    ``swap_without_justification``, ``swap_breaks_total`` (``exceeded`` likewise),
    ``item_mismatch`` (see ``item_mismatch``). An out-of-plan trip is accepted only as a swap
    with a justification that keeps the total unchanged: the item given up still has a trip to
    give and the unit's approved totals hold with this trip counted. A trip linked to an item
    whose countries or period it does not match is in the same position: the in-plan rule asks
    for the justification of that swap.
    """
    # One row at most each (one-to-one; unique unit and year).
    use = (
        PlanUse.objects.select_related("plan", "plan_item", "swapped_out_item")
        .filter(delegation_id=delegation_id)
        .first()
        if delegation_id
        else None
    )
    linked = bool(use and use.plan_id and (use.plan_item_id or use.out_of_plan))
    if linked:
        plan = use.plan
    else:
        year = (departure or timezone.localdate()).year
        plan = AnnualPlan.objects.filter(unit_id=unit_id, year=year).first()
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

    usage = plans_usage([plan.pk], evaluated=delegation_id)
    used = usage.by_plan.get(plan.pk, Totals())
    this = this_trip or usage.this_trip or Totals(trips=1)
    approved = _approved_totals(plan)
    remaining = approved - used
    over_totals = (used + this).exceeding(approved)
    problems = []
    item_trips_used = None
    swap_keeps_total = None
    target = base["item"] or base["swapped_out_item"]
    if target is not None:
        item_trips_used = usage.by_item.get(target.pk, 0)
    if not linked:
        problems.append(Problem("not_linked"))
    elif not base["out_of_plan"]:
        exceeded = list(over_totals)
        if item_trips_used + 1 > target.trips:
            exceeded.append("item_trips")
        if exceeded:
            problems.append(Problem("quota_exhausted", {"exceeded": exceeded}))
        mismatch = item_mismatch(
            target, year=plan.year, destinations=list(destinations), departure=departure
        )
        if mismatch:
            problems.append(Problem("item_mismatch", mismatch))
    else:
        if not base["swap_justification"].strip():
            problems.append(Problem("swap_without_justification"))
        item_has_room = target is not None and item_trips_used + 1 <= target.trips
        swap_keeps_total = item_has_room and not over_totals
        if not swap_keeps_total:
            exceeded = over_totals + ([] if item_has_room else ["item_trips"])
            problems.append(Problem("swap_breaks_total", {"exceeded": exceeded}))
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
