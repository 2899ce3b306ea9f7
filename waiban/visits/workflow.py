"""Every state change of a delegation: one keyword-only service function each.

Each runs in one transaction: lock the row (select_for_update), check the allowed-transitions
table, the actor's role and scope, separation of duties and the version the actor saw, change the
state, and write the history row and the audit event. Views, admin and commands all call these.
"""

from functools import partial

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import ApproverPosition, Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.numbering import case_number
from waiban.core.transitions import check_role, check_source_state, check_version
from waiban.people.models import Person, RankGroup, rank_group
from waiban.rules.facts import prefetch_content
from waiban.rules.services import findings_record, submission_check
from waiban.visits.completeness import submission_problems
from waiban.visits.deadlines import deadline_for
from waiban.visits.models import (
    ApprovalChainStep,
    ApprovalStep,
    CorrectionItem,
    CorrectionNotice,
    Delegation,
    DelegationEvent,
    DelegationMember,
)
from waiban.visits.states import TRANSITIONS, State
from waiban.watchlists.screening import screening_record


def can_see(actor, delegation) -> bool:
    if actor.role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        return actor.unit_id == delegation.unit_id
    return delegation.authority_id in visible_authority_ids(actor)


# The shared refusals (waiban.core.transitions) in the words of a case.
STALE_CASE = gettext_lazy(
    "Someone else acted on this case while you were working (it is now: %(state)s). "
    "Your text is kept below; review the case and try again."
)
CASE_NOT_NOW = gettext_lazy("This case is %(state)s: “%(action)s” is not possible now.")


def _lock(delegation, actor, expected_version) -> Delegation:
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if not can_see(actor, locked):
        raise PermissionDenied("not_found", _("No such case."))
    check_version(locked, expected_version, message=STALE_CASE)
    return locked


def _check_transition(locked, actor, action):
    transition = TRANSITIONS[action]
    check_role(actor, {transition.role}, transition)  # one role per move in this table
    check_source_state(locked, transition, message=CASE_NOT_NOW)


def _move(locked, *, actor, action, to_state, comment="", audit_extra=None):
    """Change state and write history and audit; the caller holds the row lock."""
    old = {"state": locked.state, "deadline": locked.deadline, "version": locked.version}
    now = timezone.now()
    if to_state != locked.state or action in ("approve",):
        locked.state_entered_at = now
        locked.deadline = deadline_for(
            authority=locked.authority_id, state=to_state, start=timezone.localdate(now)
        )
    locked.state = to_state
    locked.version += 1
    locked.save()
    DelegationEvent.objects.create(
        delegation=locked,
        actor=actor,
        action=action,
        from_state=old["state"],
        to_state=to_state,
        comment=comment,
        deadline=locked.deadline,
    )
    new = {"state": to_state, "deadline": locked.deadline, "version": locked.version}
    new.update(audit_extra or {})
    audit_record(actor=actor, action=f"delegation.{action}", obj=locked, old=old, new=new)
    return locked


def delegation_commit(*, delegation, actor, expected_version=None) -> Delegation:
    """The unit head confirms the unit's commitment (承诺) before submission."""
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        if actor.role != Role.UNIT_HEAD:
            raise PermissionDenied(
                "wrong_role", _("Only the unit head can confirm the commitment.")
            )
        if locked.state not in (State.DRAFT, State.RETURNED):
            raise StateConflict(
                "invalid_transition", _("The commitment is given before submission.")
            )
        locked.committed_by = actor
        locked.committed_at = timezone.now()
        locked.version += 1
        locked.save()
        DelegationEvent.objects.create(
            delegation=locked,
            actor=actor,
            action="commit",
            from_state=locked.state,
            to_state=locked.state,
            deadline=locked.deadline,
        )
        audit_record(
            actor=actor, action="delegation.commit", obj=locked, new={"committed_by": actor.pk}
        )
        return locked


def _snapshot_members(locked):
    """Each member's post and rank as they are now: one UPDATE from their people's rows; the
    members read by prefetch_content show it too."""
    person = Person.objects.filter(pk=OuterRef("person_id"))
    DelegationMember.objects.filter(delegation_id=locked.pk).update(
        post_at_submission=Subquery(person.values("post")[:1]),
        rank_at_submission=Subquery(person.values("rank")[:1]),
    )
    for member in locked.members.all():
        member.post_at_submission = member.person.post
        member.rank_at_submission = member.person.rank


def _check_complete(locked):
    problems = submission_problems(locked)
    if problems:
        raise ServiceError(
            "incomplete", _("The application is not complete yet."), params={"problems": problems}
        )


def _rules_audit(evaluation, justifications) -> dict:
    return {
        "rule_versions": evaluation.summary(),
        "findings": [
            {
                "key": f.key,
                "severity": f.severity,
                "justification": (justifications or {}).get(f.key, ""),
            }
            for f in evaluation.findings
        ],
    }


