"""With the clock moved past a loan's due date, as the office lives it: the custody view turns
the passport amber the day after it is due and red after 30 days, the unit's next submission is
refused from day 31 until the passport is back, and a passport that expires while it is out is
shown so and marked expired when it returns."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from waiban.core.models import AuditEvent
from waiban.passports.loans import passport_lend, passport_return
from waiban.passports.models import PassportEvent
from waiban.passports.reminders import passports_expire
from waiban.passports.selectors import custody_rows
from waiban.passports.states import Status
from waiban.passports.tests.helpers import clock_on, make_passport, mrz_of
from waiban.testing.factories import DelegationFactory
from waiban.visits.states import State


@pytest.fixture
def trip(unit):
    return DelegationFactory(unit=unit, approved=True, members=2)


@pytest.fixture
def one_back_one_out(trip, officer):
    """Both passports lent for the trip; the first came back, the second is still out."""
    first, second = (
        make_passport(m.person, number=f"PE100000{i}")
        for i, m in enumerate(trip.members.order_by("position"))
    )
    for passport in (first, second):
        passport_lend(passport=passport, actor=officer, delegation=trip, taken_by="李专办")
    passport_return(passport=first, actor=officer)
    return first, second, second.loans.get()


def custody_row(client, passport) -> str:
    html = client.get(reverse("passports:custody")).content.decode()
    match = re.search(rf'<tr data-passport="{passport.pk}"[^>]*>.*?</tr>', html, re.S)
    assert match, "the passport is not on the custody view"
    return match.group(0)


@pytest.mark.parametrize(
    "days_late, colour, badge",
    [
        (0, None, None),
        (1, "table-warning", "1 day overdue"),
        (30, "table-warning", "30 days overdue"),
        (31, "table-danger", "31 days overdue"),
    ],
)
def test_the_passport_still_out_turns_amber_after_its_due_date_and_red_after_30_days(
    client, officer, one_back_one_out, days_late, colour, badge
):
    first, second, loan = one_back_one_out
    with clock_on(loan.due_date + dt.timedelta(days=days_late)):
        client.force_login(officer)
        row = custody_row(client, second)
        back = custody_row(client, first)
    assert "table-" not in back  # the returned one stays plain
    if colour is None:
        assert "table-" not in row and "overdue" not in row
    else:
        assert f'class="{colour}"' in row and badge in row


def test_the_daily_run_marks_it_overdue_and_the_view_shows_so(client, officer, one_back_one_out):
    first, second, loan = one_back_one_out
    with clock_on(loan.due_date + dt.timedelta(days=1)):
        call_command("passports_remind")
        client.force_login(officer)
        row = custody_row(client, second)
    assert f'data-status="{Status.OVERDUE}"' in row and 'class="table-warning"' in row


def test_from_day_31_the_units_next_submission_is_refused_until_the_passport_comes_back(
    client, unit, clerk, officer, one_back_one_out
):
    first, second, loan = one_back_one_out
    with clock_on(loan.due_date + dt.timedelta(days=31)):
        draft = DelegationFactory(unit=unit, created_by=clerk)
        submit = reverse("visits:action", args=[draft.pk, "submit"])
        client.force_login(clerk)
        response = client.post(submit, {"version": draft.version})
        html = response.content.decode()
        assert response.status_code == 400
        assert "31 days overdue" in html and second.person.name_zh in html
        draft.refresh_from_db()
        assert draft.state == State.DRAFT

        # The passport comes back (scanned at the custody page): the block lifts at once.
        client.force_login(officer)
        client.post(reverse("passports:return_scan"), {"mrz": mrz_of(second)})
        second.refresh_from_db()
        assert second.status == Status.IN_CUSTODY
        assert AuditEvent.objects.filter(action="passport.return", actor=officer).count() == 2

        client.force_login(clerk)
        response = client.post(submit, {"version": draft.version})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.state == State.PRE_REVIEW


def test_day_30_does_not_block_the_units_submission(client, unit, clerk, one_back_one_out):
    _first, _second, loan = one_back_one_out
    with clock_on(loan.due_date + dt.timedelta(days=30)):
        draft = DelegationFactory(unit=unit, created_by=clerk)
        client.force_login(clerk)
        response = client.post(
            reverse("visits:action", args=[draft.pk, "submit"]), {"version": draft.version}
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.PRE_REVIEW


# A passport that expires while it is lent out


@pytest.fixture
def expiring_out(trip, officer):
    passport = make_passport(
        trip.members.first().person,
        number="PE3334445",
        expiry_date=trip.return_date + dt.timedelta(days=20),
    )
    passport_lend(passport=passport, actor=officer, delegation=trip, taken_by="李专办")
    return passport


def test_a_lent_out_passport_past_its_expiry_is_left_out_by_the_daily_expiry_but_flagged(
    client, officer, expiring_out
):
    after = expiring_out.expiry_date + dt.timedelta(days=1)
    assert passports_expire(today=after) == 0
    expiring_out.refresh_from_db()
    assert expiring_out.status == Status.LENT_OUT  # its whereabouts stay known: out, with whom
    (row,) = custody_rows(actor=officer, today=after)
    assert row.expired_while_out
    with clock_on(after):
        client.force_login(officer)
        html = custody_row(client, expiring_out)
    assert 'data-testid="expired-while-out"' in html and "expired while out" in html


def test_a_passport_that_expired_while_out_is_marked_expired_as_it_comes_back(
    client, officer, expiring_out
):
    after = expiring_out.expiry_date + dt.timedelta(days=1)
    with clock_on(after):
        client.force_login(officer)
        response = client.post(
            reverse("passports:return_scan"), {"mrz": mrz_of(expiring_out)}, follow=True
        )
    html = response.content.decode()
    assert "back in custody" in html and "while it was out and is now marked expired" in html
    expiring_out.refresh_from_db()
    assert expiring_out.status == Status.EXPIRED
    assert expiring_out.loans.get().returned_at is not None
    events = list(expiring_out.events.values_list("action", "to_status", "comment"))
    assert events[-2:] == [
        ("return", Status.IN_CUSTODY, "returned by MRZ scan"),
        ("expire", Status.EXPIRED, "expired while lent out"),
    ]
    assert AuditEvent.objects.get(action="passport.expire").actor == officer


def test_a_passport_still_valid_on_return_goes_back_into_the_cabinet(officer, expiring_out):
    passport_return(passport=expiring_out, actor=officer, today=expiring_out.expiry_date)
    expiring_out.refresh_from_db()
    assert expiring_out.status == Status.IN_CUSTODY
    assert not PassportEvent.objects.filter(passport=expiring_out, action="expire").exists()
