"""Every write to an annual plan and to a delegation's plan link: one keyword-only service each.

Each runs in one transaction: lock the plan (or delegation) row with select_for_update, check the
allowed-transitions table, the actor's role and scope and the version the actor saw, change the
row, and write the history row and the audit event. Views, commands and the demo call these.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.transitions import check_version, lock_for_move, record_move
from waiban.plans.models import AnnualPlan, PlanEvent, PlanItem, PlanOpinion, PlanUse
from waiban.plans.states import EDITABLE_PLAN_STATES, PLAN_TRANSITIONS, PlanState
from waiban.visits.models import Delegation
from waiban.visits.states import EDITABLE_STATES

ITEM_FIELDS = ("purpose", "countries", "people", "trips", "budget", "quarter")


def can_see_plan(actor, plan) -> bool:
    """Unit users see their unit's plan; the office sees it in its scope once submitted."""
    if actor.role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        return actor.unit_id == plan.unit_id
    if actor.role in (Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR):
        return plan.state != PlanState.DRAFT and plan.unit.authority_id in visible_authority_ids(
            actor
        )
    return False


# The shared refusals (waiban.core.transitions) in the words of a plan.
STALE_PLAN = gettext_lazy(
    "Someone else acted on this plan while you were working (it is now: %(state)s). "
    "Your text is kept below; review the plan and try again."
)
PLAN_NOT_NOW = gettext_lazy("This plan is %(state)s: “%(action)s” is not possible now.")


def _lock(plan, actor, expected_version) -> AnnualPlan:
    """The plan locked for an edit of its items (no move): visible, the version seen."""
    locked = AnnualPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if not can_see_plan(actor, locked):
        raise PermissionDenied("not_found", _("No such plan."))
    # The plan pages pass the posted version as it is: an empty one compares nothing.
    check_version(locked, None if expected_version == "" else expected_version, message=STALE_PLAN)
    return locked


def _lock_for(plan, actor, action, expected_version) -> AnnualPlan:
    """The skeleton's checks for a move of the plan (waiban.core.transitions.lock_for_move)."""
    return lock_for_move(
        AnnualPlan.objects.select_related("unit"),
        plan.pk,
        actor=actor,
        transition=PLAN_TRANSITIONS[action],
        expected_version=None if expected_version == "" else expected_version,
        can_see=can_see_plan,
        stale_message=STALE_PLAN,
        not_now_message=PLAN_NOT_NOW,
        not_found_message=_("No such plan."),
    )


def _move(locked, *, actor, action, comment="", old_extra=None, new_extra=None):
    """Change state, bump the version, write history and audit; the caller holds the lock."""
    return record_move(
        locked,
        actor=actor,
        action=action,
        target=PLAN_TRANSITIONS[action].target,
        history=PlanEvent,
        audit_prefix="plan",
        old=old_extra,
        new=new_extra,
        plan=locked,
        comment=comment,
    )


def planned_totals(plan) -> dict:
    """What the unit asked for: trips, person-trips (people × trips) and budget of its items."""
    sums = plan.items.aggregate(
        n_trips=Sum("trips"), n_people=Sum(F("people") * F("trips")), n_budget=Sum("budget")
    )
    return {
        "trips": sums["n_trips"] or 0,
        "people": sums["n_people"] or 0,
        "budget": sums["n_budget"] or Decimal("0"),
    }


# --- the unit drafts -------------------------------------------------------------------------


def plan_create(*, actor, year: int) -> AnnualPlan:
    """The unit clerk starts the unit's plan for a year (one plan per unit and year)."""
    if actor.role != Role.UNIT_CLERK or not actor.unit_id:
        raise PermissionDenied("wrong_role", _("Only the unit clerk drafts the annual plan."))
    with transaction.atomic():
        if AnnualPlan.objects.filter(unit_id=actor.unit_id, year=year).exists():
            raise ServiceError(
                "plan_exists", _("The unit already has a plan for %(year)s.") % {"year": year}
            )
        plan = AnnualPlan.objects.create(unit_id=actor.unit_id, year=year, created_by=actor)
        PlanEvent.objects.create(plan=plan, actor=actor, action="create", to_state=PlanState.DRAFT)
        audit_record(
            actor=actor, action="plan.create", obj=plan, new={"unit": actor.unit_id, "year": year}
        )
        return plan


def _check_editable(locked, actor):
    if actor.role != Role.UNIT_CLERK:
        raise PermissionDenied("wrong_role", _("Only the unit clerk edits the plan's items."))
    if locked.state not in EDITABLE_PLAN_STATES:
        raise StateConflict(
            "not_editable",
            _("This plan is %(state)s: its items cannot be changed now.")
            % {"state": locked.get_state_display()},
        )


