"""Writing the content of a delegation (not its state): create, update, attachments."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, StateConflict
from waiban.core.transitions import check_version
from waiban.visits.models import Attachment, BudgetLine, Delegation, DelegationMember, ItineraryStop
from waiban.visits.states import EDITABLE_STATES
from waiban.visits.uploads import inspect_upload

CONTENT_FIELDS = [
    "title",
    "task_type",
    "purpose",
    "inviting_organisation",
    "inviting_organisation_kind",
    "funding_source",
]

# The shared stale-version refusal (waiban.core.transitions) in the words of the edit form.
STALE_APPLICATION = gettext_lazy(
    "This application was changed by someone else meanwhile; your input is kept, "
    "reload to see their change."
)


def _check_clerk(actor, unit):
    if actor.role != "unit_clerk" or actor.unit_id != unit.pk:
        raise PermissionDenied("not_found", _("No such case."))


def _snapshot(delegation) -> dict:
    return {
        **{k: getattr(delegation, k) for k in CONTENT_FIELDS},
        "leader": delegation.leader_id,
        "members": [(m.person_id, m.role) for m in delegation.members.all()],
        "stops": [
            (
                s.country.code,
                s.city,
                s.arrival_date,
                s.departure_date,
                s.is_transit,
                s.is_airside,
                s.business_days,
            )
            for s in delegation.stops.all()
        ],
        "budget": {b.kind: b.amount for b in delegation.budget_lines.all()},
    }


def _commitment_basis(snapshot: dict) -> tuple:
    """What the unit head's commitment vouches for: who travels, where, and when. A change to
    any of them (before submission) needs the commitment given again."""
    stops = snapshot.get("stops", [])
    return (
        sorted(person for person, _role in snapshot.get("members", [])),
        sorted({stop[0] for stop in stops}),
        min((stop[2] for stop in stops), default=None),
        max((stop[3] for stop in stops), default=None),
    )


def delegation_save(
    *,
    actor,
    unit,
    data: dict,
    members: list[dict],
    stops: list[dict],
    budget: dict,
    delegation: Delegation | None = None,
    expected_version=None,
) -> Delegation:
    """Create or update a delegation's content in one transaction.

    ``members``: [{"person": Person, "role": str}], leader first; ``stops``: dicts of the
    ItineraryStop fields in order; ``budget``: {kind: Decimal}.
    """
    _check_clerk(actor, unit)
    with transaction.atomic():
        if delegation is None:
            delegation = Delegation(unit=unit, authority=unit.authority, created_by=actor)
            old = {}
        else:
            delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
            if delegation.unit_id != unit.pk:
                raise PermissionDenied("not_found", _("No such case."))
            if delegation.state not in EDITABLE_STATES:
                raise StateConflict(
                    "not_editable", _("A submitted application cannot be changed any more.")
                )
            check_version(delegation, expected_version, message=STALE_APPLICATION)
            old = _snapshot(delegation)
        for key in CONTENT_FIELDS:
            setattr(delegation, key, data.get(key, getattr(delegation, key)))
        leader = next((m["person"] for m in members if m["role"] == "leader"), None)
        delegation.leader = leader
        delegation.departure_date = min((s["arrival_date"] for s in stops), default=None)
        delegation.return_date = max((s["departure_date"] for s in stops), default=None)
        if delegation.pk:
            delegation.version += 1
        delegation.save()
        delegation.members.all().delete()
        DelegationMember.objects.bulk_create(
            [
                DelegationMember(
                    delegation=delegation, person=m["person"], role=m["role"], position=i
                )
                for i, m in enumerate(members)
            ]
        )
        delegation.stops.all().delete()
        ItineraryStop.objects.bulk_create(
            [ItineraryStop(delegation=delegation, position=i, **s) for i, s in enumerate(stops)]
        )
        delegation.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            [BudgetLine(delegation=delegation, kind=k, amount=v) for k, v in budget.items() if v]
        )
        new = _snapshot(delegation)
        changed = [k for k in new if old.get(k) != new[k]]
        if old and delegation.committed_at and _commitment_basis(old) != _commitment_basis(new):
            # The head confirmed other dates, members or countries: ask again.
            delegation.committed_by = None
            delegation.committed_at = None
            delegation.save(update_fields=["committed_by", "committed_at"])
            changed.append("committed_at")
            old["committed_at"], new["committed_at"] = "confirmed", None
        audit_record(
            actor=actor,
            action="delegation.create" if not old else "delegation.update",
            obj=delegation,
            old={k: old.get(k) for k in changed},
            new={k: new[k] for k in changed},
        )
        return delegation


def attachment_add(*, actor, delegation, kind: str, uploaded) -> Attachment:
    """Check the file first; a bad file changes nothing. A new file replaces the old of its kind
    for single-copy materials (invitation, budget), the old one stays on record."""
    _check_clerk(actor, delegation.unit)
    info = inspect_upload(uploaded)
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if locked.state not in EDITABLE_STATES:
            raise StateConflict(
                "not_editable", _("A submitted application cannot be changed any more.")
            )
        if kind in (Attachment.Kind.INVITATION, Attachment.Kind.BUDGET):
            locked.attachments.filter(kind=kind, is_current=True).update(is_current=False)
        original_name = (uploaded.name or "file")[-200:]
        uploaded.name = f"{uuid.uuid4().hex}{info['ext']}"
        attachment = Attachment.objects.create(
            delegation=locked,
            kind=kind,
            file=uploaded,
            original_name=original_name,
            content_type=info["content_type"],
            size=info["size"],
            sha256=info["sha256"],
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            action="delegation.attachment_add",
            obj=locked,
            new={
                "kind": kind,
                "name": original_name,
                "sha256": info["sha256"],
                "size": info["size"],
            },
        )
        return attachment
