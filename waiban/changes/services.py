"""Every move of a change request: one keyword-only service function each, named
``change_request_<action>`` after its row of the table (waiban.changes.states). Each runs in
one transaction with the history row (ChangeEvent) and the audit event; refusals carry stable
codes: not_found, stale_version, wrong_role, invalid_transition (the shared skeleton), and
case_not_authorised, change_already_open, no_change, reason_required, rule_blocked,
not_administrative, not_material, opinion_required, wrong_level, separation_of_duties,
screening_not_cleared, change_superseded.
"""

from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.changes import content as contents
from waiban.changes.applying import (  # noqa: F401  (CHANGEABLE_STATES: read from here too)
    CHANGEABLE_STATES,
    apply_change,
    content_version_number,
    keep_first_version,
    lock_changeable_case,
)
from waiban.changes.judging import check_no_block, content_evaluate, warnings_of
from waiban.changes.models import ChangeApprovalStep, ChangeEvent, ChangeRequest
from waiban.changes.states import (
    CHANGE_TRANSITIONS,
    OPEN_CHANGE_STATES,
    REFUSER_OF_STATE,
    ChangeState,
)
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.transitions import check_role, lock_for_move, record_move
from waiban.visits.deadlines import deadline_for
from waiban.visits.moves import can_see, check_screening_cleared
from waiban.visits.states import State

# The time limit of each stage of a change: as the case's stage of the same kind (DESIGN §2).
STAGE_OF_STATE = {
    ChangeState.SUBMITTED: State.PRE_REVIEW,
    ChangeState.UNDER_REVIEW: State.UNDER_REVIEW,
    ChangeState.PENDING_APPROVAL: State.PENDING_APPROVAL,
}
STALE_CHANGE = gettext_lazy(
    "Someone else acted on this change request while you were working (it is now: %(state)s). "
    "Your text is kept below; review it and try again."
)
CHANGE_NOT_NOW = gettext_lazy("This change request is %(state)s: “%(action)s” is not possible now.")
ONE_AT_A_TIME = gettext_lazy(
    "This case already has a change request in progress: it must be decided or withdrawn "
    "before another change is proposed."
)


def _can_see(actor, change) -> bool:
    return can_see(actor, change.delegation)


def _lock(change, actor, action, expected_version=None) -> ChangeRequest:
    return lock_for_move(
        ChangeRequest.objects.select_related("delegation"),
        change.pk,
        actor=actor,
        transition=CHANGE_TRANSITIONS[action],
        expected_version=expected_version,
        can_see=_can_see,
        stale_message=STALE_CHANGE,
        not_now_message=CHANGE_NOT_NOW,
        not_found_message=_("No such change request."),
    )


def _move(locked, *, actor, action, to_state=None, comment="", audit_extra=None):
    to_state = to_state or CHANGE_TRANSITIONS[action].target or locked.state
    old = {"deadline": locked.deadline}
    stage = STAGE_OF_STATE.get(to_state)
    if to_state != locked.state or action == "approve":
        locked.deadline = (
            deadline_for(
                authority=locked.delegation.authority_id,
                state=stage,
                start=timezone.localdate(),
            )
            if stage
            else None
        )
    return record_move(
        locked,
        actor=actor,
        action=action,
        target=to_state,
        history=ChangeEvent,
        audit_prefix="change_request",
        old=old,
        new={"deadline": locked.deadline, **(audit_extra or {})},
        change=locked,
        delegation_id=locked.delegation_id,
        comment=comment,
    )


def _store_invitation(locked, actor, uploaded, info):
    """The new letter, kept with the case but not current until the change is approved."""
    import uuid

    from waiban.visits.models import Attachment

    original_name = (uploaded.name or "file")[-200:]
    uploaded.name = f"{uuid.uuid4().hex}{info['ext']}"
    return Attachment.objects.create(
        delegation=locked,
        kind=Attachment.Kind.INVITATION,
        file=uploaded,
        original_name=original_name,
        content_type=info["content_type"],
        size=info["size"],
        sha256=info["sha256"],
        uploaded_by=actor,
        is_current=False,
    )


