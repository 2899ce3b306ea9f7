"""Every state change of a delegation: one keyword-only service function each, named
``delegation_<action>`` after its row of the transitions table (waiban.visits.states). This
module has the moves up to the review and re-exports the approval's (waiban.visits.approval)
and the trip's (waiban.visits.trip), so that views, the admin and commands find every one here.

Each runs in one transaction: the skeleton (waiban.visits.moves.lock_case: the row locked,
visible to the actor, the version they saw, their role, the move from its state), then
separation of duties and the move's own checks, the new state, the history row and the audit
event."""

from functools import wraps

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.core.errors import ServiceError
from waiban.core.numbering import case_number
from waiban.people.models import Person
from waiban.rules.facts import prefetch_content
from waiban.rules.services import findings_record, judged_by_versions_of, submission_check
from waiban.visits.approval import (  # noqa: F401  (re-exported: every move is found here)
    approval_chain_for,
    delegation_approve,
    delegation_refuse,
)
from waiban.visits.completeness import submission_problems
from waiban.visits.correction_check import check_corrections, target_digest
from waiban.visits.models import (
    ApprovalStep,
    CorrectionItem,
    CorrectionNotice,
    Delegation,
    DelegationMember,
)
from waiban.visits.moves import lock_case, move
from waiban.visits.states import State
from waiban.visits.trip import (  # noqa: F401  (re-exported: every move is found here)
    delegation_cancel,
    delegation_close,
    delegation_come_back,
    delegation_depart,
)
from waiban.watchlists.screening import screening_record


def delegation_commit(*, delegation, actor, expected_version=None) -> Delegation:
    """The unit head confirms the unit's commitment (承诺) before submission."""
    with transaction.atomic():
        locked = lock_case(delegation, actor, "commit", expected_version)
        locked.committed_by = actor
        locked.committed_at = timezone.now()
        return move(locked, actor=actor, action="commit", audit_extra={"committed_by": actor.pk})


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


def _office_told_of_listed_members(service):
    """A (re)submission refused because a member is on a control list (an exact match) still
    stores the hit, once the refused transaction has rolled back, so that the office is told
    and a reviewer can decide it; the clerk learns only that the office must check."""

    @wraps(service)
    def submitting(*, delegation, actor, **kwargs):
        try:
            return service(delegation=delegation, actor=actor, **kwargs)
        except ServiceError as error:
            findings = error.params.get("findings", []) if error.code == "rule_blocked" else []
            if any(f.get("code") == "watchlist" for f in findings):
                screening_record(delegation=delegation, actor=actor)
            raise

    return submitting


@_office_told_of_listed_members
def delegation_submit(
    *, delegation, actor, expected_version=None, justifications=None
) -> Delegation:
    """Submit: complete, no block finding, a written justification for each warning
    (``justifications``: {finding key: text}). The findings are stored with the rule versions
    in force today, which keep judging this case whatever changes later."""
    with transaction.atomic():
        locked = lock_case(delegation, actor, "submit", expected_version)
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
        moved = move(
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


@_office_told_of_listed_members
def delegation_resubmit(
    *,
    delegation,
    actor,
    expected_version=None,
    comment="",
    justifications=None,
    explanations=None,
) -> Delegation:
    """Resubmit after a correction: every item of the notice changed or explained
    (``explanations``: item id -> why it needs no change), then judged as on submission."""
    with transaction.atomic():
        locked = lock_case(delegation, actor, "resubmit", expected_version)
        prefetch_content(locked)  # read once, as on submission
        _check_complete(locked)
        check_corrections(locked, explanations or {})
        # Judged by the rule versions of its first submission, not by any version newer than
        # that: a routine correction must not meet rules that did not apply to the case.
        evaluation = submission_check(
            delegation=locked,
            on=timezone.localdate(),
            justifications=justifications,
            versions_on=judged_by_versions_of(locked),
        )
        locked.corrections.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        _snapshot_members(locked)
        moved = move(
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
        locked = lock_case(delegation, actor, "withdraw", expected_version)
        return move(
            locked, actor=actor, action="withdraw", to_state=State.WITHDRAWN, comment=comment
        )


def delegation_send_back(*, delegation, actor, items, expected_version=None) -> Delegation:
    """Send back with a one-time correction notice; ``items`` is a list of (target, message)."""
    items = [(t.strip(), m.strip()) for t, m in items if (m or "").strip()]
    with transaction.atomic():
        locked = lock_case(delegation, actor, "send_back", expected_version)
        if not items:
            raise ServiceError(
                "correction_items_required",
                _("List every item the clerk must fix; the notice cannot be empty."),
                field="items",
            )
        notice = CorrectionNotice.objects.create(delegation=locked, issued_by=actor)
        prefetch_content(locked)  # what each item's target holds now (correction_check)
        CorrectionItem.objects.bulk_create(
            [
                CorrectionItem(
                    notice=notice, target=t, message=m, digest_at_notice=target_digest(locked, t)
                )
                for t, m in items
            ]
        )
        comment = "\n".join(f"{i}. {m}" for i, (_t, m) in enumerate(items, 1))
        return move(
            locked,
            actor=actor,
            action="send_back",
            comment=comment,
            audit_extra={"correction_items": [{"target": t, "message": m} for t, m in items]},
        )


def delegation_accept(*, delegation, actor, expected_version=None, comment="") -> Delegation:
    with transaction.atomic():
        locked = lock_case(delegation, actor, "accept", expected_version)
        locked.accepted_by = actor
        return move(
            locked, actor=actor, action="accept", to_state=State.UNDER_REVIEW, comment=comment
        )


def delegation_review(*, delegation, actor, opinion, expected_version=None) -> Delegation:
    opinion = (opinion or "").strip()
    with transaction.atomic():
        locked = lock_case(delegation, actor, "review", expected_version)
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
        return move(
            locked, actor=actor, action="review", to_state=State.PENDING_APPROVAL, comment=opinion
        )
