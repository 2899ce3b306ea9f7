"""The clerk's first case, counted: clicks (and choices in lists), typed fields and page loads
from logging in to the receipt, with a traveller added on the way. The issue's baseline was 31
clicks, 25 typed fields and 18 page loads; the walk must take at most two-thirds of the clicks
and page loads. The counts are printed (pytest -s)."""

import datetime as dt

import pytest
from django.utils import timezone

from waiban.testing.browser import PASSWORD, browser_test, chromium_page
from waiban.testing.factories import PersonFactory
from waiban.testing.ids import make_id_number
from waiban.visits.models import Delegation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BASELINE = {"clicks": 31, "typed": 25, "loads": 18}
pytestmark = browser_test


class Counted:
    """The page, with every click, choice, typed field and page load counted."""

    def __init__(self, page):
        self.page, self.clicks, self.typed, self.loads = page, 0, 0, 0
        page.on("framenavigated", lambda frame: self._loaded())

    def _loaded(self):
        self.loads += 1

    def click(self, target, selector):
        self.clicks += 1
        target.locator(selector).first.click()

    def choose(self, target, selector, value):
        self.clicks += 1
        target.locator(selector).select_option(value)

    def type(self, target, selector, text):
        self.typed += 1
        target.locator(selector).fill(text)


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def test_the_clerks_first_case_takes_two_thirds_of_the_effort_it_took(
    page, live_server, unit, clerk, unit_head, tmp_path
):
    colleague = PersonFactory(unit=unit, name_zh="王芳", rank="division_full")
    start = timezone.localdate() + dt.timedelta(days=40)
    walk = Counted(page)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    walk.type(page, "#id_username", clerk.username)
    walk.type(page, "#id_password", PASSWORD)
    walk.click(page, "button[type=submit]")
    page.wait_for_selector("[data-testid=current-user]", state="attached")
    walk.click(page, "a[href='/delegations/new/']")
    page.wait_for_selector("#delegation-form")

    walk.type(page, "#id_title", "赴德国经贸考察团")
    walk.choose(page, "#id_task_type", "business_talks")
    walk.type(page, "#id_purpose", "参加中德经贸合作论坛并考察合作项目")
    walk.type(page, "#id_inviting_organisation", "德中经济联合会")
    walk.choose(page, "#id_inviting_organisation_kind", "counterpart")
    # The leader is new: added from inside the form.
    walk.click(page, "[data-open-add-person]")
    person = page.frame_locator("#add-person-dialog iframe")
    walk.type(person, "#id_name_zh", "单雪梅")
    walk.choose(person, "#id_sex", "F")
    walk.type(person, "#id_birth_date", "1982-06-15")
    walk.type(person, "#id_id_number", make_id_number(birth=dt.date(1982, 6, 15), sex="F"))
    walk.type(person, "#id_post", "副厅长")
    walk.choose(person, "#id_rank", "bureau_deputy")
    walk.click(person, "button[type=submit]")
    page.wait_for_function("!document.getElementById('add-person-dialog').open")
    walk.choose(page, "#id_members-0-role", "leader")
    walk.click(page, "[data-add-row=members]")
    walk.choose(page, "#id_members-1-person", str(colleague.pk))
    walk.type(
        page.locator("#id_stops-0-country").locator("xpath=.."), "input[type=search]", "deguo"
    )
    walk.type(page, "#id_stops-0-city", "柏林")
    walk.type(page, "#id_stops-0-arrival_date", start.isoformat())
    walk.type(page, "#id_stops-0-departure_date", (start + dt.timedelta(days=4)).isoformat())
    walk.type(page, "#id_budget-air_fare", "24000")
    walk.type(page, "#id_budget-lodging", "9000")
    walk.click(page, "#delegation-form button[type=submit]")
    page.wait_for_selector("[data-testid=state]")
    case = Delegation.objects.get()

    invitation = tmp_path / "邀请函.pdf"
    invitation.write_bytes(PDF)
    walk.choose(page, "#id_kind", "invitation")
    walk.clicks += 1  # choosing the file
    page.set_input_files("#id_file", str(invitation))
    walk.click(page, "form[enctype] button")
    page.wait_for_selector("text=邀请函.pdf")

    # The unit head confirms (their own clicks, not the clerk's).
    case.committed_by, case.committed_at = unit_head, timezone.now()
    case.save()

    walk.click(page, "a[href$='/delegations/']")  # back to the list, then into the case
    walk.click(page, f"table a[href='/delegations/{case.pk}/']")
    walk.click(page, "button[data-action=submit]")
    page.wait_for_selector("[data-testid=receipt-number]")
    case.refresh_from_db()
    assert case.state == "pre_review"

    print(
        f"\nclerk's first case: {walk.clicks} clicks, {walk.typed} typed fields, "
        f"{walk.loads} page loads (was {BASELINE['clicks']}, {BASELINE['typed']}, "
        f"{BASELINE['loads']})"
    )
    assert walk.clicks <= BASELINE["clicks"] * 2 // 3
    assert walk.loads <= BASELINE["loads"] * 2 // 3
