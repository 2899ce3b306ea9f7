import datetime as dt

import pytest
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.hall import queue
from waiban.hall.booking import booking_cancel, booking_change, booking_check_in, booking_create
from waiban.hall.models import BookingStatus, HallEvent, TicketStatus
from waiban.hall.tests.helpers import make_slot
from waiban.testing.factories import DelegationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(unit, clerk):
    return DelegationFactory(unit=unit, created_by=clerk, submitted=True)


def test_a_clerk_books_a_slot_for_the_units_case(clerk, case, authority):
    slot = make_slot(authority)
    booking = booking_create(actor=clerk, delegation=case, slot_id=slot.pk)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking.status == BookingStatus.BOOKED and len(booking.code) == 8
    assert len(booking.token) >= 40
    assert HallEvent.objects.filter(booking=booking, action="book").exists()
    assert AuditEvent.objects.filter(action="booking.book", object_id=str(booking.pk)).exists()


def test_it_never_books_a_full_slot(clerk, unit, authority):
    slot = make_slot(authority, capacity=1)
    first = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    second = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    booking_create(actor=clerk, delegation=first, slot_id=slot.pk)
    with pytest.raises(StateConflict) as refused:
        booking_create(actor=clerk, delegation=second, slot_id=slot.pk)
    assert refused.value.code == "slot_full"
    slot.refresh_from_db()
    assert slot.booked == 1


def test_it_refuses_another_units_case_and_a_draft(clerk, authority, unit):
    slot = make_slot(authority)
    other = DelegationFactory(submitted=True)
    with pytest.raises(PermissionDenied):
        booking_create(actor=clerk, delegation=other, slot_id=slot.pk)
    draft = DelegationFactory(unit=unit, created_by=clerk)
    with pytest.raises(StateConflict) as refused:
        booking_create(actor=clerk, delegation=draft, slot_id=slot.pk)
    assert refused.value.code == "case_not_bookable"


def test_only_the_unit_clerk_may_book(unit_head, case, authority):
    with pytest.raises(PermissionDenied) as refused:
        booking_create(actor=unit_head, delegation=case, slot_id=make_slot(authority).pk)
    assert refused.value.code == "wrong_role"


def test_cancelling_frees_the_place_and_changing_moves_it(clerk, case, authority):
    first = make_slot(authority)
    later = make_slot(authority, hour=10)
    booking = booking_create(actor=clerk, delegation=case, slot_id=first.pk)
    booking_change(actor=clerk, booking_id=booking.pk, slot_id=later.pk, expected_version=0)
    first.refresh_from_db(), later.refresh_from_db()
    assert (first.booked, later.booked) == (0, 1)
    booking_cancel(actor=clerk, booking_id=booking.pk, expected_version=1)
    later.refresh_from_db(), booking.refresh_from_db()
    assert later.booked == 0 and booking.status == BookingStatus.CANCELLED
    with pytest.raises(StateConflict):
        booking_cancel(actor=clerk, booking_id=booking.pk)


def test_a_stale_version_is_refused(clerk, case, authority):
    booking = booking_create(actor=clerk, delegation=case, slot_id=make_slot(authority).pk)
    with pytest.raises(StateConflict) as refused:
        booking_cancel(actor=clerk, booking_id=booking.pk, expected_version=7)
    assert refused.value.code == "stale_version"


def test_a_bad_slot_id_is_a_plain_refusal(clerk, case, authority):
    booking = booking_create(actor=clerk, delegation=case, slot_id=make_slot(authority).pk)
    with pytest.raises(ServiceError) as refused:
        booking_change(actor=clerk, booking_id=booking.pk, slot_id="x")
    assert refused.value.code == "slot_not_found"


def test_check_in_by_token_gives_the_days_numbers_in_order(clerk, unit, authority):
    slot = make_slot(authority, capacity=5)
    tickets = []
    for _ in range(2):
        case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
        booking = booking_create(actor=clerk, delegation=case, slot_id=slot.pk)
        tickets.append(booking_check_in(actor=None, token=booking.token))
    assert [t.display for t in tickets] == ["A-0001", "A-0002"]
    with pytest.raises(StateConflict):
        booking_check_in(actor=None, token=booking.token)


def test_check_in_only_on_the_bookings_day(clerk, case, authority):
    slot = make_slot(authority, day=timezone.localdate() + dt.timedelta(days=1))
    booking = booking_create(actor=clerk, delegation=case, slot_id=slot.pk)
    with pytest.raises(StateConflict) as refused:
        booking_check_in(actor=None, token=booking.token)
    assert refused.value.code == "not_today"


def test_a_window_clerk_of_another_office_cannot_check_in(clerk, case, authority):
    booking = booking_create(actor=clerk, delegation=case, slot_id=make_slot(authority).pk)
    stranger = UserFactory(role=Role.WINDOW_CLERK)
    with pytest.raises(PermissionDenied):
        booking_check_in(actor=stranger, code=booking.code)


def test_the_queue_calls_in_order_and_transfers(clerk, unit, authority, staff):
    window_clerk = staff["window_clerk"]
    slot = make_slot(authority, capacity=5)
    other = make_slot(authority, letter="B")
    codes = []
    for _ in range(2):
        case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
        codes.append(booking_create(actor=clerk, delegation=case, slot_id=slot.pk).code)
    first = booking_check_in(actor=window_clerk, code=codes[0].lower())
    second = booking_check_in(actor=window_clerk, code=codes[1])
    window_a = slot.business_type.window
    called = queue.ticket_call_next(actor=window_clerk, window_id=window_a.pk)
    assert called.pk == first.pk and called.status == TicketStatus.CALLED
    queue.ticket_finish(actor=window_clerk, ticket_id=called.pk)
    moved = queue.ticket_transfer(
        actor=window_clerk, ticket_id=second.pk, window_id=other.business_type.window_id
    )
    assert moved.window_id == other.business_type.window_id and moved.display == "A-0002"
    with pytest.raises(StateConflict) as empty:
        queue.ticket_call_next(actor=window_clerk, window_id=window_a.pk)
    assert empty.value.code == "queue_empty"
    called_b = queue.ticket_call_next(actor=window_clerk, window_id=other.business_type.window_id)
    assert called_b.pk == second.pk
    assert AuditEvent.objects.filter(action="ticket.transfer").count() == 1


def test_a_booking_tells_the_units_other_clerk(clerk, unit, case, authority):
    from waiban.notices.models import Notice

    colleague = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    from waiban.testing.outbox import deliver_outbox

    booking_create(actor=clerk, delegation=case, slot_id=make_slot(authority).pk)
    deliver_outbox()
    assert Notice.objects.filter(recipient=colleague).exists()
    assert not Notice.objects.filter(recipient=clerk).exists()
