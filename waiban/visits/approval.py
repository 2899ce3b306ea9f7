"""The approval: the chain of levels by the leader's rank, and each level's decision (DESIGN.md
§2). Separation of duties (分权制约) is checked here: whoever accepted a case cannot approve it,
and nobody signs two levels of it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.roles import ApproverPosition
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.people.models import RankGroup, rank_group
from waiban.visits.models import ApprovalChainStep, ApprovalStep, Delegation
from waiban.visits.moves import lock_case, move
from waiban.visits.states import State

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
        locked = lock_case(delegation, actor, "approve", expected_version)
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
            # Documents are issued by the worker once this commits (waiban.outbox): the
            # approver never waits for a PDF. One message per final approval step.
            from waiban.outbox.services import outbox_add

            outbox_add(
                topic="documents.issue_after_approval",
                key=f"documents.issue_after_approval:{step.pk}",
                payload={"delegation_id": locked.pk, "actor_id": actor.pk},
            )
        return move(
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
        locked = lock_case(delegation, actor, "refuse", expected_version)
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
        return move(
            locked,
            actor=actor,
            action="refuse",
            to_state=State.REFUSED,
            comment=opinion,
            audit_extra={"level": step.level},
        )
