"""A trip report due soon: the clerk is reminded once, three working days ahead, and sees it
among the to-dos; a report already with the office is not reminded of."""

import datetime as dt

import pytest
from django.urls import reverse

from waiban.core.calendar import WorkingCalendar
from waiban.notices.models import Notice
from waiban.reports.reminders import reports_remind_due
from waiban.reports.rules import report_due_date
from waiban.testing.factories import DelegationFactory
from waiban.testing.outbox import deliver_outbox

pytestmark = pytest.mark.django_db
WEEKDAYS = WorkingCalendar(overrides={})


def test_the_clerk_is_reminded_once_three_working_days_ahead(unit, clerk):
    case = DelegationFactory(unit=unit, created_by=clerk, approved=True)
    case.state = "back_home"
    case.save()
    due = report_due_date(case, calendar=WEEKDAYS)
    assert reports_remind_due(today=due - dt.timedelta(days=14), calendar=WEEKDAYS) == 0
    three_ahead = due
    for _ in range(3):
        three_ahead -= dt.timedelta(days=1)
        while three_ahead.weekday() >= 5:
            three_ahead -= dt.timedelta(days=1)
    assert reports_remind_due(today=three_ahead, calendar=WEEKDAYS) >= 1
    assert reports_remind_due(today=due, calendar=WEEKDAYS) == 0  # once
    deliver_outbox()
    notice = Notice.objects.get(recipient=clerk)
    assert case.case_number in notice.subject
    assert notice.link == reverse("reports:edit", args=[case.pk])


def test_the_to_do_counts_the_reports_owed(client, unit, clerk):
    case = DelegationFactory(unit=unit, created_by=clerk, approved=True)
    case.state = "back_home"
    case.save()
    client.force_login(clerk)
    html = client.get(reverse("visits:list")).content.decode()
    block = html.split('data-testid="todos"', 1)[1].split("</section>", 1)[0]
    assert "Trip reports to write" in block
