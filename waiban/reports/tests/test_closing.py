"""A case closes when its passports are back AND its trip report is accepted; until then the
clerk and the office see what is missing, and the daily job leaves it open."""

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.core.errors import ServiceError
from waiban.passports.models import Loan
from waiban.passports.tests.helpers import make_passport
from waiban.reports import services
from waiban.reports.tests.conftest import accepted_report, as_approved, disclose, report_data
from waiban.visits import workflow
from waiban.visits.states import State
from waiban.visits.trip import closing_problems, trips_follow_dates

pytestmark = pytest.mark.django_db


def _state(case):
    case.refresh_from_db()
    return case.state


def _lend(case, staff):
    passport = make_passport(case.members.first().person, status="lent_out")
    return Loan.objects.create(
        passport=passport,
        delegation=case,
        taken_by="王",
        lent_by=staff["reviewer"],
        due_date=timezone.localdate(),
    )


def test_the_report_the_notices_and_the_passports_are_all_needed(case, clerk, reviewer, staff):
    _lend(case, staff)
    assert len(closing_problems(case)) == 4  # passports, report, two notices
    assert trips_follow_dates()["close"] == 0
    with pytest.raises(ServiceError) as refused:
        workflow.delegation_close(delegation=case, actor=reviewer)
    message = refused.value.message
    assert "trip report" in message and "passport" in message and "public notice" in message

    accepted_report(case, clerk, reviewer)
    assert len(closing_problems(case)) == 3
    disclose(case, clerk)
    assert len(closing_problems(case)) == 1  # the passport only
    assert trips_follow_dates()["close"] == 0

    Loan.objects.update(returned_at=timezone.now())
    assert closing_problems(case) == []
    assert trips_follow_dates()["close"] == 1
    assert _state(case) == State.CLOSED


def test_a_submitted_report_is_not_enough(case, clerk, reviewer):
    services.actual_itinerary_save(delegation=case, actor=clerk, stops=as_approved(case))
    report = services.report_save(delegation=case, actor=clerk, data=report_data())
    services.report_submit(report=report, actor=clerk)
    assert trips_follow_dates()["close"] == 0
    assert any("not yet accepted" in p for p in closing_problems(case))


def test_the_clerk_and_the_office_see_what_is_missing_on_the_case_page(
    client, case, clerk, reviewer, staff
):
    _lend(case, staff)
    for user in (clerk, reviewer):
        client.force_login(user)
        page = client.get(reverse("visits:detail", args=[case.pk])).content.decode()
        assert 'data-testid="closing-missing"' in page
        assert "not back in custody" in page and "trip report is not written" in page
        assert 'data-state="none"' in page
    client.force_login(clerk)
    page = client.get(reverse("visits:detail", args=[case.pk])).content.decode()
    assert 'data-testid="write-report"' in page and 'data-testid="enter-itinerary"' in page


def test_a_closed_case_still_shows_its_trip_as_travelled_and_its_report(
    client, case, clerk, reviewer
):
    report = accepted_report(case, clerk, reviewer)
    disclose(case, clerk)
    assert trips_follow_dates()["close"] == 1
    client.force_login(clerk)
    page = client.get(reverse("visits:detail", args=[case.pk])).content.decode()
    assert 'data-state="accepted"' in page and 'data-testid="closing-missing"' not in page
    assert reverse("reports:detail", args=[report.pk]) in page
    assert 'data-testid="enter-itinerary"' not in page


def test_a_report_not_submitted_by_its_due_date_shows_overdue(client, unit, clerk, reviewer):
    from waiban.reports.tests.conftest import back_home_case

    late = back_home_case(unit, clerk, days_ago=40)
    fresh = back_home_case(unit, clerk, days_ago=1)
    client.force_login(reviewer)
    page = client.get(reverse("visits:detail", args=[late.pk])).content.decode()
    assert 'data-testid="report-overdue"' in page
    page = client.get(reverse("visits:detail", args=[fresh.pk])).content.decode()
    assert 'data-testid="report-overdue"' not in page
