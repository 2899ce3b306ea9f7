"""The transitions tables of a booking and of a queue ticket: who may make which move."""

from django.utils.translation import gettext_lazy as _

from waiban.accounts.roles import Role
from waiban.core.transitions import SYSTEM, Transition, transitions_table
from waiban.hall.models import BookingStatus as B
from waiban.hall.models import TicketStatus as T

# The kiosk and the receipt's QR link check in without a login: the move is the system's.
BOOKING_TRANSITIONS = transitions_table(
    Transition(
        action="book",
        sources=frozenset({""}),
        target=B.BOOKED,
        roles=frozenset({Role.UNIT_CLERK}),
        label=_("Book"),
        service="waiban.hall.booking.booking_create",
        done=_("Booked."),
        timeline=_("Booked"),
        tell=("unit",),
    ),
    Transition(
        action="change",
        sources=frozenset({B.BOOKED}),
        target=B.BOOKED,
        roles=frozenset({Role.UNIT_CLERK}),
        label=_("Change the time"),
        service="waiban.hall.booking.booking_change",
        done=_("The booking now has the new time."),
        timeline=_("Time changed"),
        tell=("unit",),
    ),
    Transition(
        action="cancel",
        sources=frozenset({B.BOOKED}),
        target=B.CANCELLED,
        roles=frozenset({Role.UNIT_CLERK}),
        label=_("Cancel the booking"),
        service="waiban.hall.booking.booking_cancel",
        done=_("The booking is cancelled."),
        timeline=_("Cancelled"),
        style="outline-danger",
        tell=("unit",),
    ),
    Transition(
        action="check_in",
        sources=frozenset({B.BOOKED}),
        target=B.CHECKED_IN,
        roles=frozenset({Role.WINDOW_CLERK, SYSTEM}),
        label=_("Check in"),
        service="waiban.hall.booking.booking_check_in",
        done=_("Checked in: your queue number is %(ticket)s."),
        timeline=_("Checked in at the hall"),
    ),
)

TICKET_TRANSITIONS = transitions_table(
    Transition(
        action="call",
        sources=frozenset({T.WAITING}),
        target=T.CALLED,
        roles=frozenset({Role.WINDOW_CLERK}),
        label=_("Call the next number"),
        service="waiban.hall.queue.ticket_call_next",
        timeline=_("Called"),
        tell=("unit",),
    ),
    Transition(
        action="finish",
        sources=frozenset({T.CALLED}),
        target=T.DONE,
        roles=frozenset({Role.WINDOW_CLERK}),
        label=_("Served"),
        service="waiban.hall.queue.ticket_finish",
        timeline=_("Served"),
    ),
    Transition(
        action="no_show",
        sources=frozenset({T.CALLED}),
        target=T.NO_SHOW,
        roles=frozenset({Role.WINDOW_CLERK}),
        label=_("Did not come"),
        service="waiban.hall.queue.ticket_finish",
        timeline=_("Did not come"),
        style="outline-secondary",
    ),
    Transition(
        action="transfer",
        sources=frozenset({T.WAITING, T.CALLED}),
        target=T.WAITING,
        roles=frozenset({Role.WINDOW_CLERK}),
        label=_("Transfer"),
        service="waiban.hall.queue.ticket_transfer",
        timeline=_("Transferred to another window"),
        style="outline-primary",
    ),
)
