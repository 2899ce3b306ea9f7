"""Reads of plans, always scoped to what the user may see, and the usage figures of the pages."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum

from waiban.accounts.models import Unit
from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.plans.models import AnnualPlan, PlanItem
from waiban.plans.states import PlanState
from waiban.plans.usage import Totals, plans_usage

OFFICE_PLAN_ROLES = (Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR)


def plan_scope(user):
    if user.role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        return AnnualPlan.objects.filter(unit_id=user.unit_id)
    if user.role in OFFICE_PLAN_ROLES:
        # Drafts are the unit's working papers until submitted.
        return AnnualPlan.objects.filter(
            unit__authority_id__in=visible_authority_ids(user)
        ).exclude(state=PlanState.DRAFT)
    return AnnualPlan.objects.none()


def plan_get(*, user, pk) -> AnnualPlan | None:
    return plan_scope(user).select_related("unit", "approved_by").filter(pk=pk).first()


def usage_colour(used, planned) -> str:
    """green: under 80 % used; amber: 80–100 %; red: over the plan."""
    if planned <= 0:
        return "green" if used <= 0 else "red"
    ratio = Decimal(used) / Decimal(planned)
    if ratio < Decimal("0.8"):
        return "green"
    if ratio <= 1:
        return "amber"
    return "red"


_WORST = {"green": 0, "amber": 1, "red": 2}


@dataclass
class Measure:
    planned: int | Decimal
    used: int | Decimal
    colour: str | None  # None while the plan is not approved

    @property
    def remaining(self):
        return self.planned - self.used


@dataclass
class UnitRow:
    unit: Unit
    plan: AnnualPlan | None
    approved: bool
    trips: Measure | None = None
    people: Measure | None = None
    budget: Measure | None = None

    @property
    def colour(self) -> str | None:
        colours = [m.colour for m in (self.trips, self.people, self.budget) if m and m.colour]
        return max(colours, key=_WORST.get) if colours else None


def planned_by_plan(plan_ids) -> dict:
    rows = (
        PlanItem.objects.filter(plan_id__in=plan_ids)
        .values("plan_id")
        .annotate(
            n_trips=Sum("trips"), n_people=Sum(F("people") * F("trips")), n_budget=Sum("budget")
        )
    )
    return {
        r["plan_id"]: Totals(r["n_trips"] or 0, r["n_people"] or 0, r["n_budget"] or Decimal("0"))
        for r in rows
    }


def plan_overview(*, user, year: int) -> list[UnitRow]:
    """One row per unit the user may see: planned (approved totals once approved, else what the
    unit asked for), used and remaining trips, person-trips and budget, with a colour."""
    if user.role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        units = list(Unit.objects.filter(pk=user.unit_id))
    elif user.role in OFFICE_PLAN_ROLES:
        units = list(Unit.objects.filter(authority_id__in=visible_authority_ids(user)))
    else:
        return []
    plans = {
        p.unit_id: p for p in plan_scope(user).filter(year=year, unit__in=[u.pk for u in units])
    }
    plan_ids = [p.pk for p in plans.values()]
    used = plans_usage(plan_ids).by_plan
    planned = planned_by_plan(plan_ids)
    rows = []
    for unit in units:
        plan = plans.get(unit.pk)
        row = UnitRow(
            unit=unit, plan=plan, approved=bool(plan and plan.state == PlanState.APPROVED)
        )
        if plan is not None:
            if row.approved:
                target = Totals(plan.approved_trips, plan.approved_people, plan.approved_budget)
            else:
                target = planned.get(plan.pk, Totals())
            spent = used.get(plan.pk, Totals())
            for name in ("trips", "people", "budget"):
                p, u = getattr(target, name), getattr(spent, name)
                setattr(row, name, Measure(p, u, usage_colour(u, p) if row.approved else None))
        rows.append(row)
    return rows


def plan_items_with_usage(plan) -> list[PlanItem]:
    items = list(plan.items.all())
    by_item = plans_usage([plan.pk]).by_item
    for item in items:
        item.trips_used = by_item.get(item.pk, 0)
    return items


def linkable_items(*, delegation, year: int):
    """Items of the unit's approved plan for the year of the trip."""
    return PlanItem.objects.filter(
        plan__unit_id=delegation.unit_id, plan__year=year, plan__state=PlanState.APPROVED
    ).order_by("position", "id")
