"""axe-core finds no serious or critical accessibility violation on the main pages of the
clerk's, the window's and the public's day."""

import pytest
from django.urls import reverse

from waiban.testing.accessibility import axe_violations
from waiban.testing.browser import browser_test, chromium_page, login
from waiban.testing.factories import DelegationFactory

pytestmark = browser_test


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def _check(page, url):
    page.goto(url)
    return {url: axe_violations(page)}


def test_the_clerks_pages(page, live_server, unit, clerk, staff):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    draft = DelegationFactory(unit=unit, created_by=clerk)
    login(page, live_server.url, clerk)
    found = {}
    for name, args in [
        ("visits:list", []),
        ("visits:create", []),
        ("visits:detail", [case.pk]),
        ("visits:detail", [draft.pk]),
        ("visits:receipt", [case.pk]),
        ("people:list", []),
        ("notices:inbox", []),
        ("notices:preferences", []),
    ]:
        found.update(_check(page, live_server.url + reverse(name, args=args)))
    assert {url: v for url, v in found.items() if v} == {}


def test_the_windows_pages_and_the_public_ones(page, live_server, unit, clerk, staff):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    found = {}
    found.update(_check(page, live_server.url + reverse("portal:progress")))
    found.update(_check(page, live_server.url + "/accounts/login/"))
    login(page, live_server.url, staff["window_clerk"])
    found.update(_check(page, live_server.url + reverse("visits:workbench")))
    found.update(_check(page, live_server.url + reverse("visits:detail", args=[case.pk])))
    assert {url: v for url, v in found.items() if v} == {}


def test_the_offices_other_pages(page, live_server, authority, staff):
    from waiban.accounts.roles import Role
    from waiban.testing.factories import UserFactory

    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
    found = {}
    login(page, live_server.url, officer)
    found.update(_check(page, live_server.url + reverse("passports:custody")))
    page.context.clear_cookies()
    login(page, live_server.url, staff["reviewer"])
    for name in ("watchlists:hits", "watchlists:lists", "plans:overview"):
        found.update(_check(page, live_server.url + reverse(name)))
    assert {url: v for url, v in found.items() if v} == {}