def plan_item_save(*, plan, actor, data: dict, item=None, expected_version=None) -> PlanItem:
    """Add an item (``item`` None) or change one, while the plan is a draft or returned."""
    with transaction.atomic():
        locked = _lock(plan, actor, expected_version)
        _check_editable(locked, actor)
        values = {name: data[name] for name in ITEM_FIELDS}
        if item is None:
            item = PlanItem(plan=locked, position=locked.items.count(), **values)
            old = {}
        else:
            item = locked.items.select_for_update().filter(pk=item.pk).first()
            if item is None:
                raise PermissionDenied("not_found", _("No such plan item."))
            old = {name: getattr(item, name) for name in ITEM_FIELDS}
            for name, value in values.items():
                setattr(item, name, value)
        item.full_clean(exclude=["plan"])
        item.save()
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit_record(
            actor=actor,
            action="plan.item_save",
            obj=locked,
            old=_item_values(old),
            new={"item": item.pk, **_item_values(values)},
        )
        return item


def _item_values(values: dict) -> dict:
    return {k: ([str(c) for c in v] if k == "countries" else v) for k, v in values.items()}


def plan_item_delete(*, item, actor, expected_version=None) -> None:
    with transaction.atomic():
        locked = _lock(item.plan, actor, expected_version)
        _check_editable(locked, actor)
        row = locked.items.filter(pk=item.pk).first()
        if row is None:
            raise PermissionDenied("not_found", _("No such plan item."))
        old = {"item": row.pk, **_item_values({n: getattr(row, n) for n in ITEM_FIELDS})}
        row.delete()
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit_record(actor=actor, action="plan.item_delete", obj=locked, old=old)


# --- the transitions -------------------------------------------------------------------------


def plan_submit(*, plan, actor, expected_version=None) -> AnnualPlan:
    """The unit clerk submits the plan (again, after a return). It needs at least one item."""
    with transaction.atomic():
        locked = _lock_for(plan, actor, "submit", expected_version)
        if not locked.items.exists():
            raise ServiceError("empty_plan", _("Add at least one planned visit first."))
        locked.round += 1
        locked.submitted_at = timezone.now()
        return _move(
            locked,
            actor=actor,
            action="submit",
            new_extra={"round": locked.round, "planned": planned_totals(locked)},
        )


def plan_opinion_add(
    *, plan, actor, opinion: str, agrees: bool, expected_version=None
) -> PlanOpinion:
    """The office's reviewer or a supervisor (finance, discipline inspection) gives an opinion.

    The first opinion opens the joint review. Opinions are append-only: a second one from the
    same person adds to the record instead of rewriting it.
    """
    opinion = (opinion or "").strip()
    with transaction.atomic():
        locked = _lock_for(plan, actor, "opinion", expected_version)
        if not opinion:
            raise ServiceError("opinion_required", _("Write the opinion."), field="opinion")
        row = PlanOpinion.objects.create(
            plan=locked,
            round=locked.round,
            actor=actor,
            role=actor.role,
            opinion=opinion,
            agrees=bool(agrees),
        )
        _move(
            locked,
            actor=actor,
            action="opinion",
            comment=opinion,
            new_extra={"opinion": row.pk, "role": actor.role, "agrees": bool(agrees)},
        )
        return row


def plan_approve(
    *,
    plan,
    actor,
    trips: int,
    people: int,
    budget,
    comment: str = "",
    expected_version=None,
) -> AnnualPlan:
    """The office approves the unit's totals: trips, person-trips and budget for the year.

    Signed by an approver, whatever the position (division head or office leader), not by the
    reviewer: the reviewer already speaks in the joint review with the supervisors, and
    separation of duties (分权制约) wants the decision taken by someone other than those who gave
    the opinions, as for a delegation, whose first approval level is the division head. Both
    the reviewer's and a supervisor's opinion of the current round must be on record: that is
    what makes the review joint. Totals may be cut, never raised above what the unit asked for.
    """
    with transaction.atomic():
        locked = _lock_for(plan, actor, "approve", expected_version)
        roles = set(
            locked.opinions.filter(round=locked.round).values_list("role", flat=True).distinct()
        )
        if not {Role.REVIEWER, Role.SUPERVISOR} <= roles:
            raise ServiceError(
                "joint_review_incomplete",
                _("The joint review needs the opinions of the office and of the supervisors."),
            )
        try:
            trips, people, budget = int(trips), int(people), Decimal(str(budget))
        except (TypeError, ValueError, ArithmeticError):
            raise ServiceError("invalid_totals", _("Enter whole numbers and an amount.")) from None
        if trips < 1 or people < 1 or budget < 0:
            raise ServiceError(
                "invalid_totals",
                _("Approve at least one trip and one person, and no negative budget."),
            )
        planned = planned_totals(locked)
        if trips > planned["trips"] or people > planned["people"] or budget > planned["budget"]:
            raise ServiceError(
                "totals_exceed_plan",
                _(
                    "The approved totals cannot exceed what the unit planned: %(trips)s trips, "
                    "%(people)s person-trips, %(budget)s CNY."
                )
                % planned,
            )
        locked.approved_trips, locked.approved_people, locked.approved_budget = (
            trips,
            people,
            budget,
        )
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        return _move(
            locked,
            actor=actor,
            action="approve",
            comment=comment,
            new_extra={"trips": trips, "people": people, "budget": budget, "planned": planned},
        )


