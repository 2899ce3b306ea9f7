"""Every role against every page and every workflow action.

In scope: the users of the delegation's own unit and authority. Outsiders (another unit's clerk,
another office's staff) get a 404 for the objects they may not see, never a 403.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.accounts.roles import ApproverPosition, Role
from waiban.documents.models import Document, DocumentKind
from waiban.passports.models import Passport, ProductionRequest
from waiban.passports.states import Kind
from waiban.portal.access import progress_path
from waiban.testing.factories import (
    AuthorityFactory,
    DelegationFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from waiban.visits.states import State

pytestmark = pytest.mark.django_db

OFFICE = {"window_clerk", "reviewer", "approver", "passport_officer", "visa_officer", "supervisor"}
UNIT = {"unit_clerk", "unit_head"}
EVERYONE = {r.value for r in Role} | {"outsider_clerk", "outsider_staff"}


@pytest.fixture
def world(db):
    authority = AuthorityFactory(handles_subordinate_cases=False)
    unit = UnitFactory(authority=authority)
    users = {}
    for role in Role:
        kwargs = {"role": role}
        if role in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER):
            kwargs["unit"] = unit
        else:
            kwargs["authority"] = authority
        if role == Role.APPROVER:
            kwargs["approver_position"] = ApproverPosition.DIVISION_HEAD
        users[role.value] = UserFactory(**kwargs)
    users["outsider_clerk"] = UserFactory(
        role=Role.UNIT_CLERK, unit=UnitFactory(authority=authority)
    )
    users["outsider_staff"] = UserFactory(role=Role.REVIEWER, authority=AuthorityFactory())
    clerk = users["unit_clerk"]
    return {
        "users": users,
        "draft": DelegationFactory(unit=unit, created_by=clerk),
        "submitted": DelegationFactory(unit=unit, created_by=clerk, submitted=True),
        "person": PersonFactory(unit=unit),
        "passport_form": _passport_form(unit, clerk, users["passport_officer"]),
    }


def _passport_form(unit, clerk, officer):
    """A production request's passport application form, stored as issued (not rendered)."""
    trip = DelegationFactory(unit=unit, created_by=clerk, approved=True)
    person = trip.members.first().person
    passport = Passport.objects.create(
        person=person, authority=unit.authority, kind=Kind.OFFICIAL_ORDINARY, status="applied"
    )
    request = ProductionRequest.objects.create(
        delegation=trip, person=person, passport=passport, reason="new", created_by=officer
    )
    now = timezone.now()
    return Document.objects.create(
        delegation=trip,
        production_request=request,
        kind=DocumentKind.PASSPORT_FORM,
        issuer_code=unit.authority.code,
        number="外办照〔2026〕1号",
        version=1,
        file="documents/test/passport-form.pdf",
        content_hash="0" * 64,
        signer_kid="0" * 16,
        qr_text="WB1:",
        issued_at=now,
        expires_at=now,
    )


def _pages(world):
    draft, submitted, person = world["draft"], world["submitted"], world["person"]
    attachment = submitted.attachments.first()
    return {
        # page: (url, roles that get 200)
        "delegation list": (reverse("visits:list"), UNIT | {"outsider_clerk"}),
        "new application": (reverse("visits:create"), {"unit_clerk", "outsider_clerk"}),
        "workbench": (reverse("visits:workbench"), OFFICE | {"outsider_staff"}),
        "case page": (reverse("visits:detail", args=[submitted.pk]), UNIT | OFFICE),
        "draft page": (reverse("visits:detail", args=[draft.pk]), UNIT),
        "edit draft": (reverse("visits:edit", args=[draft.pk]), {"unit_clerk"}),
        "receipt": (reverse("visits:receipt", args=[submitted.pk]), {"unit_clerk"}),
        "attachment": (
            reverse("visits:attachment_download", args=[submitted.pk, attachment.pk]),
            UNIT | OFFICE,
        ),
        "people list": (
            reverse("people:list"),
            UNIT | OFFICE | {"outsider_clerk", "outsider_staff"},
        ),
        "add person": (reverse("people:create"), {"unit_clerk", "outsider_clerk"}),
        "edit person": (reverse("people:edit", args=[person.pk]), {"unit_clerk"}),
        "import people": (reverse("people:import"), {"unit_clerk", "outsider_clerk"}),
        "my trips": (reverse("visits:mine"), {"traveller"}),
        # A member's passport form: the office's passport officers and the unit's clerks only.
        "passport form": (
            reverse("documents:download", args=[world["passport_form"].pk]),
            {"unit_clerk", "passport_officer"},
        ),
        "public progress": (
            progress_path(submitted.case_number),
            EVERYONE,
        ),
    }


