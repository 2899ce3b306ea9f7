import pytest

from waiban.core import transitions
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.testing.factories import DelegationFactory, explain_every_correction
from waiban.visits import workflow
from waiban.visits.models import DelegationEvent
from waiban.visits.states import TRANSITIONS, State

pytestmark = pytest.mark.django_db


def test_a_complete_draft_walks_from_submission_to_approval_with_history_and_audit(
    clerk, unit, staff
):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    delegation = workflow.delegation_submit(delegation=delegation, actor=clerk)
    assert delegation.state == State.PRE_REVIEW
    assert delegation.case_number.startswith(f"{delegation.submitted_at.year}-")
    delegation = workflow.delegation_send_back(
        delegation=delegation,
        actor=staff["window_clerk"],
        items=[("invitation", "邀请函无签名"), ("stops", "行程日期有误")],
    )
    assert delegation.state == State.SENT_BACK
    assert delegation.corrections.get().items.count() == 2
    delegation = workflow.delegation_resubmit(
        delegation=delegation, actor=clerk, explanations=explain_every_correction(delegation)
    )
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
    assert actions == ["submit", "send_back", "resubmit", "accept", "review", "approve"]
    audited = set(
        AuditEvent.objects.filter(object_id=str(delegation.pk)).values_list("action", flat=True)
    )
    assert {"delegation.submit", "delegation.send_back", "delegation.approve"} <= audited


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
        workflow.delegation_send_back(
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


ACTION_CALLS = {
    "submit": lambda d, a: workflow.delegation_submit(delegation=d, actor=a),
    "resubmit": lambda d, a: workflow.delegation_resubmit(
        delegation=d, actor=a, explanations=explain_every_correction(d)
    ),
    "withdraw": lambda d, a: workflow.delegation_withdraw(delegation=d, actor=a),
    "send_back": lambda d, a: workflow.delegation_send_back(
        delegation=d, actor=a, items=[("title", "x")]
    ),
    "accept": lambda d, a: workflow.delegation_accept(delegation=d, actor=a),
    "review": lambda d, a: workflow.delegation_review(delegation=d, actor=a, opinion="同意"),
    "approve": lambda d, a: workflow.delegation_approve(delegation=d, actor=a),
    "refuse": lambda d, a: workflow.delegation_refuse(delegation=d, actor=a, opinion="不同意"),
    "cancel": lambda d, a: workflow.delegation_cancel(delegation=d, actor=a, reason="行程取消"),
    "commit": lambda d, a: workflow.delegation_commit(delegation=d, actor=a),
    "depart": lambda d, a: workflow.delegation_depart(delegation=d, actor=a),
    "come_back": lambda d, a: workflow.delegation_come_back(delegation=d, actor=a),
    "close": lambda d, a: workflow.delegation_close(delegation=d, actor=a),
}
ACTOR_OF = {
    "submit": "clerk",
    "resubmit": "clerk",
    "withdraw": "clerk",
    "send_back": "window_clerk",
    "accept": "window_clerk",
    "review": "reviewer",
    "approve": "division_head",
    "refuse": "division_head",
    "cancel": "clerk",
    "commit": "unit_head",
    "depart": "clerk",
    "come_back": "clerk",
    "close": "reviewer",
}


FORBIDDEN_MOVES = [
    (action, state.value)
    for action in sorted(TRANSITIONS)
    for state in State
    if state not in TRANSITIONS[action].sources
]


@pytest.mark.parametrize("action, state", FORBIDDEN_MOVES)
def test_every_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    action, state, clerk, unit_head, unit, staff
):
    delegation = DelegationFactory(unit=unit, created_by=clerk, submitted=state != State.DRAFT)
    delegation.state = state
    delegation.save()
    actor = {"clerk": clerk, "unit_head": unit_head}.get(ACTOR_OF[action]) or staff[
        ACTOR_OF[action]
    ]
    events_before = DelegationEvent.objects.count()
    with pytest.raises(StateConflict) as exc:
        ACTION_CALLS[action](delegation, actor)
    assert exc.value.code == "invalid_transition"
    delegation.refresh_from_db()
    assert delegation.state == state
    assert DelegationEvent.objects.count() == events_before


def test_a_crash_in_the_middle_of_a_transition_leaves_the_old_state(
    clerk, unit, staff, monkeypatch
):
    delegation = DelegationFactory(unit=unit, created_by=clerk, submitted=True)

    def broken_audit(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(transitions, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        workflow.delegation_accept(delegation=delegation, actor=staff["window_clerk"])
    delegation.refresh_from_db()
    assert delegation.state == State.PRE_REVIEW and delegation.accepted_by is None
    assert not DelegationEvent.objects.filter(delegation=delegation).exists()


def test_an_empty_correction_notice_is_refused(clerk, unit, staff):
    delegation = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    with pytest.raises(ServiceError) as exc:
        workflow.delegation_send_back(
            delegation=delegation, actor=staff["window_clerk"], items=[("title", " ")]
        )
    assert exc.value.code == "correction_items_required"


def test_a_clerk_of_another_unit_cannot_act_on_the_case_and_learns_nothing(clerk, unit):
    from waiban.testing.factories import UserFactory

    delegation = DelegationFactory(unit=unit, created_by=clerk)
    stranger = UserFactory(role="unit_clerk")
    with pytest.raises(PermissionDenied) as exc:
        workflow.delegation_submit(delegation=delegation, actor=stranger)
    assert exc.value.code == "not_found"


def test_history_rows_cannot_be_changed_or_deleted(clerk, unit):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    delegation = workflow.delegation_submit(delegation=delegation, actor=clerk)
    event = DelegationEvent.objects.get(delegation=delegation)
    event.comment = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        DelegationEvent.objects.filter(pk=event.pk).update(comment="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
