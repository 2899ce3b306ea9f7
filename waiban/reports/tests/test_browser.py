"""The issue's "done when", in a real headless Chromium: a trip comes back; the clerk enters an
actual itinerary with an extra day, writes the report, the office accepts it; another unit finds
it by a two-character search; the supervisor sees the anomaly; the case closes."""

import datetime as dt

import pytest
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.reports.cage import anomalies_scan
from waiban.reports.tests.conftest import SECTION, back_home_case
from waiban.testing.browser import browser_test, chromium_page, login
from waiban.testing.factories import UnitFactory, UserFactory
from waiban.visits.states import State
from waiban.visits.trip import trips_follow_dates

pytestmark = browser_test


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def test_a_trip_comes_back_is_reported_found_by_another_unit_and_closed(
    page, live_server, unit, clerk, staff, authority
):
    base = live_server.url
    case = back_home_case(unit, clerk, days_ago=3)
    login(page, base, clerk)
    page.goto(f"{base}/delegations/{case.pk}/")
    page.click("[data-testid=enter-itinerary]")
    last = case.stops.count() - 1
    later = case.return_date + dt.timedelta(days=1)
    page.fill(f"#id_stops-{last}-departure_date", later.isoformat())
    page.click("[data-testid=itinerary-form] button.btn-primary")
    page.wait_for_selector("[data-deviation=more-days]")

    page.click("[data-testid=write-report]")
    page.fill("#id_title", "巴伐利亚州经贸合作考察报告")
    page.fill("#id_purpose", "参加中德经贸合作论坛并考察合作项目")
    page.fill("#id_activity_0", SECTION)
    page.fill("#id_counterparts", "巴伐利亚州经济部 部长")
    page.fill("#id_results", SECTION)
    page.click("[data-testid=report-form] button.btn-primary")
    page.click("button[data-action=submit]")
    page.wait_for_selector("[data-testid=report-state][data-state=submitted]")
    for kind in ("before", "after"):
        page.goto(f"{base}/reports/case/{case.pk}/disclosure/{kind}/")
        page.fill("#id_posted_on", timezone.localdate().isoformat())
        page.fill("#id_place", "单位公示栏")
        page.click("[data-testid=disclosure-form] button")
        page.wait_for_selector(f"[data-disclosure={kind}][data-recorded=yes]")

    page.context.clear_cookies()
    login(page, base, staff["reviewer"])
    page.goto(f"{base}/reports/{case.trip_report.pk}/")
    page.click("button[data-action=accept]")
    page.wait_for_selector("[data-testid=published][data-published=yes]")

    other = UserFactory(role=Role.UNIT_CLERK, unit=UnitFactory(authority=authority))
    page.context.clear_cookies()
    login(page, base, other)
    page.goto(f"{base}/reports/")
    page.fill("input[name=q]", "伐利")
    page.click("[data-testid=library-search] button")
    page.wait_for_selector(f"[data-report='{case.trip_report.pk}']")

    anomalies_scan()
    page.context.clear_cookies()
    login(page, base, staff["supervisor"])
    page.goto(f"{base}/reports/cage/")
    page.wait_for_selector(f"[data-anomaly=cage-days-over][data-case='{case.case_number}']")

    assert trips_follow_dates()["close"] == 1  # no passport out: the morning job closes it
    case.refresh_from_db()
    assert case.state == State.CLOSED