PAGE_NAMES = [
    "delegation list",
    "new application",
    "workbench",
    "case page",
    "draft page",
    "edit draft",
    "receipt",
    "attachment",
    "people list",
    "add person",
    "edit person",
    "import people",
    "my trips",
    "passport form",
    "public progress",
]


@pytest.mark.parametrize("page_name", PAGE_NAMES)
@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_each_role_sees_exactly_the_pages_meant_for_it(
    client, world, settings, tmp_path, page_name, who
):
    submitted = world["submitted"]
    attachment = submitted.attachments.first()
    (tmp_path / "uploads" / "attachments" / "test").mkdir(parents=True, exist_ok=True)
    (tmp_path / "uploads" / attachment.file.name).write_bytes(b"%PDF-1.4 test")
    (tmp_path / "uploads" / "documents" / "test").mkdir(parents=True, exist_ok=True)
    (tmp_path / "uploads" / world["passport_form"].file.name).write_bytes(b"%PDF-1.4 test")
    url, allowed = _pages(world)[page_name]
    client.force_login(world["users"][who])
    response = client.get(url)
    expected = 200 if who in allowed else 404
    assert response.status_code == expected, f"{who} on {page_name}"


@pytest.mark.parametrize("page_name", PAGE_NAMES)
def test_anonymous_visitors_are_sent_to_the_login_page_except_for_public_pages(
    client, world, page_name
):
    url, allowed = _pages(world)[page_name]
    response = client.get(url)
    if page_name == "public progress":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


# action: (state the case must be in, the one role that may do it, extra POST data)
ACTIONS = {
    "commit": (State.DRAFT, "unit_head", {}),
    "submit": (State.DRAFT, "unit_clerk", {}),
    "withdraw": (State.DRAFT, "unit_clerk", {}),
    "accept": (State.PRE_REVIEW, "window_clerk", {}),
    "send_back": (
        State.PRE_REVIEW,
        "window_clerk",
        {
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-target": "title",
            "items-0-message": "标题不规范",
        },
    ),
    "resubmit": (State.SENT_BACK, "unit_clerk", {}),
    "review": (State.UNDER_REVIEW, "reviewer", {"opinion": "同意"}),
    "approve": (State.PENDING_APPROVAL, "approver", {"opinion": "同意"}),
    "refuse": (State.PENDING_APPROVAL, "approver", {"opinion": "不符合规定"}),
    "cancel": (State.APPROVED, "unit_clerk", {"opinion": "外方取消会议"}),
}


def _case_in(state, world):
    unit = world["draft"].unit
    clerk = world["users"]["unit_clerk"]
    traits = {
        State.DRAFT: {},
        State.PRE_REVIEW: {"submitted": True},
        State.SENT_BACK: {"submitted": True, "state": State.SENT_BACK},
        State.UNDER_REVIEW: {"under_review": True},
        State.PENDING_APPROVAL: {"pending_approval": True},
        State.APPROVED: {"approved": True},
    }[state]
    return DelegationFactory(unit=unit, created_by=clerk, **traits)


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_only_the_responsible_role_can_take_each_action(client, world, action, who):
    state, allowed_role, extra = ACTIONS[action]
    delegation = _case_in(state, world)
    if action == "commit":
        delegation.committed_at = None
        delegation.save()
    client.force_login(world["users"][who])
    response = client.post(
        reverse("visits:action", args=[delegation.pk, action]),
        {"version": delegation.version, **extra},
    )
    delegation.refresh_from_db()
    if who == allowed_role:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert delegation.version > 1 or delegation.committed_at
    else:
        can_see = who in UNIT | OFFICE and not (state == State.DRAFT and who in OFFICE)
        assert response.status_code == (400 if can_see else 404), f"{who} {action}"
        assert delegation.state == state
