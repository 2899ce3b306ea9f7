import datetime as dt

import pytest
from django.core.management import call_command

from waiban.core.calendar import WorkingCalendar
from waiban.notices.models import Notice
from waiban.notices.services import notice_send
from waiban.passports.loans import passport_lend
from waiban.passports.reminders import passports_remind
from waiban.passports.states import Status
from waiban.passports.tests.helpers import make_passport
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.testing.outbox import deliver_outbox

WEEKENDS_ONLY = WorkingCalendar(overrides={})


@pytest.fixture
def loan(unit, authority, clerk):
    trip = DelegationFactory(unit=unit, approved=True)
    officer = UserFactory(role="passport_officer", authority=authority)
    passport = make_passport(trip.members.first().person)
    return passport_lend(passport=passport, actor=officer, delegation=trip, taken_by="李")


def test_sending_a_notice_twice_with_one_key_writes_it_once(clerk):
    assert notice_send(key="k1", recipient=clerk, subject="s", body="b")
    assert notice_send(key="k1", recipient=clerk, subject="s", body="b") is None
    assert Notice.objects.count() == 1


def test_one_reminder_two_days_ahead_and_nothing_before(loan, clerk):
    assert passports_remind(today=loan.due_date - dt.timedelta(days=3)) == 0
    assert passports_remind(today=loan.due_date - dt.timedelta(days=2)) >= 1
    assert passports_remind(today=loan.due_date - dt.timedelta(days=1)) == 0  # once
    deliver_outbox()
    notice = Notice.objects.get(recipient=clerk)
    assert "due back on" in notice.subject and loan.delegation.case_number in notice.body


def test_the_clerk_is_reminded_on_the_due_date_once_however_often_the_command_runs(loan, clerk):
    assert passports_remind(today=loan.due_date) >= 1
    assert passports_remind(today=loan.due_date) == 0
    deliver_outbox()
    notice = Notice.objects.get(recipient=clerk)
    assert notice.recipient == clerk and "due back" in notice.subject


def test_a_late_passport_turns_overdue_and_reminders_repeat_every_few_working_days(loan, clerk):
    day = loan.due_date
    for offset in range(1, 15):
        passports_remind(today=day + dt.timedelta(days=offset), calendar=WEEKENDS_ONLY)
    deliver_outbox()
    loan.passport.refresh_from_db()
    assert loan.passport.status == Status.OVERDUE
    # 14 calendar days = 10 working days: reminders for periods 0..3
    assert 3 <= Notice.objects.filter(recipient=clerk).count() <= 4


def test_the_daily_command_runs(loan):
    call_command("passports_remind")


def test_one_reminder_per_trip_names_every_passport_still_out(unit, authority, clerk):
    trip = DelegationFactory(unit=unit, approved=True, members=2)
    officer = UserFactory(role="passport_officer", authority=authority)
    loans = [
        passport_lend(
            passport=make_passport(member.person, number=f"PE123456{index}"),
            actor=officer,
            delegation=trip,
            taken_by="李",
        )
        for index, member in enumerate(trip.members.all())
    ]
    passports_remind(today=loans[0].due_date)
    deliver_outbox()
    notice = Notice.objects.get(recipient=clerk)
    for loan in loans:
        assert loan.passport.person.name_zh in notice.body
