"""The plan pages through the test client: who may open them, the numbers and colours, the flow."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.plans.models import AnnualPlan, PlanUse
from waiban.plans.selectors import usage_colour
from waiban.plans.tests.conftest import YEAR, item_data
from waiban.testing.factories import AuthorityFactory, UnitFactory, UserFactory
from waiban.visits.states import State

pytestmark = pytest.mark.django_db

PLAN_USERS = {"clerk", "unit_head", "reviewer", "division_head", "office_leader", "supervisor"}
ALL_USERS = [
    "clerk",
    "unit_head",
    "traveller",
    "window_clerk",
    "reviewer",
    "division_head",
    "office_leader",
    "passport_officer",
    "visa_officer",
    "supervisor",
    "sys_admin",
    "security_admin",
    "audit_admin",
]
# The link page is scoped like the case page: the unit and every office role in scope.
CASE_USERS = set(ALL_USERS) - {"traveller", "sys_admin", "security_admin", "audit_admin"}


@pytest.fixture
def users(clerk, unit_head, unit, staff, authority):
    return {
        "clerk": clerk,
        "unit_head": unit_head,
        "traveller": UserFactory(role=Role.TRAVELLER, unit=unit),
        "passport_officer": UserFactory(role=Role.PASSPORT_OFFICER, authority=authority),
        "visa_officer": UserFactory(role=Role.VISA_OFFICER, authority=authority),
        "sys_admin": UserFactory(role=Role.SYS_ADMIN, authority=authority),
        "security_admin": UserFactory(role=Role.SECURITY_ADMIN, authority=authority),
        "audit_admin": UserFactory(role=Role.AUDIT_ADMIN, authority=authority),
        **staff,
    }


@pytest.fixture
def pages(make_plan, trip):
    submitted = make_plan("submitted")
    draft = make_plan("draft", year=YEAR + 1)
    returned_case = trip(State.SENT_BACK)
    return {
        "overview": (reverse("plans:overview"), PLAN_USERS),
        "detail": (reverse("plans:detail", args=[submitted.pk]), PLAN_USERS),
        "item_create": (reverse("plans:item_create", args=[draft.pk]), {"clerk"}),
        "link": (reverse("plans:link", args=[returned_case.pk]), CASE_USERS),
    }


@pytest.mark.parametrize("page", ["overview", "detail", "item_create", "link"])
@pytest.mark.parametrize("who", ALL_USERS)
def test_every_role_gets_its_page_or_a_404(client, users, pages, page, who):
    url, allowed = pages[page]
    client.force_login(users[who])
    response = client.get(url)
    assert response.status_code == (200 if who in allowed else 404)


@pytest.mark.parametrize("page", ["overview", "detail", "item_create", "link"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, pages, page):
    url, _ = pages[page]
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_office_does_not_open_a_units_draft_plan(client, make_plan, staff, clerk):
    plan = make_plan("draft")
    client.force_login(staff["reviewer"])
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    client.force_login(clerk)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200


def test_another_offices_staff_get_a_404(client, make_plan):
    plan = make_plan("approved")
    outsider = UserFactory(role=Role.REVIEWER, authority=AuthorityFactory())
    client.force_login(outsider)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert (
        f'data-unit="{plan.unit_id}"' not in client.get(reverse("plans:overview")).content.decode()
    )


def test_only_the_roles_using_plans_see_the_nav_link(client, users):
    for who in ALL_USERS:
        client.force_login(users[who])
        html = client.get(reverse("home"), follow=True).content.decode()
        assert (reverse("plans:overview") in html) == (who in PLAN_USERS), who


@pytest.mark.parametrize(
    "used, planned, colour",
    [
        (0, 10, "green"),
        (7, 10, "green"),
        (8, 10, "amber"),
        (10, 10, "amber"),
        (11, 10, "red"),
        (Decimal("79999"), Decimal("100000"), "green"),
        (0, 0, "green"),
        (1, 0, "red"),
    ],
)
def test_usage_colours_turn_amber_at_80_percent_and_red_over_the_plan(used, planned, colour):
    assert usage_colour(used, planned) == colour


def _row(html, unit):
    match = re.search(rf'<tr data-unit="{unit.pk}".*?</tr>', html, re.S)
    assert match, f"no row for {unit}"
    return match.group(0)


def _remaining(row, name):
    match = re.search(rf'(?:data-colour="(\w+)" )?data-testid="remaining-{name}">([^<]+)<', row)
    return match.group(2), match.group(1)


def test_the_overview_shows_planned_used_and_remaining_with_colours(
    client, make_plan, trip, clerk, staff, authority, unit
):
    plan = make_plan(items=[item_data(trips=10, people=2, budget=Decimal("1000000"))])
    item = plan.items.get()
    for state in [State.APPROVED] * 5 + [State.UNDER_REVIEW] * 3:
        PlanUse.objects.create(
            delegation=trip(state, members=1), plan=plan, plan_item=item, linked_by=clerk
        )
    for state in (State.REFUSED, State.WITHDRAWN, State.DRAFT):
        PlanUse.objects.create(
            delegation=trip(state, members=1), plan=plan, plan_item=item, linked_by=clerk
        )
    quiet_unit = UnitFactory(authority=authority)
    client.force_login(staff["supervisor"])
    html = client.get(reverse("plans:overview")).content.decode()
    row = _row(html, unit)
    # 8 of 10 trips (amber), 8 of 20 person-trips (green), 368000 of 1000000 CNY (green).
    assert _remaining(row, "trips") == ("2", "amber")
    assert _remaining(row, "people") == ("12", "green")
    assert _remaining(row, "budget") == ("632000.00", "green")
    assert 'data-colour="amber"' in row.split(">")[0]
    assert "No plan submitted" in _row(html, quiet_unit)

    for _ in range(3):
        PlanUse.objects.create(
            delegation=trip(State.PRE_REVIEW, members=1), plan=plan, plan_item=item, linked_by=clerk
        )
    client.force_login(clerk)
    html = client.get(reverse("plans:overview")).content.decode()
    assert _remaining(_row(html, unit), "trips") == ("-1", "red")
    assert f'data-unit="{quiet_unit.pk}"' not in html  # a clerk sees only the own unit


def test_the_overview_of_a_plan_not_yet_approved_shows_what_was_asked_without_colour(
    client, make_plan, unit, staff
):
    make_plan("under_joint_review", items=[item_data(trips=4)])
    client.force_login(staff["reviewer"])
    row = _row(client.get(reverse("plans:overview")).content.decode(), unit)
    assert "Under joint review" in row and _remaining(row, "trips") == ("4", None)


def test_a_plan_goes_from_draft_to_approved_through_the_pages(client, clerk, staff, unit):
    client.force_login(clerk)
    assert "Start the annual plan" in client.get(reverse("plans:overview")).content.decode()
    response = client.post(reverse("plans:create"), {"year": YEAR})
    plan = AnnualPlan.objects.get(unit=unit, year=YEAR)
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    response = client.post(
        reverse("plans:item_create", args=[plan.pk]),
        {
            "purpose": "赴德国经贸洽谈",
            "countries": ["DE"],
            "people": "4",
            "trips": "2",
            "budget": "160000",
            "quarter": "3",
            "version": "1",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    client.post(reverse("plans:action", args=[plan.pk, "submit"]), {"version": plan.version})
    plan.refresh_from_db()
    assert plan.state == "submitted"

    for who, text, agrees in [("reviewer", "同意", "1"), ("supervisor", "经费合理", "0")]:
        client.force_login(staff[who])
        detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert 'data-testid="opinion-form"' in detail and 'data-testid="approve-form"' not in detail
        plan.refresh_from_db()
        response = client.post(
            reverse("plans:action", args=[plan.pk, "opinion"]),
            {"opinion": text, "agrees": agrees, "version": plan.version},
        )
        assert response.status_code == 302

    client.force_login(staff["office_leader"])
    plan.refresh_from_db()
    url = reverse("plans:action", args=[plan.pk, "approve"])
    response = client.post(
        url, {"trips": "3", "people": "8", "budget": "160000", "version": plan.version}
    )
    assert response.status_code == 400
    assert "cannot exceed what the unit planned" in response.content.decode()
    response = client.post(
        url, {"trips": "2", "people": "8", "budget": "150000", "version": plan.version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "approved" and plan.approved_budget == Decimal("150000")
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "经费合理" in detail and "Disagree" in detail and "Totals approved" in detail


def test_a_stale_form_is_told_and_keeps_the_text(client, make_plan, staff):
    plan = make_plan("submitted")
    client.force_login(staff["division_head"])
    response = client.post(
        reverse("plans:action", args=[plan.pk, "return"]),
        {"reason": "请补充第二项的预算依据", "version": plan.version - 1},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else acted on this plan" in html and "请补充第二项的预算依据" in html


def test_a_unit_head_reads_the_plan_but_has_no_buttons(client, make_plan, unit_head):
    plan = make_plan("returned")
    client.force_login(unit_head)
    html = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "补充说明" in html and "submit-plan" not in html and "Add a planned visit" not in html
    response = client.post(reverse("plans:action", args=[plan.pk, "submit"]))
    plan.refresh_from_db()
    assert response.status_code == 302 and plan.state == "returned"


def test_the_clerk_links_a_case_on_its_plan_page(client, make_plan, trip, clerk, staff):
    plan = make_plan(items=[item_data(trips=2)])
    item = plan.items.get()
    case = trip()
    url = reverse("plans:link", args=[case.pk])
    client.force_login(clerk)
    html = client.get(url).content.decode()
    assert 'data-problem="not_linked"' in html and 'data-testid="link-form"' in html
    response = client.post(url, {"mode": "swap", "swapped_out_item": item.pk})
    assert response.status_code == 400
    assert "needs a justification" in response.content.decode()
    assert client.post(url, {"mode": "item", "plan_item": item.pk}).status_code == 302
    html = client.get(url).content.decode()
    assert 'data-testid="in-plan-ok"' in html and item.purpose in html
    assert PlanUse.objects.get(delegation=case).plan_item == item


def test_the_office_sees_the_status_of_a_submitted_case_but_cannot_link_it(
    client, make_plan, trip, staff
):
    make_plan()
    case = trip(State.UNDER_REVIEW)
    client.force_login(staff["reviewer"])
    url = reverse("plans:link", args=[case.pk])
    html = client.get(url).content.decode()
    assert 'data-problem="not_linked"' in html and "link-form" not in html
    assert client.post(url, {"mode": "none"}).status_code == 404
