"""Writes: a reviewer's decision on a screening hit. (Imports: ``importing``; stored hits:
``screening``.)"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.transitions import Transition, lock_for_move, transitions_table
from waiban.watchlists.models import ScreeningHit, ScreeningHitEvent

DECIDER_ROLES = frozenset({Role.REVIEWER, Role.APPROVER})
OPEN = frozenset({ScreeningHit.Status.OPEN})

# A hit's transitions: the decision, one way or the other (the target is the decision).
HIT_TRANSITIONS = transitions_table(
    Transition(
        "cleared",
        OPEN,
        ScreeningHit.Status.CLEARED,
        DECIDER_ROLES,
        gettext_lazy("Clear: not the listed person"),
    ),
    Transition(
        "confirmed",
        OPEN,
        ScreeningHit.Status.CONFIRMED,
        DECIDER_ROLES,
        gettext_lazy("Confirm the match"),
    ),
)
DECISIONS = set(HIT_TRANSITIONS)
HIT_DECIDED = gettext_lazy(
    "This hit is %(status)s already: someone decided it meanwhile; reload the page."
)


def can_decide(user, hit: ScreeningHit) -> bool:
    """Reviewers and approvers of the office handling the case; not a superior office."""
    return (
        user.role in DECIDER_ROLES
        and bool(user.authority_id)
        and user.authority_id == hit.delegation.authority_id
    )


def screening_hit_decide(*, hit: ScreeningHit, actor, decision: str, reason: str) -> ScreeningHit:
    """Clear (not the listed person) or confirm an open hit, with the reason; audited."""
    if not can_decide(actor, hit):
        raise PermissionDenied(
            "not_hit_decider",
            _("Only a reviewer or approver of the office handling the case decides this."),
        )
    if decision not in DECISIONS:
        raise ServiceError("hit_decision_invalid", _("Choose clear or confirm."), field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(
            "hit_reason_required", _("Give the reason for the decision."), field="reason"
        )
    with transaction.atomic():
        locked = lock_for_move(
            ScreeningHit.objects.select_related("delegation"),
            hit.pk,
            actor=actor,
            transition=HIT_TRANSITIONS[decision],
            can_see=can_decide,
            stale_message="",
            not_now_message=HIT_DECIDED,
            not_found_message=_("No such hit."),
            field="status",
        )
        locked.status = decision
        locked.reason = reason
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        ScreeningHitEvent.objects.create(
            hit=locked,
            actor=actor,
            action=decision,
            from_status=ScreeningHit.Status.OPEN,
            to_status=decision,
            reason=reason,
        )
        audit_record(
            actor=actor,
            action="watchlists.hit_decide",
            obj=locked,
            old={"status": ScreeningHit.Status.OPEN},
            new={"status": decision, "reason": reason},
        )
    return locked