def change_request_propose(
    *, delegation, actor, reason, content, invitation=None, expected_version=None
):
    """The unit's clerk proposes a new content (``content``: waiban.changes.content's shape)
    for an approved or travelling case, with the reason. It is classified field by field; a
    material change is judged by the rules in force today (a block stops it here) and its new
    members are screened. The case's content stays in force until the change is approved."""
    reason = (reason or "").strip()
    check_role(actor, CHANGE_TRANSITIONS["propose"].roles, CHANGE_TRANSITIONS["propose"])
    if not can_see(actor, delegation):
        raise PermissionDenied("not_found", _("No such case."))
    if not reason:
        raise ServiceError("reason_required", _("Say why the case must change."), field="reason")
    # ``invitation``: an uploaded new invitation letter, checked first (a bad file changes
    # nothing).
    info = None
    if invitation is not None:
        from waiban.visits.uploads import inspect_upload

        try:
            info = inspect_upload(invitation)
        except ServiceError as error:
            error.field = "invitation"
            raise
    with transaction.atomic():
        locked = lock_changeable_case(delegation.pk)
        if ChangeRequest.objects.filter(delegation=locked, state__in=OPEN_CHANGE_STATES).exists():
            raise StateConflict("change_already_open", str(ONE_AT_A_TIME))
        current = contents.content_of(locked)
        problems = contents.content_problems(content)
        if problems:
            raise ServiceError(
                "incomplete",
                _("The changed trip is not complete."),
                params={"problems": [{"field": "", "message": p} for p in problems]},
            )
        content = contents.with_approved_ranks(current, content)
        changes = contents.classify(current, content)
        if info is not None:
            changes.append(
                {"field": "invitation_letter", "material": True, "old": "", "new": invitation.name}
            )
        if not changes:
            raise ServiceError(
                "no_change", _("The proposed content is the same as the case's: nothing changes.")
            )
        is_material = any(c["material"] for c in changes)
        findings, versions, new_hits = [], {}, ()
        if is_material:
            evaluation = content_evaluate(
                delegation=locked, content=content, on=timezone.localdate()
            )
            check_no_block(evaluation)
            findings, versions = warnings_of(evaluation), evaluation.summary()
            added = {c["person"] for c in content["members"]} - {
                m["person"] for m in current["members"]
            }
            new_hits = tuple(m for m in evaluation.screening if m.person_id in added)
        keep_first_version(locked)
        try:
            with transaction.atomic():
                change = ChangeRequest.objects.create(
                    delegation=locked,
                    state="",
                    version=0,
                    reason=reason,
                    base_version=content_version_number(locked),
                    content=content,
                    changes=changes,
                    is_material=is_material,
                    findings=findings,
                    rule_versions=versions,
                    proposed_by=actor,
                    invitation=_store_invitation(locked, actor, invitation, info) if info else None,
                )
        except IntegrityError as error:  # a second request committed in the same instant
            raise StateConflict("change_already_open", str(ONE_AT_A_TIME)) from error
        change.delegation = locked
        moved = _move(
            change,
            actor=actor,
            action="propose",
            comment=reason,
            audit_extra={"changes": changes, "is_material": is_material, "rule_versions": versions},
        )
        if new_hits:
            # Possible control-list matches of the new members go to the reviewer to decide,
            # as at a submission; the change waits for that decision.
            from waiban.watchlists.screening import screening_record

            screening_record(delegation=locked, actor=actor, matches=new_hits)
        return moved


def change_request_confirm(*, change, actor, expected_version=None):
    """The unit head confirms the change: it goes to the office's window."""
    with transaction.atomic():
        locked = _lock(change, actor, "confirm", expected_version)
        lock_changeable_case(locked.delegation_id)
        locked.confirmed_by = actor
        return _move(locked, actor=actor, action="confirm")


def change_request_withdraw(*, change, actor, expected_version=None, comment=""):
    with transaction.atomic():
        locked = _lock(change, actor, "withdraw", expected_version)
        locked.decided_at = timezone.now()
        # Whoever had it in their queue is told (the table's "next"): read before it moves.
        return _move(locked, actor=actor, action="withdraw", comment=comment)


def changes_withdraw_for_cancel(*, delegation, actor) -> int:
    """The trip is cancelled: its open change request is withdrawn in the same transaction
    (called before the case is locked: a change's approval locks the request, then the
    case). Returns how many were withdrawn."""
    change = ChangeRequest.objects.filter(
        delegation_id=delegation.pk, state__in=OPEN_CHANGE_STATES
    ).first()
    if change is None or actor is None or actor.role != Role.UNIT_CLERK:
        return 0  # the cancellation itself refuses whoever may not make it
    change_request_withdraw(change=change, actor=actor, comment=_("The trip is cancelled."))
    return 1


def change_request_accept(*, change, actor, comment="", expected_version=None):
    """The window accepts a material change for review (an administrative one is recorded)."""
    with transaction.atomic():
        locked = _lock(change, actor, "accept", expected_version)
        if not locked.is_material:
            raise ServiceError(
                "not_material",
                _("This change is administrative only: record it, no review is needed."),
            )
        check_screening_cleared(locked.delegation, actor)
        locked.accepted_by = actor
        return _move(locked, actor=actor, action="accept", comment=(comment or "").strip())


