"""Writes: a reviewer's decision on a screening hit. (Imports: ``importing``; stored hits:
``screening``.)"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.roles import Role
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.watchlists.models import ScreeningHit

DECIDER_ROLES = {Role.REVIEWER, Role.APPROVER}
DECISIONS = {ScreeningHit.Status.CLEARED, ScreeningHit.Status.CONFIRMED}


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
        locked = ScreeningHit.objects.select_for_update().get(pk=hit.pk)
        if locked.status != ScreeningHit.Status.OPEN:
            raise StateConflict(
                "hit_already_decided", _("Someone has decided this hit already; reload the page.")
            )
        locked.status = decision
        locked.reason = reason
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="watchlists.hit_decide",
            obj=locked,
            old={"status": ScreeningHit.Status.OPEN},
            new={"status": decision, "reason": reason},
        )
    return locked
