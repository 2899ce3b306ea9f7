"""The one-time correction notice enforced: each item remembers what its field or material held
when the notice was issued; on resubmission every item must have changed since, or carry the
clerk's explanation of why not."""

import hashlib
import json

from django.utils.translation import gettext as _

from waiban.core.errors import ServiceError
from waiban.visits.corrections import TARGET_LABELS

# Which part of the application each target of CORRECTION_TARGETS is.
FIELDS = ("title", "task_type", "purpose", "inviting_organisation")
MATERIALS = {"invitation": "invitation", "agenda": "agenda", "other": "other"}


def _content(delegation, target):
    if target in FIELDS:
        value = getattr(delegation, target)
        if target == "inviting_organisation":
            return [value, delegation.inviting_organisation_kind]
        return value
    if target == "leader":
        return delegation.leader_id
    if target == "members":
        return [(m.person_id, m.role) for m in delegation.members.all()]
    if target == "stops":
        return [
            (s.country.code, s.city, str(s.arrival_date), str(s.departure_date), s.is_transit)
            for s in delegation.stops.all()
        ]
    if target == "budget":
        return sorted((b.kind, str(b.amount)) for b in delegation.budget_lines.all())
    kind = MATERIALS.get(target, "other")
    current = delegation.attachments.filter(kind=kind, is_current=True).order_by("pk")
    return list(current.values_list("sha256", flat=True))


def target_digest(delegation, target: str) -> str:
    raw = json.dumps(_content(delegation, target), default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def item_changed(delegation, item) -> bool:
    return bool(item.digest_at_notice) and target_digest(delegation, item.target) != (
        item.digest_at_notice
    )


def check_corrections(locked, explanations: dict) -> list:
    """Mark each item of the open notice changed or explained; refuse (ServiceError
    "corrections_not_fixed", a problem per item) when one is neither. ``explanations``: item
    id (as text) -> the clerk's words."""
    notice = locked.corrections.filter(resolved_at__isnull=True).first()
    if notice is None:
        return []
    items = list(notice.items.all())
    problems = []
    for item in items:
        item.changed = item_changed(locked, item)
        item.explanation = (explanations.get(str(item.pk)) or "").strip()[:2000]
        if not item.changed and not item.explanation:
            problems.append(
                {
                    "field": f"explain-{item.pk}",
                    "message": _(
                        "Correction item “%(target)s: %(message)s” is unchanged: fix it, or "
                        "say why it needs no change."
                    )
                    % {
                        "target": TARGET_LABELS.get(item.target, item.target),
                        "message": item.message,
                    },
                }
            )
    if problems:
        raise ServiceError(
            "corrections_not_fixed",
            _("Every item of the correction notice must be fixed or explained."),
            params={"problems": problems},
        )
    for item in items:
        item.save(update_fields=["changed", "explanation"])
    return items


def open_items(delegation) -> list:
    """The items of the case's open correction notice (none when there is none)."""
    notice = delegation.corrections.filter(resolved_at__isnull=True).first()
    return list(notice.items.all()) if notice else []
