import datetime as dt

import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.core.calendar import WorkingCalendar
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.hall import queue, ratings
from waiban.hall.booking import booking_check_in, booking_create
from waiban.hall.models import Rating, Rectification
from waiban.hall.tests.helpers import make_slot
from waiban.notices.models import Notice
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.testing.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(unit, clerk):
    return DelegationFactory(unit=unit, created_by=clerk, submitted=True)


@pytest.fixture
def served(clerk, case, authority, staff):
    """A booking checked in, called and served at the window."""
    slot = make_slot(authority)
    booking = booking_create(actor=clerk, delegation=case, slot_id=slot.pk)
    ticket = booking_check_in(actor=None, token=booking.token)
    queue.ticket_call_next(actor=staff["window_clerk"], window_id=slot.business_type.window_id)
    queue.ticket_finish(actor=staff["window_clerk"], ticket_id=ticket.pk)
    return booking


def test_a_good_rating_opens_nothing_and_a_case_is_rated_once(clerk, case):
    ratings.rating_for_case(actor=clerk, delegation=case, level=4, attitude="5")
    assert not Rectification.objects.exists()
    with pytest.raises(StateConflict) as again:
        ratings.rating_for_case(actor=clerk, delegation=case, level=5)
    assert again.value.code == "already_rated"


def test_a_bad_rating_opens_a_rectification_due_in_five_working_days(clerk, case, settings):
    rating = ratings.rating_for_case(actor=clerk, delegation=case, level=2, comment="跑了两次")
    rectification = rating.rectification
    expected = WorkingCalendar().add_working_days(dt.date.today(), 5)
    assert rectification.status == "open" and rectification.deadline == expected
    settings.HALL_RECTIFICATION_WORKING_DAYS = 10
    other = DelegationFactory(unit=case.unit, created_by=clerk, submitted=True)
    later = ratings.rating_for_case(actor=clerk, delegation=other, level=1).rectification
    assert later.deadline == WorkingCalendar().add_working_days(dt.date.today(), 10)


def test_bad_levels_and_strangers_are_refused(clerk, case):
    for level in ["0", "6", "x", None]:
        with pytest.raises(ServiceError) as refused:
            ratings.rating_for_case(actor=clerk, delegation=case, level=level)
        assert refused.value.code == "bad_level"
    with pytest.raises(PermissionDenied):
        ratings.rating_for_case(actor=UserFactory(role=Role.UNIT_CLERK), delegation=case, level=5)


def test_a_window_visit_is_rated_from_the_qr_once_served(client, clerk, case, authority, staff):
    slot = make_slot(authority)
    booking = booking_create(actor=clerk, delegation=case, slot_id=slot.pk)
    with pytest.raises(StateConflict) as early:
        ratings.rating_for_visit(token=booking.token, level=5)
    assert early.value.code == "not_served"
    ticket = booking_check_in(actor=None, token=booking.token)
    queue.ticket_call_next(actor=staff["window_clerk"], window_id=slot.business_type.window_id)
    queue.ticket_finish(actor=staff["window_clerk"], ticket_id=ticket.pk)
    page = client.post(reverse("hall:rate_visit", args=[booking.token]), {"level": "2"})
    assert page.status_code == 302
    rating = Rating.objects.get(ticket=ticket)
    assert rating.level == 2 and rating.rectification.status == "open"
    again = client.get(reverse("hall:check_in", args=[booking.token]))
    assert 'data-testid="rated"' in again.content.decode()


