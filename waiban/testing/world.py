"""A small world in which every page of the project has something to show: one office, one
unit, a user of every role, a case in each early workflow state, a person, a passport in
custody, a production request with its passport form, a control list with an open hit, plans
and a notice. The bad-input walk (waiban.core.tests.test_bad_input) fills the URL patterns'
path converters from it."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from waiban.accounts.roles import ApproverPosition, Role
from waiban.documents.models import Document, DocumentKind
from waiban.notices.models import Notice
from waiban.passports.models import Passport, ProductionRequest
from waiban.passports.states import Kind
from waiban.passports.tests.helpers import make_passport
from waiban.plans import services as plan_services
from waiban.testing.factories import (
    AuthorityFactory,
    DelegationFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from waiban.visits.models import DelegationMember
from waiban.visits.states import State
from waiban.watchlists.models import ScreeningHit
from waiban.watchlists.tests.helpers import import_list

ANONYMOUS = "anonymous"
# Every role of roles.Role, and a visitor who is not logged in.
WHO = [*Role.values, ANONYMOUS]

# The cases of the unit, one per state a page or a button depends on.
CASE_STATES = {
    "draft": {},
    "draft_uncommitted": {"draft_uncommitted": True},
    "pre_review": {"submitted": True},
    "sent_back": {"submitted": True, "state": State.SENT_BACK},
    "under_review": {"under_review": True},
    "pending_approval": {"pending_approval": True},
    "approved": {"approved": True},
}


@dataclass
class World:
    authority: object
    unit: object
    users: dict
    cases: dict
    person: object
    passport: object
    production_request: object
    passport_form: object
    hit: object
    plan_draft: object
    plan_submitted: object


def _stored(name: str, content: bytes) -> str:
    """Put a file where a record says it is, so downloads find it."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def _users(authority, unit) -> dict:
    users = {}
    for role in Role:
        kwargs = {"role": role}
        if role in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER):
            kwargs["unit"] = unit
        else:
            kwargs["authority"] = authority
        if role == Role.APPROVER:
            kwargs["approver_position"] = ApproverPosition.DIVISION_HEAD
        if role in (Role.SYS_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
            kwargs["is_staff"] = True
        users[role.value] = UserFactory(**kwargs)
    return users


def _passport_form(trip, person, officer):
    passport = Passport.objects.create(
        person=person, authority=trip.authority, kind=Kind.OFFICIAL_ORDINARY, status="applied"
    )
    request = ProductionRequest.objects.create(
        delegation=trip, person=person, passport=passport, reason="new", created_by=officer
    )
    now = timezone.now()
    document = Document.objects.create(
        delegation=trip,
        production_request=request,
        kind=DocumentKind.PASSPORT_FORM,
        issuer_code=trip.authority.code,
        number="外办照〔2026〕1号",
        version=1,
        file=_stored("documents/test/passport-form.pdf", b"%PDF-1.4 test"),
        content_hash="0" * 64,
        signer_kid="0" * 16,
        qr_text="WB1:",
        issued_at=now,
        expires_at=now + dt.timedelta(days=90),
    )
    return request, document


def _hit(unit, reviewer):
    """An open exact hit on a member of a case under review (the control list's import
    screens the cases in progress)."""
    birth = dt.date(1965, 5, 5)
    person = PersonFactory(
        unit=unit, name_zh="张伟", surname_pinyin="ZHANG", given_name_pinyin="WEI", birth_date=birth
    )
    case = DelegationFactory(unit=unit, members=1, under_review=True)
    DelegationMember.objects.create(delegation=case, person=person, role="member", position=5)
    import_list(reviewer, [["張偉", "1965-05-05", "", "", ""]])
    return ScreeningHit.objects.get()


def _plans(clerk):
    year = timezone.localdate().year
    item = {
        "purpose": "经贸合作洽谈",
        "countries": ["DE", "FR"],
        "people": 3,
        "trips": 2,
        "budget": 100000,
        "quarter": 2,
    }
    draft = plan_services.plan_create(actor=clerk, year=year)
    plan_services.plan_item_save(plan=draft, actor=clerk, data=item)
    submitted = plan_services.plan_create(actor=clerk, year=year + 1)
    plan_services.plan_item_save(plan=submitted, actor=clerk, data=item)
    submitted = plan_services.plan_submit(plan=submitted, actor=clerk)
    return draft, submitted


def build_world() -> World:
    authority = AuthorityFactory()
    unit = UnitFactory(authority=authority)
    users = _users(authority, unit)
    clerk = users[Role.UNIT_CLERK]
    cases = {
        name: DelegationFactory(unit=unit, created_by=clerk, **traits)
        for name, traits in CASE_STATES.items()
    }
    for case in cases.values():
        for attachment in case.attachments.all():
            attachment.file.name = _stored(attachment.file.name, b"%PDF-1.4 test")
            attachment.save(update_fields=["file"])
    traveller_person = cases["approved"].members.first().person
    users[Role.TRAVELLER].person = traveller_person
    users[Role.TRAVELLER].save(update_fields=["person"])
    # A passport in the cabinet, of a member of the approved trip (lend, return, comment).
    member = cases["approved"].members.all()[1].person
    passport = make_passport(member)
    request, document = _passport_form(
        cases["approved"], cases["approved"].members.all()[2].person, users["passport_officer"]
    )
    draft_plan, submitted_plan = _plans(clerk)
    for user in users.values():
        Notice.objects.create(recipient=user, key=f"world-{user.pk}", subject="通知", body="正文")
    Group.objects.get_or_create(name="测试组")
    return World(
        authority=authority,
        unit=unit,
        users=users,
        cases=cases,
        person=PersonFactory(unit=unit),
        passport=passport,
        production_request=request,
        passport_form=document,
        hit=_hit(unit, users[Role.REVIEWER]),
        plan_draft=draft_plan,
        plan_submitted=submitted_plan,
    )


# Pages of the apps built this session in parallel with this walk (change requests, visas, trip
# reports, the hall) whose path arguments have no sample objects here yet: each app's own tests
# walk every role and bad input against them (waiban/<app>/tests/test_permissions*.py,
# test_bad_input*.py). Give each a sample and take it off this list.
NOT_YET_SAMPLED = frozenset(
    {
        "visits:correction_notice",
        "changes:new",
        "changes:action",
        "visas:case",
        "visas:batch",
        "reports:itinerary",
        "reports:border_dates",
        "reports:edit",
        "reports:disclosure",
        "reports:anomaly_action",
        "reports:detail",
        "reports:action",
        "reports:attach",
        "reports:file",
        "hall:guide",
        "hall:file",
        "hall:check_in",
        "hall:booking",
        "hall:booking_cancel",
        "hall:call",
        "hall:ticket",
        "hall:rate_visit",
        "hall:rate_case",
        "hall:rectification",
    }
)


def url_samples(world: World) -> dict[str, list[dict]]:
    """Path arguments of each named URL pattern that has converters, from the world's objects.
    The walk fails for a pattern missing here, so a new page gets its sample when it is added."""
    cases = world.cases
    approved, draft = cases["approved"], cases["draft"]
    plan = world.plan_draft
    item = plan.items.first()
    return {
        "people:edit": [{"pk": world.person.pk}],
        "visits:detail": [{"pk": case.pk} for case in cases.values()],
        "visits:edit": [{"pk": draft.pk}, {"pk": cases["sent_back"].pk}],
        "visits:receipt": [{"pk": cases["pre_review"].pk}],
        "visits:attachment_upload": [{"pk": draft.pk}],
        "visits:attachment_download": [
            {"pk": draft.pk, "attachment_pk": draft.attachments.first().pk}
        ],
        "visits:action": [{"pk": cases["pre_review"].pk, "action": "accept"}],
        "watchlists:list_detail": [{"pk": world.hit.entry.control_list_id}],
        "watchlists:hit_decide": [{"pk": world.hit.pk}],
        "documents:download": [{"pk": world.passport_form.pk}],
        "documents:download_docx": [{"pk": world.passport_form.pk}],
        "documents:reissue": [{"delegation_pk": approved.pk}],
        "plans:detail": [{"pk": plan.pk}, {"pk": world.plan_submitted.pk}],
        "plans:item_create": [{"pk": plan.pk}],
        "plans:item_edit": [{"pk": plan.pk, "item_pk": item.pk}],
        "plans:item_delete": [{"pk": plan.pk, "item_pk": item.pk}],
        "plans:action": [{"pk": plan.pk, "action": "submit"}],
        "plans:link": [{"delegation_pk": draft.pk}],
        "passports:detail": [{"pk": world.passport.pk}],
        "passports:delegation": [{"pk": approved.pk}],
        "passports:photo": [{"pk": world.production_request.pk}],
        "admin:auth_user_password_change": [{"id": str(world.users[Role.UNIT_CLERK].pk)}],
    }