def delegation_submit(
    *, delegation, actor, expected_version=None, justifications=None
) -> Delegation:
    """Submit: complete, no block finding, a written justification for each warning
    (``justifications``: {finding key: text}). The findings are stored with the rule versions
    in force today, which keep judging this case whatever changes later."""
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        _check_transition(locked, actor, "submit")
        # Members (with their person), stops and budget lines, read once for the completeness
        # check, the rules and the members' snapshot.
        prefetch_content(locked)
        _check_complete(locked)
        now = timezone.now()
        evaluation = submission_check(
            delegation=locked, on=timezone.localdate(now), justifications=justifications
        )
        locked.case_number = case_number(year=timezone.localdate(now).year)
        locked.submitted_at = now
        _snapshot_members(locked)
        moved = _move(
            locked,
            actor=actor,
            action="submit",
            to_state=State.PRE_REVIEW,
            audit_extra={
                "case_number": locked.case_number,
                **_rules_audit(evaluation, justifications),
            },
        )
        findings_record(
            delegation=moved,
            evaluation=evaluation,
            actor=actor,
            justifications=justifications,
            round_=1,  # a draft was never submitted: no transition leads back to draft
        )
        # Possible control-list matches go to the reviewer as hits to decide on (the members
        # were screened for the rules a moment ago, in this transaction).
        screening_record(delegation=moved, actor=actor, matches=evaluation.screening)
        return moved


def delegation_resubmit(
    *, delegation, actor, expected_version=None, comment="", justifications=None
) -> Delegation:
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        _check_transition(locked, actor, "resubmit")
        prefetch_content(locked)  # read once, as on submission
        _check_complete(locked)
        evaluation = submission_check(
            delegation=locked, on=timezone.localdate(), justifications=justifications
        )
        locked.corrections.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        _snapshot_members(locked)
        moved = _move(
            locked,
            actor=actor,
            action="resubmit",
            to_state=State.PRE_REVIEW,
            comment=comment,
            audit_extra=_rules_audit(evaluation, justifications),
        )
        findings_record(
            delegation=moved, evaluation=evaluation, actor=actor, justifications=justifications
        )
        # Possible control-list matches go to the reviewer as hits to decide on (the members
        # were screened for the rules a moment ago, in this transaction).
        screening_record(delegation=moved, actor=actor, matches=evaluation.screening)
        return moved


def delegation_withdraw(*, delegation, actor, expected_version=None, comment="") -> Delegation:
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        _check_transition(locked, actor, "withdraw")
        return _move(
            locked, actor=actor, action="withdraw", to_state=State.WITHDRAWN, comment=comment
        )


def delegation_return(*, delegation, actor, items, expected_version=None) -> Delegation:
    """Return with a one-time correction notice; ``items`` is a list of (target, message)."""
    items = [(t.strip(), m.strip()) for t, m in items if (m or "").strip()]
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        _check_transition(locked, actor, "return")
        if not items:
            raise ServiceError(
                "correction_items_required",
                _("List every item the clerk must fix; the notice cannot be empty."),
                field="items",
            )
        notice = CorrectionNotice.objects.create(delegation=locked, issued_by=actor)
        CorrectionItem.objects.bulk_create(
            [CorrectionItem(notice=notice, target=t, message=m) for t, m in items]
        )
        comment = "\n".join(f"{i}. {m}" for i, (_t, m) in enumerate(items, 1))
        return _move(
            locked,
            actor=actor,
            action="return",
            to_state=State.RETURNED,
            comment=comment,
            audit_extra={"correction_items": [{"target": t, "message": m} for t, m in items]},
        )


def delegation_accept(*, delegation, actor, expected_version=None, comment="") -> Delegation:
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        _check_transition(locked, actor, "accept")
        locked.accepted_by = actor
        return _move(
            locked, actor=actor, action="accept", to_state=State.UNDER_REVIEW, comment=comment
        )


# The default chains of DESIGN.md §2, by the leader's rank: (level, position, reported upward).
# They apply until the system administrator configures ApprovalChainStep rows (globally, or for
# one authority), which then replace them for that rank group.
DEFAULT_CHAIN = {
    RankGroup.DIVISION_AND_BELOW: [(1, ApproverPosition.DIVISION_HEAD, False)],
    RankGroup.BUREAU: [
        (1, ApproverPosition.DIVISION_HEAD, False),
        (2, ApproverPosition.OFFICE_LEADER, False),
    ],
    RankGroup.PROVINCIAL: [
        (1, ApproverPosition.DIVISION_HEAD, False),
        (2, ApproverPosition.OFFICE_LEADER, False),
        (3, ApproverPosition.OFFICE_LEADER, True),
    ],
}


