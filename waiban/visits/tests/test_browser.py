"""A clerk submits and the office approves, in a real headless Chromium (Playwright)."""

import datetime as dt

import pytest
from django.utils import timezone

from waiban.core.models import AuditEvent
from waiban.testing.browser import browser_test, chromium_page, login
from waiban.testing.factories import PersonFactory
from waiban.visits.models import Delegation
from waiban.visits.states import State

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
pytestmark = browser_test


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def act(page, action, opinion=None):
    if opinion is not None:
        page.fill("#id_opinion", opinion)
    page.click(f"button[formaction$='/do/{action}/']")


def test_a_clerk_submits_in_the_browser_and_an_approver_approves(
    page, live_server, clerk, unit, unit_head, staff, tmp_path
):
    # A bureau-level leader: the case needs two approval levels (division head, office leader).
    people = [
        PersonFactory(unit=unit, name_zh=name, rank=rank)
        for name, rank in [
            ("张伟", "bureau_deputy"),
            ("王芳", "division_full"),
            ("李娜", "section"),
        ]
    ]
    base = live_server.url
    start = timezone.localdate() + dt.timedelta(days=30)

    login(page, base, clerk)
    page.goto(f"{base}/delegations/new/")
    page.fill("#id_title", "赴德国、法国经贸考察团")
    page.select_option("#id_task_type", "business_talks")
    page.fill("#id_purpose", "参加中德经贸合作论坛并考察合作项目")
    page.fill("#id_inviting_organisation", "德中经济联合会")
    page.select_option("#id_inviting_organisation_kind", "counterpart")
    page.click("[data-add-row=members]")
    page.click("[data-add-row=members]")
    for i, person in enumerate(people):
        page.select_option(f"#id_members-{i}-person", str(person.pk))
        page.select_option(f"#id_members-{i}-role", "leader" if i == 0 else "member")
    page.click("[data-add-row=stops]")
    for i, (country, city, a, b) in enumerate([("DE", "柏林", 0, 3), ("FR", "巴黎", 3, 6)]):
        page.select_option(f"#id_stops-{i}-country", country)
        page.fill(f"#id_stops-{i}-city", city)
        page.fill(f"#id_stops-{i}-arrival_date", (start + dt.timedelta(days=a)).isoformat())
        page.fill(f"#id_stops-{i}-departure_date", (start + dt.timedelta(days=b)).isoformat())
    page.fill("#id_budget-air_fare", "36000")
    page.fill("#id_budget-lodging", "15000")
    page.click("#delegation-form button[type=submit]")
    page.wait_for_selector("[data-testid=state]")
    delegation = Delegation.objects.get()

    invitation = tmp_path / "邀请函.pdf"
    invitation.write_bytes(PDF)
    page.select_option("#id_kind", "invitation")
    page.set_input_files("#id_file", str(invitation))
    page.click("form[enctype] button")
    page.wait_for_selector("text=邀请函.pdf")

    login(page, base, unit_head)
    page.goto(f"{base}/delegations/{delegation.pk}/")
    act(page, "commit")
    page.wait_for_selector("[data-testid=commitment]:has-text('✔')")

    login(page, base, clerk)
    page.goto(f"{base}/delegations/{delegation.pk}/")
    act(page, "submit")
    number = page.text_content("[data-testid=receipt-number]").strip()
    delegation.refresh_from_db()
    assert number == delegation.case_number
    assert page.locator(".receipt-qr svg").count() == 1

    # The window returns it with a one-time notice of two items; the clerk fixes both at once.
    login(page, base, staff["window_clerk"])
    page.goto(f"{base}/delegations/{delegation.pk}/")
    page.select_option("#id_items-0-target", "purpose")
    page.fill("#id_items-0-message", "出访事由请写明具体会谈对象")
    page.select_option("#id_items-1-target", "budget")
    page.fill("#id_items-1-message", "请补充伙食费预算")
    page.click("button[value=send_back]")
    page.wait_for_selector("[data-testid=correction-notice]")

    login(page, base, clerk)
    page.goto(f"{base}/delegations/{delegation.pk}/edit/")
    notice = page.text_content("[data-testid=correction-notice]")
    assert "具体会谈对象" in notice and "伙食费" in notice
    page.fill("#id_purpose", "参加中德经贸合作论坛，与德中经济联合会会谈并考察合作项目")
    page.fill("#id_budget-meals", "4500")
    page.click("#delegation-form button[type=submit]")
    page.wait_for_selector("[data-testid=state]")
    act(page, "resubmit", "已按告知补正两项")
    page.wait_for_selector("[data-testid=receipt-number]")

    for user, action, opinion in [
        (staff["window_clerk"], "accept", ""),
        (staff["reviewer"], "review", "材料齐全，符合规定"),
        (staff["division_head"], "approve", "同意"),
        (staff["office_leader"], "approve", "同意出访"),
    ]:
        login(page, base, user)
        page.goto(f"{base}/delegations/{delegation.pk}/")
        act(page, action, opinion)
        page.wait_for_selector(".alert-success")

    delegation.refresh_from_db()
    assert delegation.state == State.APPROVED
    assert page.get_attribute("[data-testid=state]", "data-state") == State.APPROVED
    timeline = page.text_content("[data-testid=timeline]")
    for actor in (
        unit_head,
        clerk,
        staff["window_clerk"],
        staff["reviewer"],
        staff["division_head"],
    ):
        assert str(actor) in timeline
    assert str(staff["office_leader"]) in timeline
    events = [
        e.get_attribute("data-event")
        for e in page.locator("[data-testid=timeline] li[data-event]").all()
    ]
    assert events == [
        "commit",
        "submit",
        "send_back",
        "resubmit",
        "accept",
        "review",
        "approve",
        "approve",
    ]
    audited = set(
        AuditEvent.objects.filter(
            object_id=str(delegation.pk), object_type="visits.delegation"
        ).values_list("action", flat=True)
    )
    assert {f"delegation.{e}" for e in events} | {
        "delegation.create",
        "delegation.update",
    } <= audited
