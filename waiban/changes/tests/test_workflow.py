"""A change request through its whole life: proposed, confirmed, recorded (administrative) or
reviewed and approved at the levels the new content requires (material), or refused."""

import copy
import datetime as dt

import pytest

from waiban.accounts.roles import Role
from waiban.changes import services
from waiban.changes.models import ChangeEvent, ContentVersion
from waiban.changes.states import ChangeState
from waiban.changes.tests.conftest import shifted, with_country
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.documents import selectors
from waiban.documents import services as documents
from waiban.documents.models import DocumentKind
from waiban.documents.trust import Status
from waiban.passports.loans import passport_lend
from waiban.passports.tests.helpers import make_passport
from waiban.people.models import Rank
from waiban.testing.factories import PersonFactory, UserFactory


@pytest.fixture
def officer(authority):
    return UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)


def propose(case, clerk, content, reason="邀请方调整日程"):
    return services.change_request_propose(
        delegation=case, actor=clerk, reason=reason, content=content
    )


def through_review(change, unit_head, staff):
    services.change_request_confirm(change=change, actor=unit_head)
    services.change_request_accept(change=change, actor=staff["window_clerk"])
    return services.change_request_review(change=change, actor=staff["reviewer"], opinion="同意")


def test_done_when_dates_moved_three_days_and_a_country_added(
    signing_keys, approved_case, current, clerk, unit_head, staff, officer
):
    case = approved_case
    old_docs = {d.kind: d for d in documents.documents_issue(delegation=case)}
    passport = make_passport(case.members.first().person)
    loan = passport_lend(passport=passport, actor=officer, delegation=case, taken_by="李专办")
    old_due, old_return = loan.due_date, case.return_date
    old_departure, old_number = case.departure_date, case.case_number
    new = with_country(shifted(current, 3), "IT", "罗马", days=0)

    change = propose(case, clerk, new)
    assert change.is_material and change.state == ChangeState.PROPOSED
    through_review(change, unit_head, staff)
    # Until the last approval, the case's content in force is the old one.
    case.refresh_from_db()
    assert case.return_date == old_return
    assert selectors.code_verify(old_docs[DocumentKind.APPROVAL].qr_text).status == Status.VALID

    change = services.change_request_approve(change=change, actor=staff["division_head"])
    assert change.state == ChangeState.APPROVED
    case.refresh_from_db()
    assert case.case_number == old_number
    assert case.departure_date == old_departure + dt.timedelta(days=3)
    assert case.return_date == old_return + dt.timedelta(days=3)
    assert sorted(str(s.country) for s in case.stops.all()) == ["DE", "FR", "IT"]
    assert selectors.code_verify(old_docs[DocumentKind.APPROVAL].qr_text).status == Status.REVOKED
    new_approval = documents.current_documents(case).get(kind=DocumentKind.APPROVAL)
    assert new_approval.version == 2
    assert new_approval.number == old_docs[DocumentKind.APPROVAL].number
    verdict = selectors.code_verify(new_approval.qr_text)
    assert verdict.status == Status.VALID and "IT" in verdict.claims.facts.countries
    loan.refresh_from_db()
    assert loan.due_date == old_due + dt.timedelta(days=3)
    # The old content stays readable as version 1; the new one is version 2.
    versions = list(ContentVersion.objects.filter(delegation=case).values_list("number", flat=True))
    assert versions == [1, 2]
    assert ContentVersion.objects.get(delegation=case, number=1).content == current


def test_an_administrative_post_correction_is_recorded_at_the_window_and_reaches_the_document(
    signing_keys, approved_case, current, clerk, unit_head, staff
):
    documents.documents_issue(delegation=approved_case)
    new = copy.deepcopy(current)
    new["members"][1]["post"] = "副处长（更正）"
    change = propose(approved_case, clerk, new, reason="职务填写有误")
    assert not change.is_material
    services.change_request_confirm(change=change, actor=unit_head)
    with pytest.raises(ServiceError) as error:
        services.change_request_accept(change=change, actor=staff["window_clerk"])
    assert error.value.code == "not_material"
    services.change_request_record(change=change, actor=staff["window_clerk"])
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED
    document = documents.current_documents(approved_case).get(kind=DocumentKind.APPROVAL)
    verdict = selectors.code_verify(document.qr_text)
    assert document.version == 2
    assert "副处长（更正）" in [m.post for m in verdict.claims.facts.members]
    revoked = approved_case.documents.get(kind=DocumentKind.APPROVAL, version=1)
    assert "职务填写有误" in revoked.revocation.reason


def test_a_refused_change_leaves_the_case_as_it_was(
    signing_keys, approved_case, current, clerk, unit_head, staff
):
    documents.documents_issue(delegation=approved_case)
    change = propose(approved_case, clerk, shifted(current, 10))
    through_review(change, unit_head, staff)
    with pytest.raises(ServiceError) as error:
        services.change_request_refuse(change=change, actor=staff["division_head"], opinion="")
    assert error.value.code == "opinion_required"
    services.change_request_refuse(change=change, actor=staff["division_head"], opinion="不同意")
    approved_case.refresh_from_db()
    change.refresh_from_db()
    assert change.state == ChangeState.REFUSED
    assert approved_case.departure_date == dt.date.fromisoformat(
        current["stops"][0]["arrival_date"]
    )
    assert [d.version for d in documents.current_documents(approved_case)] == [1, 1]
    assert not ContentVersion.objects.filter(number=2).exists()


