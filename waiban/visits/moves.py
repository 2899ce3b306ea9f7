"""The skeleton every move of a case goes through (core.transitions.lock_for_move in the words
of a case), and the move itself: the new state with its deadline, the history row and the
audit event, in the caller's transaction."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.errors import ServiceError
from waiban.core.transitions import lock_for_move, record_move
from waiban.visits.deadlines import deadline_for
from waiban.visits.models import Delegation, DelegationEvent
from waiban.visits.states import TRANSITIONS

STALE_CASE = gettext_lazy(
    "Someone else acted on this case while you were working (it is now: %(state)s). "
    "Your text is kept below; review the case and try again."
)
CASE_NOT_NOW = gettext_lazy("This case is %(state)s: “%(action)s” is not possible now.")


def can_see(actor, delegation) -> bool:
    if actor.role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        return actor.unit_id == delegation.unit_id
    return delegation.authority_id in visible_authority_ids(actor)


# The moves that take a case further towards the trip: none while a control-list hit on one of
# its members is not cleared by a reviewer (found at submission or afterwards, when a list is
# imported), whoever asks.
SCREENED_ACTIONS = frozenset({"accept", "review", "approve", "depart"})


def check_screening_cleared(delegation, actor) -> None:
    """Refuse while a hit on the case is open or confirmed. The unit is told only that the
    office's check is not finished: nothing about a control list reaches it."""
    from waiban.watchlists.selectors import case_needs_review

    if not case_needs_review(delegation):
        return
    if actor is not None and actor.role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        message = _("The office's check of this application is not finished yet.")
    else:
        message = _(
            "A control-list hit on a member of this case is not cleared: a reviewer decides it "
            "first (Control-list hits)."
        )
    raise ServiceError("screening_not_cleared", message)


def lock_case(delegation, actor, action, expected_version=None) -> Delegation:
    """The case locked for ``action`` by ``actor`` (None: the system), after the skeleton's
    checks: visible to the actor, the version they saw, their role, the move from its state,
    and for the moves towards the trip, a screening with nothing left to decide."""
    locked = lock_for_move(
        Delegation.objects,
        delegation.pk,
        actor=actor,
        transition=TRANSITIONS[action],
        expected_version=expected_version,
        can_see=can_see,
        stale_message=STALE_CASE,
        not_now_message=CASE_NOT_NOW,
        not_found_message=_("No such case."),
    )
    if action in SCREENED_ACTIONS:
        check_screening_cleared(locked, actor)
    return locked


def move(locked, *, actor, action, to_state=None, comment="", audit_extra=None) -> Delegation:
    """Change state (``to_state``, else the table's target, else unchanged) and write history
    and audit; the caller holds the row lock."""
    to_state = to_state or TRANSITIONS[action].target or locked.state
    old = {"deadline": locked.deadline}
    now = timezone.now()
    if to_state != locked.state or action == "approve":  # each level has its own time limit
        locked.state_entered_at = now
        locked.deadline = deadline_for(
            authority=locked.authority_id, state=to_state, start=timezone.localdate(now)
        )
    return record_move(
        locked,
        actor=actor,
        action=action,
        target=to_state,
        history=DelegationEvent,
        audit_prefix="delegation",
        old=old,
        new={"deadline": locked.deadline, **(audit_extra or {})},
        delegation=locked,
        comment=comment,
        deadline=locked.deadline,
    )