def test_the_office_answers_and_the_clerk_sees_it(client, clerk, served, staff):
    window_clerk = staff["window_clerk"]
    client.post(reverse("hall:rate_visit", args=[served.token]), {"level": "2"})
    rectification = Rectification.objects.get()
    deliver_outbox()
    assert Notice.objects.filter(recipient=staff["reviewer"]).exists()  # the office is told
    client.force_login(window_clerk)
    empty = client.post(reverse("hall:rectification", args=[rectification.pk]), {"text": " "})
    assert 'data-field-error="text"' in empty.content.decode()
    client.post(
        reverse("hall:rectification", args=[rectification.pk]),
        {"text": "已核实，窗口增设引导员", "version": 0},
    )
    rectification.refresh_from_db()
    assert rectification.status == "answered"
    deliver_outbox()
    assert Notice.objects.filter(recipient=clerk, body__contains="增设引导员").exists()
    client.post(
        reverse("hall:rectification", args=[rectification.pk]),
        {"text": "电话回访，满意", "version": 1},
    )
    rectification.refresh_from_db()
    assert rectification.status == "closed"


def test_the_clerk_rates_a_case_through_the_page_and_sees_the_answer(client, clerk, case, staff):
    client.force_login(clerk)
    page = client.post(reverse("hall:rate_case", args=[case.pk]), {"level": "1"}, follow=True)
    text = page.content.decode()
    assert 'data-level="1"' in text and 'data-status="open"' in text
    ratings.rectification_answer(
        actor=staff["reviewer"], rectification_id=Rectification.objects.get().pk, answer="已整改"
    )
    assert "已整改" in client.get(reverse("hall:rate_case", args=[case.pk])).content.decode()
    assert client.post(reverse("hall:rate_case", args=[case.pk]), {}).status_code == 200


@pytest.mark.parametrize(
    "role,expected",
    [
        ("window_clerk", 200),
        ("reviewer", 200),
        ("supervisor", 200),
        ("approver", 404),
        ("passport_officer", 404),
        ("visa_officer", 404),
        ("unit_clerk", 404),
        ("unit_head", 404),
        ("traveller", 404),
        ("sys_admin", 404),
        ("security_admin", 404),
        ("audit_admin", 404),
    ],
)
def test_the_rectifications_are_the_offices(client, clerk, case, authority, unit, role, expected):
    ratings.rating_for_case(actor=clerk, delegation=case, level=1)
    row = Rectification.objects.get()
    where = (
        {"unit": unit}
        if role in ("unit_clerk", "unit_head", "traveller")
        else {"authority": authority}
    )
    user = UserFactory(role=role, **where)
    client.force_login(user)
    assert client.get(reverse("hall:rectifications")).status_code == expected
    assert client.get(reverse("hall:rectification", args=[row.pk])).status_code == expected
    posted = client.post(reverse("hall:rectification", args=[row.pk]), {"text": "x"})
    row.refresh_from_db()
    if role in ("window_clerk", "reviewer"):
        assert row.status == "answered"
    else:
        assert posted.status_code == 404 and row.status == "open"


def test_another_office_does_not_see_the_rectification(client, clerk, case):
    ratings.rating_for_case(actor=clerk, delegation=case, level=1)
    client.force_login(UserFactory(role=Role.REVIEWER))
    row = Rectification.objects.get()
    assert client.get(reverse("hall:rectification", args=[row.pk])).status_code == 404


def test_monthly_results_are_public_and_count_levels(client, clerk, unit, staff):
    for level in (5, 4, 1):
        case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
        ratings.rating_for_case(actor=clerk, delegation=case, level=level, comment="私密意见")
    ratings.rectification_answer(
        actor=staff["reviewer"], rectification_id=Rectification.objects.get().pk, answer="ok"
    )
    page = client.get(reverse("hall:results"))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-total="3"' in text and 'data-bad="1" data-rectified="1"' in text
    assert "66.7%" in text and "私密意见" not in text and unit.name not in text


def test_an_overdue_rectification_is_marked(client, clerk, case, staff):
    rating = ratings.rating_for_case(actor=clerk, delegation=case, level=1)
    client.force_login(staff["reviewer"])
    assert (
        'data-testid="overdue"' not in client.get(reverse("hall:rectifications")).content.decode()
    )
    Rectification.objects.filter(pk=rating.rectification.pk).update(
        deadline=dt.date.today() - dt.timedelta(days=1)
    )
    assert 'data-testid="overdue"' in client.get(reverse("hall:rectifications")).content.decode()
