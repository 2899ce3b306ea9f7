"""On a phone (390 px): the clerk books a slot, opens the receipt's check-in link at the hall
and gets a queue number; no page is wider than the screen."""

import pytest

from waiban.accounts.roles import Role
from waiban.hall.models import Booking
from waiban.hall.tests.helpers import make_slot
from waiban.testing.browser import browser_test, chromium_page, login
from waiban.testing.factories import AuthorityFactory, DelegationFactory, UnitFactory, UserFactory

pytestmark = browser_test

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_clerk_books_and_checks_in_on_a_phone(live_server):
    authority = AuthorityFactory()
    unit = UnitFactory(authority=authority)
    clerk = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    slot = make_slot(authority)
    with chromium_page(**PHONE) as page:
        login(page, live_server.url, clerk)
        page.goto(f"{live_server.url}/hall/bookings/")
        assert _fits(page)
        page.select_option("#id_delegation", str(case.pk))
        page.select_option("#id_slot", str(slot.pk))
        page.click("form button.btn-primary")
        page.wait_for_selector("[data-testid=qr] svg")
        assert _fits(page)
        booking = Booking.objects.get(delegation=case)
        page.goto(f"{live_server.url}/hall/check-in/{booking.token}/")
        page.click("form button.btn-primary")
        assert page.inner_text("[data-testid=ticket]") == "A-0001"
        assert _fits(page)
        page.goto(f"{live_server.url}/hall/screen/")
        assert _fits(page)


@pytest.mark.parametrize("path", ["/hall/", "/hall/ratings/", "/hall/advisories/"])
def test_the_public_pages_fit_a_phone(live_server, path):
    with chromium_page(**PHONE) as page:
        page.goto(f"{live_server.url}{path}")
        assert _fits(page)