def approval_chain_for(*, delegation) -> list[tuple[int, str, bool]]:
    group = rank_group(delegation.leader.rank if delegation.leader else "")
    for authority in (delegation.authority, None):
        steps = ApprovalChainStep.objects.filter(authority=authority, rank_group=group)
        configured = [(s.level, s.position, s.is_external) for s in steps]
        if configured:
            return configured
    return DEFAULT_CHAIN[group]


def delegation_review(*, delegation, actor, opinion, expected_version=None) -> Delegation:
    opinion = (opinion or "").strip()
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        _check_transition(locked, actor, "review")
        if not opinion:
            raise ServiceError("opinion_required", _("Write the review opinion."), field="opinion")
        chain = approval_chain_for(delegation=locked)
        locked.approval_steps.all().delete()
        ApprovalStep.objects.bulk_create(
            [
                ApprovalStep(
                    delegation=locked, level=level, position=position, is_external=external
                )
                for level, position, external in chain
            ]
        )
        locked.review_opinion = opinion
        locked.approval_level = chain[0][0]
        return _move(
            locked, actor=actor, action="review", to_state=State.PENDING_APPROVAL, comment=opinion
        )


def _current_step(locked) -> ApprovalStep:
    return locked.approval_steps.get(level=locked.approval_level)


def _check_approver(locked, actor, step):
    if actor.approver_position != step.position:
        raise PermissionDenied(
            "wrong_level",
            _("This level must be decided by another position (%(p)s).") % {"p": step.position},
        )
    # Separation of duties (分权制约): whoever accepted the case cannot approve it, and nobody
    # signs two levels of the same chain (recording an outside decision is not a signature).
    if locked.accepted_by_id == actor.pk:
        raise PermissionDenied(
            "separation_of_duties", _("You accepted this case, so you cannot approve it.")
        )
    if not step.is_external and locked.approval_steps.filter(decided_by=actor).exists():
        raise PermissionDenied(
            "separation_of_duties", _("You already decided another level of this case.")
        )


def delegation_approve(
    *, delegation, actor, opinion="", external_document_number="", expected_version=None
) -> Delegation:
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        _check_transition(locked, actor, "approve")
        step = _current_step(locked)
        _check_approver(locked, actor, step)
        if step.is_external and not external_document_number.strip():
            raise ServiceError(
                "external_document_required",
                _("Enter the number of the higher authority's approval document."),
                field="external_document_number",
            )
        step.decision = ApprovalStep.Decision.APPROVED
        step.decided_by = actor
        step.decided_at = timezone.now()
        step.opinion = opinion.strip()
        step.external_document_number = external_document_number.strip()
        step.save()
        later = locked.approval_steps.filter(level__gt=step.level).order_by("level").first()
        if later:
            locked.approval_level = later.level
            target = State.PENDING_APPROVAL
        else:
            target = State.APPROVED
            # Documents are issued after the commit (idempotent: a re-run issues nothing).
            from waiban.documents.services import documents_issue_after_approval

            transaction.on_commit(
                partial(documents_issue_after_approval, delegation_id=locked.pk, actor_id=actor.pk)
            )
        return _move(
            locked,
            actor=actor,
            action="approve",
            to_state=target,
            comment=opinion,
            audit_extra={
                "level": step.level,
                "external_document_number": step.external_document_number,
            },
        )


def delegation_refuse(*, delegation, actor, opinion, expected_version=None) -> Delegation:
    opinion = (opinion or "").strip()
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        _check_transition(locked, actor, "refuse")
        step = _current_step(locked)
        _check_approver(locked, actor, step)
        if not opinion:
            raise ServiceError(
                "opinion_required", _("Give the reason for refusing."), field="opinion"
            )
        step.decision = ApprovalStep.Decision.REFUSED
        step.decided_by = actor
        step.decided_at = timezone.now()
        step.opinion = opinion
        step.save()
        return _move(
            locked,
            actor=actor,
            action="refuse",
            to_state=State.REFUSED,
            comment=opinion,
            audit_extra={"level": step.level},
        )


def delegation_cancel(*, delegation, actor, reason, expected_version=None) -> Delegation:
    """The unit gives up an approved trip. Its documents are revoked in the same transaction, so
    a cancelled trip never keeps a valid approval document; the trust bundle follows on commit."""
    from waiban.documents.services import documents_revoke

    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(delegation, actor, expected_version)
        _check_transition(locked, actor, "cancel")
        if not reason:
            raise ServiceError(
                "reason_required", _("Say why the trip is cancelled."), field="opinion"
            )
        moved = _move(
            locked, actor=actor, action="cancel", to_state=State.CANCELLED, comment=reason
        )
        documents_revoke(delegation=moved, actor=actor, reason=reason)
        return moved
