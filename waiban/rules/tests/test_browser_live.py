"""The live findings in a real headless Chromium: they appear and go as the clerk types."""

import datetime as dt

import pytest
from django.utils import timezone

from waiban.testing.browser import browser_test, chromium_page, login
from waiban.testing.factories import PersonFactory

pytestmark = browser_test


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def test_the_clerk_sees_three_block_findings_while_typing_and_sees_them_go(
    page, live_server, clerk, unit
):
    people = [PersonFactory(unit=unit) for _ in range(7)]
    start = timezone.localdate() + dt.timedelta(days=45)
    login(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/delegations/new/")
    for _ in range(6):
        page.click("[data-add-row=members]")
    for i, person in enumerate(people):
        page.select_option(f"#id_members-{i}-person", str(person.pk))
        page.select_option(f"#id_members-{i}-role", "leader" if i == 0 else "member")
    for _ in range(3):
        page.click("[data-add-row=stops]")
    itinerary = [("DE", 0, 4), ("NL", 4, 4), ("FR", 4, 8), ("IT", 8, 11)]
    for i, (country, a, b) in enumerate(itinerary):
        page.select_option(f"#id_stops-{i}-country", country)
        page.fill(f"#id_stops-{i}-city", country)
        page.fill(f"#id_stops-{i}-arrival_date", (start + dt.timedelta(days=a)).isoformat())
        page.fill(f"#id_stops-{i}-departure_date", (start + dt.timedelta(days=b)).isoformat())
    page.check("#id_stops-1-is_transit")
    page.fill("#id_budget-air_fare", "60000")
    blocks = "#rule-findings [data-severity=block]"
    page.wait_for_function(f"document.querySelectorAll('{blocks}').length === 3")
    codes = page.eval_on_selector_all(blocks, "els => els.map(e => e.dataset.finding).sort()")
    assert codes == ["country-count", "group-size", "stay-days"]

    page.select_option("#id_members-6-person", "")
    page.check("#id_stops-1-is_airside")
    page.fill("#id_stops-3-departure_date", (start + dt.timedelta(days=9)).isoformat())
    page.wait_for_function(f"document.querySelectorAll('{blocks}').length === 0")


def test_the_live_check_runs_once_per_pause_in_typing_and_never_on_its_own(
    page, live_server, clerk, unit
):
    # The panel sits inside the form it checks: showing an answer must not start another check.
    checks = []
    page.on(
        "request",
        lambda request: checks.append(request) if request.url.endswith("/rules/live/") else None,
    )
    login(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/delegations/new/")
    page.wait_for_timeout(3000)
    assert len(checks) <= 1
    idle = len(checks)

    with page.expect_response(lambda r: r.url.endswith("/rules/live/")):
        page.locator("#id_title").press_sequentially("赴德国经贸考察团", delay=60)
    page.wait_for_selector("#rule-findings [data-finding]")
    page.wait_for_timeout(3000)
    assert len(checks) == idle + 1

    # Leaving the field fires its change event; the data is what was just checked: no check.
    page.click("#id_purpose")
    page.wait_for_timeout(1500)
    assert len(checks) == idle + 1
