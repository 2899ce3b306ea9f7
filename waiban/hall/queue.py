"""The window clerk's moves on the day's queue: call the next number, mark it served (or not
come), transfer it to another window. Each is atomic, under the window's or the ticket's lock."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.core.errors import PermissionDenied, StateConflict
from waiban.core.transitions import check_role, lock_for_move, record_move
from waiban.hall.models import HallEvent, Ticket, TicketStatus, Window
from waiban.hall.states import TICKET_TRANSITIONS


def window_of(actor, window_id) -> Window:
    """The window, locked, if it is one of the actor's office; else it does not exist for them."""
    try:
        pk = int(window_id)
    except (TypeError, ValueError):
        pk = None
    window = Window.objects.select_for_update().filter(pk=pk, active=True).first() if pk else None
    if window is None or window.authority_id != getattr(actor, "authority_id", None):
        raise PermissionDenied("not_found", _("This window does not exist."))
    return window


def _may_see(actor, ticket) -> bool:
    return ticket.window.authority_id == actor.authority_id


def _lock_ticket(ticket_id, *, actor, action, expected_version=None) -> Ticket:
    try:
        pk = int(ticket_id)
    except (TypeError, ValueError):
        pk = None
    return lock_for_move(
        Ticket.objects.select_related("window", "issued_at_window"),
        pk,
        actor=actor,
        transition=TICKET_TRANSITIONS[action],
        expected_version=expected_version,
        can_see=_may_see,
        stale_message=_("Someone moved this number meanwhile; it is now “%(status)s”."),
        not_now_message=_("A number that is “%(status)s” cannot be moved: %(action)s."),
        not_found_message=_("This queue number does not exist."),
        field="status",
    )


@transaction.atomic
def ticket_call_next(*, actor, window_id) -> Ticket:
    transition = TICKET_TRANSITIONS["call"]
    check_role(actor, transition.roles, transition)
    window = window_of(actor, window_id)
    ticket = (
        Ticket.objects.select_for_update()
        .filter(window=window, day=timezone.localdate(), status=TicketStatus.WAITING)
        .order_by("checked_in_at", "pk")
        .first()
    )
    if ticket is None:
        raise StateConflict("queue_empty", _("Nobody is waiting at this window."))
    ticket.called_at = timezone.now()
    return record_move(
        ticket,
        actor=actor,
        action="call",
        target=TicketStatus.CALLED,
        history=HallEvent,
        audit_prefix="ticket",
        field="status",
        ticket=ticket,
        booking_id=ticket.booking_id,
    )


@transaction.atomic
def ticket_finish(*, actor, ticket_id, served=True, expected_version=None) -> Ticket:
    action = "finish" if served else "no_show"
    ticket = _lock_ticket(ticket_id, actor=actor, action=action, expected_version=expected_version)
    return record_move(
        ticket,
        actor=actor,
        action=action,
        target=TICKET_TRANSITIONS[action].target,
        history=HallEvent,
        audit_prefix="ticket",
        field="status",
        ticket=ticket,
        booking_id=ticket.booking_id,
    )


@transaction.atomic
def ticket_transfer(*, actor, ticket_id, window_id, expected_version=None) -> Ticket:
    ticket = _lock_ticket(
        ticket_id, actor=actor, action="transfer", expected_version=expected_version
    )
    target = window_of(actor, window_id)
    if target.pk == ticket.window_id:
        raise StateConflict(
            "same_window", _("The number is already at this window."), field="window"
        )
    old_window = ticket.window_id
    ticket.window = target
    ticket.called_at = None
    # It keeps its number and its place by check-in time in the new window's queue.
    return record_move(
        ticket,
        actor=actor,
        action="transfer",
        target=TicketStatus.WAITING,
        history=HallEvent,
        audit_prefix="ticket",
        field="status",
        old={"window": old_window},
        new={"window": target.pk},
        comment=str(target)[:200],
        ticket=ticket,
        booking_id=ticket.booking_id,
    )
