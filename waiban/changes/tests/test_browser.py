"""The issue's "done when", tried as a new user would, in a real headless Chromium: on an approved
case the clerk moves the dates by three days and adds a country; the change goes through the unit
head, the window, the review and the approval; the old approval document then verifies REVOKED
and the new one VALID, and the lent passport's due date moved by three days."""

import datetime as dt

import pytest

from waiban.accounts.roles import Role
from waiban.changes.models import ChangeRequest
from waiban.documents import services as documents
from waiban.documents.models import DocumentKind
from waiban.passports.loans import passport_lend
from waiban.passports.tests.helpers import make_passport
from waiban.testing.browser import browser_test, chromium_page, login
from waiban.testing.factories import DelegationFactory, UserFactory

pytestmark = browser_test


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def change_act(page, action, opinion=None):
    if opinion is not None:
        page.fill("[data-testid=change-actions] textarea[name=opinion]", opinion)
    page.click(f"[data-change-action={action}]")
    page.wait_for_selector("[data-testid=changes]")


def verify(page, base, code) -> str:
    page.goto(f"{base}/documents/verify/")
    page.fill("#id_code", code)
    page.click("form button.btn-primary")
    return page.get_attribute("[data-testid=verdict]", "data-status")


def test_moving_the_dates_and_adding_a_country_on_an_approved_case(
    page, live_server, settings, tmp_path, unit, clerk, unit_head, staff, authority
):
    settings.DOCUMENT_KEYS_DIR = tmp_path / "keys"
    case = DelegationFactory(unit=unit, created_by=clerk, approved=True)
    old_approval = {d.kind: d for d in documents.documents_issue(delegation=case)}[
        DocumentKind.APPROVAL
    ]
    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
    loan = passport_lend(
        passport=make_passport(case.members.first().person),
        actor=officer,
        delegation=case,
        taken_by="李专办",
    )
    old_due = loan.due_date
    base = live_server.url

    login(page, base, clerk)
    page.goto(f"{base}/delegations/{case.pk}/")
    page.click("[data-testid=propose-change]")
    page.fill("#id_reason", "邀请方将日程推迟三天，并增加意大利一站")
    stops = list(case.stops.all())
    for i, stop in enumerate(stops):
        page.fill(f"#id_stops-{i}-arrival_date", (stop.arrival_date + dt.timedelta(3)).isoformat())
        page.fill(
            f"#id_stops-{i}-departure_date", (stop.departure_date + dt.timedelta(3)).isoformat()
        )
    page.click("[data-add-row=stops]")
    last = (stops[-1].departure_date + dt.timedelta(3)).isoformat()
    n = len(stops)
    page.select_option(f"#id_stops-{n}-country", "IT")
    page.fill(f"#id_stops-{n}-city", "罗马")
    page.fill(f"#id_stops-{n}-arrival_date", last)
    page.fill(f"#id_stops-{n}-departure_date", last)
    page.click("#change-form button[type=submit]")
    page.wait_for_selector("[data-change-field=countries]")
    assert page.is_visible("[data-change-field=dates]")

    login(page, base, unit_head)
    page.goto(f"{base}/delegations/{case.pk}/")
    change_act(page, "confirm")
    for user, action, opinion in [
        (staff["window_clerk"], "accept", None),
        (staff["reviewer"], "review", "同意调整"),
        (staff["division_head"], "approve", "同意"),
    ]:
        login(page, base, user)
        page.goto(f"{base}/delegations/{case.pk}/")
        change_act(page, action, opinion)

    assert ChangeRequest.objects.get().state == "approved"
    page.goto(f"{base}/delegations/{case.pk}/")
    assert page.is_visible("[data-testid=versions] [data-version='2']")
    assert page.is_visible("[data-event=change_approve]")
    case.refresh_from_db()
    new_approval = documents.current_documents(case).get(kind=DocumentKind.APPROVAL)
    assert verify(page, base, old_approval.qr_text) == "revoked"
    assert verify(page, base, new_approval.qr_text) == "valid"
    loan.refresh_from_db()
    assert loan.due_date == old_due + dt.timedelta(days=3)
