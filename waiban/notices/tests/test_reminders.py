"""Daily reminders ahead of deadlines: once each, to the people who must act."""

import datetime as dt

import pytest

from waiban.core.calendar import WorkingCalendar
from waiban.notices.models import Notice
from waiban.testing.factories import DelegationFactory
from waiban.testing.outbox import deliver_outbox
from waiban.visits.notify import cases_remind_deadlines

pytestmark = pytest.mark.django_db
WEEKDAYS = WorkingCalendar(overrides={})
MONDAY = dt.date(2026, 11, 30)


def test_the_queue_is_told_once_the_day_before_a_case_turns_amber(unit, clerk, staff):
    case = DelegationFactory(unit=unit, created_by=clerk, under_review=True)
    case.deadline = MONDAY + dt.timedelta(days=3)  # Thursday
    case.save()
    assert cases_remind_deadlines(today=MONDAY, calendar=WEEKDAYS) == 0  # three days ahead
    assert cases_remind_deadlines(today=MONDAY + dt.timedelta(days=2), calendar=WEEKDAYS) >= 1
    assert cases_remind_deadlines(today=MONDAY + dt.timedelta(days=3), calendar=WEEKDAYS) == 0
    deliver_outbox()
    told = Notice.objects.values_list("recipient", flat=True)
    assert list(told) == [staff["reviewer"].pk]
    assert case.case_number in Notice.objects.get().subject


def test_a_new_stage_has_its_own_reminder(unit, clerk, staff):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    case.deadline = MONDAY
    case.save()
    cases_remind_deadlines(today=MONDAY, calendar=WEEKDAYS)
    case.state, case.deadline = "under_review", MONDAY + dt.timedelta(days=1)
    case.save()
    cases_remind_deadlines(today=MONDAY, calendar=WEEKDAYS)
    deliver_outbox()
    assert set(Notice.objects.values_list("recipient", flat=True)) == {
        staff["window_clerk"].pk,
        staff["reviewer"].pk,
    }