def plan_return(*, plan, actor, reason: str, expected_version=None) -> AnnualPlan:
    """The office returns the plan to the unit with its reasons (same approvers as approve)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock_for(plan, actor, "return", expected_version)
        if not reason:
            raise ServiceError(
                "reason_required", _("Say why the plan goes back to the unit."), field="reason"
            )
        old_reason = locked.return_reason
        locked.return_reason = reason
        return _move(
            locked,
            actor=actor,
            action="return",
            comment=reason,
            old_extra={"return_reason": old_reason},
            new_extra={"return_reason": reason},
        )


# --- linking a delegation --------------------------------------------------------------------


def _delegation_year(delegation) -> int:
    return (delegation.departure_date or timezone.localdate()).year


def _approved_item(item, delegation, field) -> PlanItem:
    item = PlanItem.objects.select_related("plan").filter(pk=getattr(item, "pk", item)).first()
    if item is None or item.plan.unit_id != delegation.unit_id:
        raise ServiceError(
            "foreign_item", _("This is not an item of the unit's plan."), field=field
        )
    if item.plan.state != PlanState.APPROVED:
        raise ServiceError(
            "plan_not_approved", _("The unit's plan is not approved yet."), field=field
        )
    if item.plan.year != _delegation_year(delegation):
        raise ServiceError(
            "wrong_year",
            _("The item belongs to the %(year)s plan; the trip departs in another year.")
            % {"year": item.plan.year},
            field=field,
        )
    return item


def plan_link(
    *,
    delegation,
    actor,
    plan_item=None,
    swap_justification: str = "",
    swapped_out_item=None,
) -> PlanUse:
    """The unit clerk says where a delegation sits in the unit's approved plan.

    - ``plan_item``: the trip is an item of the plan (in plan);
    - ``swapped_out_item`` with a ``swap_justification``: the trip is out of plan and replaces a
      trip of that item, so the total stays unchanged (调整). It is refused without a
      justification, and when that item has no trip left to give up or the unit's totals would
      be exceeded;
    - neither: the link is cleared (the trip is "not linked").

    Whether the plan still has room for an in-plan trip is not refused here: the in-plan rule
    reports it (as a warning the clerk may justify), judged on the day of submission.
    """
    from waiban.plans.status import in_plan_status

    swap_justification = (swap_justification or "").strip()
    if plan_item is not None and swapped_out_item is not None:
        raise ServiceError(
            "ambiguous_link",
            _("Choose either a plan item or a swap, not both."),
            field="plan_item",
        )
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if actor.role != Role.UNIT_CLERK or actor.unit_id != locked.unit_id:
            raise PermissionDenied("not_found", _("No such case."))
        if locked.state not in EDITABLE_STATES:
            raise StateConflict(
                "delegation_not_editable",
                _("A submitted application cannot be changed any more."),
            )
        use = PlanUse.objects.select_for_update().filter(delegation=locked).first()
        old = (
            {
                "plan_item": use.plan_item_id,
                "out_of_plan": use.out_of_plan,
                "swapped_out_item": use.swapped_out_item_id,
                "swap_justification": use.swap_justification,
            }
            if use
            else {}
        )
        if use is None:
            use = PlanUse(delegation=locked)
        use.linked_by = actor
        if plan_item is not None:
            item = _approved_item(plan_item, locked, "plan_item")
            use.plan, use.plan_item, use.out_of_plan = item.plan, item, False
            use.swapped_out_item, use.swap_justification = None, ""
        elif swapped_out_item is not None:
            item = _approved_item(swapped_out_item, locked, "swapped_out_item")
            if not swap_justification:
                raise ServiceError(
                    "swap_without_justification",
                    _("An out-of-plan trip needs a justification of the swap."),
                    field="swap_justification",
                )
            use.plan, use.plan_item, use.out_of_plan = item.plan, None, True
            use.swapped_out_item, use.swap_justification = item, swap_justification
        else:
            use.plan = use.plan_item = use.swapped_out_item = None
            use.out_of_plan, use.swap_justification = False, ""
        use.save()
        if use.out_of_plan:
            status = in_plan_status(delegation=locked)
            if not status.swap_keeps_total:
                raise ServiceError(
                    "swap_breaks_total",
                    _(
                        "The swap would change the plan's total: the item given up has no trip "
                        "left, or the unit's approved totals would be exceeded."
                    ),
                    field="swapped_out_item",
                )
        new = {
            "plan_item": use.plan_item_id,
            "out_of_plan": use.out_of_plan,
            "swapped_out_item": use.swapped_out_item_id,
            "swap_justification": use.swap_justification,
        }
        audit_record(actor=actor, action="plan.link", obj=locked, old=old, new=new)
        return use
