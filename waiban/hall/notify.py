"""Who hears of a booking's and a queue number's moves, and what the notice says (no names)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.hall.models import HallEvent
from waiban.hall.states import BOOKING_TRANSITIONS, TICKET_TRANSITIONS
from waiban.notices.registry import Message, notice_workflow


def _unit_clerks(unit_id):
    if unit_id is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, role=Role.UNIT_CLERK, unit_id=unit_id)


def booking_unit(booking):
    return _unit_clerks(booking.unit_id)


def ticket_unit(ticket):
    return _unit_clerks(ticket.booking.unit_id if ticket.booking_id else None)


def describe(event) -> Message:
    booking = event.booking
    table = BOOKING_TRANSITIONS if event.ticket_id is None else TICKET_TRANSITIONS
    transition = table.get(event.action) or BOOKING_TRANSITIONS.get(event.action)
    label = transition.timeline if transition else event.action
    slot = booking.slot if booking else None
    figures = {
        "code": booking.code if booking else "",
        "event": label,
        "when": f"{slot.day} {slot.starts:%H:%M}" if slot else "",
        "ticket": event.ticket.display if event.ticket_id else "",
    }
    if event.ticket_id and event.action == "call":
        subject = _("Number %(ticket)s is called: please come to the window.") % figures
    else:
        subject = _("Booking %(code)s (%(when)s): %(event)s") % figures
    return Message(
        subject=subject[:200],
        body=subject,
        sms=_("[Foreign Affairs Office] %(text)s") % {"text": subject},
        link=reverse("hall:bookings"),
    )


notice_workflow(
    "booking",
    table=BOOKING_TRANSITIONS,
    history=HallEvent,
    audiences={"unit": booking_unit},
    describe=describe,
)
notice_workflow(
    "ticket",
    table=TICKET_TRANSITIONS,
    history=HallEvent,
    audiences={"unit": ticket_unit},
    describe=describe,
)


def _office(rectification):
    return User.objects.filter(
        is_active=True,
        role__in=[Role.REVIEWER, Role.WINDOW_CLERK],
        authority_id=rectification.authority_id,
    )


def _rater_unit(rectification):
    return _unit_clerks(rectification.rating.unit_id)


def describe_rectification(event) -> Message:
    from waiban.hall.ratings import RECTIFICATION_TRANSITIONS

    rectification = event.rectification
    transition = RECTIFICATION_TRANSITIONS.get(event.action)
    figures = {
        "number": rectification.pk,
        "event": transition.timeline if transition else event.action,
        "date": rectification.deadline,
    }
    subject = _("Rating follow-up #%(number)s: %(event)s") % figures
    body = [subject]
    if event.action == "open":
        body.append(_("Rectify and answer by %(date)s.") % figures)
        link = reverse("hall:rectification", args=[rectification.pk])
    else:
        body.append(event.comment)
        link = reverse("hall:bookings")
    return Message(
        subject=subject[:200],
        body="\n".join(str(line) for line in body),
        sms=_("[Foreign Affairs Office] %(text)s") % {"text": subject},
        link=link,
    )


def _register_rectifications():
    from waiban.hall.models import RectificationEvent
    from waiban.hall.ratings import RECTIFICATION_TRANSITIONS

    notice_workflow(
        "rectification",
        table=RECTIFICATION_TRANSITIONS,
        history=RectificationEvent,
        audiences={"office": _office, "unit": _rater_unit},
        describe=describe_rectification,
    )


_register_rectifications()
