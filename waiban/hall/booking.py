"""Booking a time slot for a case, changing and cancelling it, and checking in at the hall.

A slot's ``booked`` count only changes under the slot's row lock (select_for_update), in the
same transaction as the booking: two clerks booking the last place at once get one booking and
one refusal, never a slot over capacity (a check constraint backs this up).
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.transitions import check_role, lock_for_move, moved, record_move
from waiban.hall.models import Booking, BookingStatus, HallEvent, Ticket, TimeSlot, Window
from waiban.hall.states import BOOKING_TRANSITIONS
from waiban.visits.states import State

# No 0/O or 1/I: the code is read aloud and typed at the counter.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# A case in these states has nothing to bring to the window.
NOT_BOOKABLE = frozenset({State.DRAFT, State.WITHDRAWN, State.REFUSED, State.CLOSED})


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not Booking.objects.filter(code=code).exists():
            return code


def clerk_may_see(actor, booking) -> bool:
    return actor.unit_id is not None and booking.unit_id == actor.unit_id


def _lock_free_slot(slot_id, *, delegation):
    slot = (
        TimeSlot.objects.select_for_update(of=("self",))
        .select_related("business_type__window")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None or slot.business_type.window.authority_id != delegation.authority_id:
        raise ServiceError("slot_not_found", _("This time slot does not exist."), field="slot")
    if slot.day < timezone.localdate():
        raise StateConflict("slot_past", _("This time slot is in the past."), field="slot")
    if slot.booked >= slot.capacity:
        raise StateConflict(
            "slot_full", _("This time slot is full. Choose another one."), field="slot"
        )
    return slot


def _check_case(actor, delegation):
    if delegation is None or delegation.unit_id != actor.unit_id:
        raise PermissionDenied("not_found", _("This case does not exist."))
    if delegation.state in NOT_BOOKABLE:
        raise StateConflict(
            "case_not_bookable",
            _("A case in the state “%(state)s” cannot take an appointment.")
            % {"state": delegation.get_state_display()},
            field="delegation",
        )


@transaction.atomic
def booking_create(*, actor, delegation, slot_id) -> Booking:
    transition = BOOKING_TRANSITIONS["book"]
    check_role(actor, transition.roles, transition)
    _check_case(actor, delegation)
    if Booking.objects.filter(delegation=delegation, status=BookingStatus.BOOKED).exists():
        raise StateConflict(
            "already_booked",
            _("This case already has a booking: change its time or cancel it first."),
            field="delegation",
        )
    slot = _lock_free_slot(slot_id, delegation=delegation)
    slot.booked += 1
    slot.save(update_fields=["booked"])
    booking = Booking.objects.create(
        slot=slot,
        delegation=delegation,
        unit_id=delegation.unit_id,
        booked_by=actor,
        code=_new_code(),
        token=secrets.token_urlsafe(32),
    )
    event = HallEvent.objects.create(
        booking=booking, actor=actor, action="book", to_status=BookingStatus.BOOKED
    )
    audit_record(
        actor=actor,
        action="booking.book",
        obj=booking,
        new={"slot": slot.pk, "delegation": delegation.pk, "status": booking.status},
    )
    moved.send(
        sender=Booking, workflow="booking", obj=booking, event=event, actor=actor, action="book"
    )
    return booking


def _lock_booking(pk, *, actor, action, expected_version=None):
    return lock_for_move(
        Booking.objects.all(),
        pk,
        actor=actor,
        transition=BOOKING_TRANSITIONS[action],
        expected_version=expected_version,
        can_see=clerk_may_see,
        stale_message=_("Someone changed this booking meanwhile; it is now “%(status)s”."),
        not_now_message=_("A booking that is “%(status)s” cannot be changed: %(action)s."),
        not_found_message=_("This booking does not exist."),
        field="status",
    )


def _slot_number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError(
            "slot_not_found", _("This time slot does not exist."), field="slot"
        ) from None


def _release(slot_id):
    slot = TimeSlot.objects.select_for_update().get(pk=slot_id)
    slot.booked -= 1
    slot.save(update_fields=["booked"])


@transaction.atomic
def booking_cancel(*, actor, booking_id, expected_version=None) -> Booking:
    booking = _lock_booking(
        booking_id, actor=actor, action="cancel", expected_version=expected_version
    )
    _release(booking.slot_id)
    return record_move(
        booking,
        actor=actor,
        action="cancel",
        target=BookingStatus.CANCELLED,
        history=HallEvent,
        audit_prefix="booking",
        field="status",
        booking=booking,
    )


@transaction.atomic
def booking_change(*, actor, booking_id, slot_id, expected_version=None) -> Booking:
    booking = _lock_booking(
        booking_id, actor=actor, action="change", expected_version=expected_version
    )
    if str(booking.slot_id) == str(slot_id):
        raise StateConflict("same_slot", _("This is already the booking's time."), field="slot")
    old_slot = booking.slot_id
    slot_id = _slot_number(slot_id)
    # Both slots are locked in the order of their ids: two changes crossing never deadlock.
    for pk in sorted([old_slot, slot_id]):
        TimeSlot.objects.select_for_update().filter(pk=pk).first()
    new_slot = _lock_free_slot(slot_id, delegation=booking.delegation)
    _release(old_slot)
    new_slot.booked += 1
    new_slot.save(update_fields=["booked"])
    booking.slot = new_slot
    return record_move(
        booking,
        actor=actor,
        action="change",
        target=BookingStatus.BOOKED,
        history=HallEvent,
        audit_prefix="booking",
        field="status",
        old={"slot": old_slot},
        new={"slot": new_slot.pk},
        booking=booking,
    )


def _next_number(window: Window, day) -> int:
    # The window's row lock serialises the numbers of its day.
    Window.objects.select_for_update().filter(pk=window.pk).first()
    last = (
        Ticket.objects.filter(issued_at_window=window, day=day)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def booking_check_in(*, actor, code="", token="") -> Ticket:
    """Check in on the booking's day: by the code (the window clerk of the office) or by the
    receipt's QR token (no login, ``actor`` None). Gives the day's queue number."""
    lookup = {"token": token} if token else {"code": (code or "").strip().upper()}
    found = (
        Booking.objects.filter(**lookup).values_list("pk", flat=True).first()
        if any(lookup.values())
        else None
    )

    def may_see(user, booking):
        return booking.slot.business_type.window.authority_id == user.authority_id

    booking = lock_for_move(
        Booking.objects.select_related("slot__business_type__window"),
        found,
        actor=actor,
        transition=BOOKING_TRANSITIONS["check_in"],
        can_see=may_see,
        stale_message="",
        not_now_message=_("A booking that is “%(status)s” cannot be checked in."),
        not_found_message=_("No booking has this code."),
        field="status",
    )
    today = timezone.localdate()
    if booking.slot.day != today:
        raise StateConflict(
            "not_today",
            _("This booking is for %(day)s: check in on that day.") % {"day": booking.slot.day},
        )
    window = booking.slot.business_type.window
    ticket = Ticket.objects.create(
        window=window,
        issued_at_window=window,
        day=today,
        number=_next_number(window, today),
        booking=booking,
        checked_in_at=timezone.now(),
    )
    record_move(
        booking,
        actor=actor,
        action="check_in",
        target=BookingStatus.CHECKED_IN,
        history=HallEvent,
        audit_prefix="booking",
        field="status",
        new={"ticket": ticket.display},
        booking=booking,
        ticket=ticket,
    )
    return ticket