def change_request_review(*, change, actor, opinion, expected_version=None):
    """The review passes: the approval chain is the one the NEW content requires (a new
    bureau-level leader adds a level)."""
    from waiban.visits.approval import approval_chain_for

    opinion = (opinion or "").strip()
    with transaction.atomic():
        locked = _lock(change, actor, "review", expected_version)
        if not opinion:
            raise ServiceError("opinion_required", _("Write the review opinion."), field="opinion")
        check_screening_cleared(locked.delegation, actor)
        people = contents.people_of(locked.content)
        leader = people.get(contents.leader_of(locked.content))
        proposed = SimpleNamespace(leader=leader, authority=locked.delegation.authority)
        chain = approval_chain_for(delegation=proposed)
        locked.steps.all().delete()
        ChangeApprovalStep.objects.bulk_create(
            [
                ChangeApprovalStep(change=locked, level=level, position=position, is_external=ext)
                for level, position, ext in chain
            ]
        )
        locked.review_opinion = opinion
        locked.approval_level = chain[0][0]
        return _move(
            locked,
            actor=actor,
            action="review",
            comment=opinion,
            audit_extra={"chain": [position for _level, position, _ext in chain]},
        )


def _current_step(locked, actor) -> ChangeApprovalStep:
    step = locked.steps.get(level=locked.approval_level)
    if actor.approver_position != step.position:
        raise PermissionDenied(
            "wrong_level",
            _("This level must be decided by another position (%(p)s).") % {"p": step.position},
        )
    if locked.accepted_by_id == actor.pk:
        raise PermissionDenied(
            "separation_of_duties", _("You accepted this change, so you cannot approve it.")
        )
    if not step.is_external and locked.steps.filter(decided_by=actor).exists():
        raise PermissionDenied(
            "separation_of_duties", _("You already decided another level of this change.")
        )
    return step


def change_request_approve(*, change, actor, opinion="", expected_version=None):
    """One level approves; after the last one the new content is in force."""
    with transaction.atomic():
        locked = _lock(change, actor, "approve", expected_version)
        check_screening_cleared(locked.delegation, actor)
        step = _current_step(locked, actor)
        step.decision = ChangeApprovalStep.Decision.APPROVED
        step.decided_by = actor
        step.decided_at = timezone.now()
        step.opinion = (opinion or "").strip()
        step.save()
        later = locked.steps.filter(level__gt=step.level).order_by("level").first()
        if later:
            locked.approval_level = later.level
            return _move(
                locked,
                actor=actor,
                action="approve",
                to_state=ChangeState.PENDING_APPROVAL,
                comment=step.opinion,
                audit_extra={"level": step.level},
            )
        applied = apply_change(locked, actor=actor)
        return _move(
            locked,
            actor=actor,
            action="approve",
            to_state=ChangeState.APPROVED,
            comment=step.opinion,
            audit_extra={"level": step.level, **applied},
        )


def change_request_record(*, change, actor, comment="", expected_version=None):
    """The window records an administrative change: in force at once, documents re-issued."""
    with transaction.atomic():
        locked = _lock(change, actor, "record", expected_version)
        if locked.is_material:
            raise ServiceError(
                "not_administrative",
                _("This change is material: accept it for review and approval instead."),
            )
        applied = apply_change(locked, actor=actor)
        return _move(
            locked,
            actor=actor,
            action="record",
            comment=(comment or "").strip(),
            audit_extra=applied,
        )


def change_request_refuse(*, change, actor, opinion, expected_version=None):
    """Refused at the window, at the review or at an approval level: the case stays as it was."""
    opinion = (opinion or "").strip()
    with transaction.atomic():
        locked = _lock(change, actor, "refuse", expected_version)
        if REFUSER_OF_STATE.get(locked.state) != actor.role:
            raise PermissionDenied(
                "wrong_role",
                _("Your role cannot do this: %(action)s.")
                % {"action": CHANGE_TRANSITIONS["refuse"].label},
            )
        if locked.state == ChangeState.PENDING_APPROVAL:
            step = _current_step(locked, actor)
        if not opinion:
            raise ServiceError(
                "opinion_required", _("Give the reason for refusing."), field="opinion"
            )
        if locked.state == ChangeState.PENDING_APPROVAL:
            step.decision = ChangeApprovalStep.Decision.REFUSED
            step.decided_by = actor
            step.decided_at = timezone.now()
            step.opinion = opinion
            step.save()
        locked.decided_at = timezone.now()
        return _move(locked, actor=actor, action="refuse", comment=opinion)