def test_two_change_requests_at_once_the_second_is_refused_with_a_clear_message(
    approved_case, current, clerk
):
    propose(approved_case, clerk, shifted(current, 2))
    with pytest.raises(StateConflict) as error:
        propose(approved_case, clerk, shifted(current, 5))
    assert error.value.code == "change_already_open"
    assert approved_case.change_requests.count() == 1


def test_the_later_of_two_changes_on_an_old_version_is_superseded(
    approved_case, current, clerk, unit_head, staff
):
    first = propose(approved_case, clerk, shifted(current, 2))
    services.change_request_withdraw(change=first, actor=clerk)
    second = propose(approved_case, clerk, shifted(current, 4))
    # Another change was applied meanwhile (here: forced by hand onto the version count).
    ContentVersion.objects.create(delegation=approved_case, number=2, content=current)
    through_review(second, unit_head, staff)
    with pytest.raises(StateConflict) as error:
        services.change_request_approve(change=second, actor=staff["division_head"])
    assert error.value.code == "change_superseded"


def test_a_new_bureau_level_leader_adds_an_approval_level(
    approved_case, current, clerk, unit_head, staff
):
    boss = PersonFactory(unit=approved_case.unit, rank=Rank.BUREAU_FULL, post="局长")
    new = copy.deepcopy(current)
    new["members"][0]["role"] = "member"
    new["members"].insert(
        0, {"person": boss.pk, "name": boss.name_zh, "role": "leader", "post": "局长", "rank": ""}
    )
    change = propose(approved_case, clerk, new)
    through_review(change, unit_head, staff)
    assert list(change.steps.values_list("position", flat=True)) == [
        "division_head",
        "office_leader",
    ]
    services.change_request_approve(change=change, actor=staff["division_head"])
    change.refresh_from_db()
    assert change.state == ChangeState.PENDING_APPROVAL
    with pytest.raises(PermissionDenied) as error:
        services.change_request_approve(change=change, actor=staff["division_head"])
    assert error.value.code == "wrong_level"
    services.change_request_approve(change=change, actor=staff["office_leader"])
    approved_case.refresh_from_db()
    assert approved_case.leader_id == boss.pk


def test_each_move_writes_history_and_audit(approved_case, current, clerk, unit_head):
    change = propose(approved_case, clerk, shifted(current, 1))
    services.change_request_confirm(change=change, actor=unit_head)
    actions = list(ChangeEvent.objects.filter(change=change).values_list("action", flat=True))
    assert actions == ["propose", "confirm"]
    audited = AuditEvent.objects.filter(action__startswith="change_request.")
    assert sorted(audited.values_list("action", flat=True)) == [
        "change_request.confirm",
        "change_request.propose",
    ]


def test_a_proposal_that_changes_nothing_is_refused(approved_case, current, clerk):
    with pytest.raises(ServiceError) as error:
        propose(approved_case, clerk, copy.deepcopy(current))
    assert error.value.code == "no_change"


def test_a_reason_is_required(approved_case, current, clerk):
    with pytest.raises(ServiceError) as error:
        propose(approved_case, clerk, shifted(current, 1), reason="  ")
    assert error.value.code == "reason_required"


def test_only_an_approved_or_travelling_case_can_be_changed(unit, clerk, current):
    from waiban.testing.factories import DelegationFactory

    draft = DelegationFactory(unit=unit, created_by=clerk, under_review=True)
    with pytest.raises(StateConflict) as error:
        propose(draft, clerk, shifted(current, 1))
    assert error.value.code == "case_not_authorised"


def test_a_rule_block_in_the_new_content_stops_the_proposal(approved_case, current, clerk):
    new = copy.deepcopy(current)
    for _ in range(5):
        person = PersonFactory(unit=approved_case.unit)
        new["members"].append(
            {"person": person.pk, "name": person.name_zh, "role": "member", "post": "", "rank": ""}
        )
    with pytest.raises(ServiceError) as error:
        propose(approved_case, clerk, new)
    assert error.value.code == "rule_blocked"
    assert not approved_case.change_requests.exists()


def test_cancelling_the_trip_withdraws_its_open_change_and_tells_the_reviewer(
    signing_keys, approved_case, current, clerk, unit_head, staff
):
    from waiban.notices.models import Notice
    from waiban.testing.outbox import deliver_outbox
    from waiban.visits.trip import delegation_cancel

    change = propose(approved_case, clerk, shifted(current, 3))
    services.change_request_confirm(change=change, actor=unit_head)
    services.change_request_accept(change=change, actor=staff["window_clerk"])
    deliver_outbox()
    Notice.objects.update(read_at="2000-01-01T00:00Z")
    delegation_cancel(delegation=approved_case, actor=clerk, reason="对方取消")
    change.refresh_from_db()
    assert change.state == ChangeState.WITHDRAWN
    deliver_outbox()
    told = set(Notice.objects.filter(read_at=None).values_list("recipient_id", flat=True))
    assert staff["reviewer"].pk in told
