"""Reads of the changes app: the open change requests a user sees, and those waiting for them."""

from django.db.models import F, Q

from waiban.accounts.roles import Role
from waiban.changes.models import ChangeRequest
from waiban.changes.states import OPEN_CHANGE_STATES, ChangeState
from waiban.visits.selectors import delegation_scope

# Whose move each open state waits for (the approver: the position of the current level).
WAITS_FOR = {
    ChangeState.PROPOSED: Role.UNIT_HEAD,
    ChangeState.SUBMITTED: Role.WINDOW_CLERK,
    ChangeState.UNDER_REVIEW: Role.REVIEWER,
    ChangeState.PENDING_APPROVAL: Role.APPROVER,
}


def open_changes(*, user):
    """Open change requests of the cases ``user`` sees, oldest first, with their case."""
    return (
        ChangeRequest.objects.filter(
            state__in=OPEN_CHANGE_STATES, delegation__in=delegation_scope(user)
        )
        .select_related("delegation__unit")
        .order_by("created_at", "pk")
    )


def changes_waiting_for(*, user):
    """The open requests whose next move is ``user``'s (the approver's: at their position)."""
    states = [state for state, role in WAITS_FOR.items() if role == user.role]
    waiting = open_changes(user=user).filter(state__in=states)
    if user.role == Role.APPROVER:
        waiting = waiting.filter(
            Q(steps__level=F("approval_level")) & Q(steps__position=user.approver_position)
        )
    return waiting
