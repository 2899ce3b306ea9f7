import pytest

from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.testing.factories import DelegationFactory
from waiban.visits import workflow
from waiban.visits.models import DelegationEvent
from waiban.visits.states import State

pytestmark = pytest.mark.django_db


def test_a_complete_draft_walks_from_submission_to_approval_with_history_and_audit(
    clerk, unit, staff
):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    delegation = workflow.delegation_submit(delegation=delegation, actor=clerk)
    assert delegation.state == State.PRE_REVIEW
    assert delegation.case_number.startswith(f"{delegation.submitted_at.year}-")
    delegation = workflow.delegation_return(
        delegation=delegation,
        actor=staff["window_clerk"],
        items=[("invitation", "邀请函无签名"), ("stops", "行程日期有误")],
    )
    assert delegation.state == State.RETURNED
    assert delegation.corrections.get().items.count() == 2
    delegation = workflow.delegation_resubmit(delegation=delegation, actor=clerk)
    delegation = workflow.delegation_accept(delegation=delegation, actor=staff["window_clerk"])
    delegation = workflow.delegation_review(
        delegation=delegation, actor=staff["reviewer"], opinion="符合规定"
    )
    assert delegation.state == State.PENDING_APPROVAL
    delegation = workflow.delegation_approve(delegation=delegation, actor=staff["division_head"])
    assert delegation.state == State.APPROVED
    actions = list(
        DelegationEvent.objects.filter(delegation=delegation).values_list("action", flat=True)
    )
    assert actions == ["submit", "return", "resubmit", "accept", "review", "approve"]
    audited = set(
        AuditEvent.objects.filter(object_id=str(delegation.pk)).values_list("action", flat=True)
    )
    assert {"delegation.submit", "delegation.return", "delegation.approve"} <= audited


def test_whoever_accepted_a_case_cannot_approve_it(clerk, unit, staff):
    delegation = DelegationFactory(unit=unit, created_by=clerk, under_review=True)
    delegation.accepted_by = staff["division_head"]
    delegation.save()
    delegation = workflow.delegation_review(
        delegation=delegation, actor=staff["reviewer"], opinion="同意"
    )
    with pytest.raises(PermissionDenied) as exc:
        workflow.delegation_approve(delegation=delegation, actor=staff["division_head"])
    assert exc.value.code == "separation_of_duties"


def test_a_stale_version_is_refused_and_changes_nothing(clerk, unit, staff):
    delegation = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    seen = delegation.version
    workflow.delegation_accept(
        delegation=delegation, actor=staff["window_clerk"], expected_version=seen
    )
    with pytest.raises(StateConflict) as exc:
        workflow.delegation_return(
            delegation=delegation,
            actor=staff["window_clerk"],
            items=[("title", "x")],
            expected_version=seen,
        )
    assert exc.value.code == "stale_version"
    delegation.refresh_from_db()
    assert delegation.state == State.UNDER_REVIEW


def test_an_incomplete_draft_cannot_be_submitted(clerk, unit):
    delegation = DelegationFactory(unit=unit, created_by=clerk, draft_uncommitted=True)
    with pytest.raises(ServiceError) as exc:
        workflow.delegation_submit(delegation=delegation, actor=clerk)
    assert exc.value.code == "incomplete"
    assert [p["field"] for p in exc.value.params["problems"]] == ["commitment"]
    delegation.refresh_from_db()
    assert delegation.state == State.DRAFT and delegation.case_number is None
