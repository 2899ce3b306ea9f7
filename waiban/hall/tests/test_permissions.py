"""Every role against every page of the hall; bad input gives a page, never a 5xx."""

import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.hall.booking import booking_check_in, booking_create
from waiban.hall.models import Booking, BookingStatus, TimeSlot
from waiban.hall.tests.helpers import make_slot
from waiban.testing.factories import AuthorityFactory, DelegationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role] + ["outsider_clerk", "outsider_window", "anonymous"]


@pytest.fixture
def world(unit, authority, clerk):
    users = {"unit_clerk": clerk}
    for role in Role:
        if role == Role.UNIT_CLERK:
            continue
        where = (
            {"unit": unit} if role in (Role.UNIT_HEAD, Role.TRAVELLER) else {"authority": authority}
        )
        users[role.value] = UserFactory(role=role, **where)
    users["outsider_clerk"] = UserFactory(
        role=Role.UNIT_CLERK, unit=UnitFactory(authority=authority)
    )
    users["outsider_window"] = UserFactory(role=Role.WINDOW_CLERK, authority=AuthorityFactory())
    slot = make_slot(authority, capacity=5)
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    booking = booking_create(actor=clerk, delegation=case, slot_id=slot.pk)
    second = booking_create(
        actor=clerk,
        delegation=DelegationFactory(unit=unit, created_by=clerk, submitted=True),
        slot_id=slot.pk,
    )
    ticket = booking_check_in(actor=None, token=second.token)
    return {"users": users, "booking": booking, "ticket": ticket, "slot": slot, "case": case}


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_open_to_everyone(client, world, role):
    c = _client(client, world, role)
    for url in [
        reverse("hall:index"),
        reverse("hall:guide", args=["official-visit"]),
        reverse("hall:screen"),
        reverse("hall:check_in", args=[world["booking"].token]),
    ]:
        assert c.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_the_bookings_pages_are_the_unit_clerks(client, world, role):
    c = _client(client, world, role)
    booking = world["booking"]
    expected = {"unit_clerk": 200, "anonymous": 302}.get(role, 404)
    assert c.get(reverse("hall:bookings")).status_code == (
        200 if role in ("unit_clerk", "outsider_clerk") else expected
    )
    assert c.get(reverse("hall:booking", args=[booking.pk])).status_code == expected
    cancel = c.post(reverse("hall:booking_cancel", args=[booking.pk]), {"version": 0})
    assert cancel.status_code == (302 if role in ("unit_clerk", "anonymous") else 404)
    booking.refresh_from_db()
    assert (booking.status == BookingStatus.CANCELLED) == (role == "unit_clerk")


@pytest.mark.parametrize("role", ROLES)
def test_the_desk_is_the_window_clerks_of_the_office(client, world, role):
    c = _client(client, world, role)
    window = world["slot"].business_type.window
    ticket = world["ticket"]
    desk = c.get(reverse("hall:desk")).status_code
    call = c.post(reverse("hall:call", args=[window.pk])).status_code
    ticket.refresh_from_db()
    if role == "window_clerk":
        assert (desk, call) == (200, 302) and ticket.status == "called"
    elif role == "outsider_window":
        assert (desk, call) == (200, 404) and ticket.status == "waiting"
    elif role == "anonymous":
        assert (desk, call) == (302, 302) and ticket.status == "waiting"
    else:
        assert (desk, call) == (404, 404) and ticket.status == "waiting"
    move = c.post(reverse("hall:ticket", args=[ticket.pk]), {"action": "no_show"}).status_code
    assert move == {"window_clerk": 302, "anonymous": 302}.get(role, 404)


def test_a_clerk_books_through_the_page_and_a_full_slot_is_told_beside_the_field(
    client, world, unit
):
    clerk = world["users"]["unit_clerk"]
    client.force_login(clerk)
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    slot = world["slot"]
    page = client.post(reverse("hall:bookings"), {"delegation": case.pk, "slot": slot.pk})
    assert page.status_code == 302
    made = Booking.objects.get(delegation=case)
    assert page["Location"] == reverse("hall:booking", args=[made.pk])
    TimeSlot.objects.filter(pk=slot.pk).update(capacity=3)  # now full (3 booked)
    other = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    refused = client.post(reverse("hall:bookings"), {"delegation": other.pk, "slot": slot.pk})
    assert refused.status_code == 200
    assert 'data-field-error="slot"' in refused.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"delegation": "x", "slot": "y"}, {"delegation": "99999999999999999999", "slot": "1"}],
)
def test_bad_booking_input_is_a_form_error(client, world, data):
    client.force_login(world["users"]["unit_clerk"])
    assert client.post(reverse("hall:bookings"), data).status_code == 200


def test_bad_desk_input_is_never_a_5xx(client, world):
    client.force_login(world["users"]["window_clerk"])
    assert client.post(reverse("hall:desk"), {"code": "x"}).status_code == 200
    wrong = client.post(reverse("hall:desk"), {"code": "ZZZZZZZZ"})
    assert wrong.status_code == 200 and 'data-field-error="code"' in wrong.content.decode()
    ticket = world["ticket"]
    for data in [{}, {"action": "transfer", "window": "abc"}, {"action": "finish", "version": "x"}]:
        assert client.post(reverse("hall:ticket", args=[ticket.pk]), data).status_code == 302
    assert (
        client.post(reverse("hall:ticket", args=[987654]), {"action": "finish"}).status_code == 404
    )


def test_the_booking_page_shows_the_receipts_qr_code(client, world):
    client.force_login(world["users"]["unit_clerk"])
    page = client.get(reverse("hall:booking", args=[world["booking"].pk])).content.decode()
    assert '<div data-testid="qr"><svg' in page and world["booking"].token in page


def test_the_desk_checks_in_by_code(client, world):
    client.force_login(world["users"]["window_clerk"])
    page = client.post(reverse("hall:desk"), {"code": world["booking"].code}, follow=True)
    assert 'data-ticket="A-0002"' in page.content.decode()
