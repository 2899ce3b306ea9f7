"""Reads of the visas app: the visa officer's workbench and a batch's page."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from waiban.accounts.scoping import visible_authority_ids
from waiban.visas.models import VisaBatch
from waiban.visas.needs import need_status, trips_visas
from waiban.visas.states import BatchState, Result
from waiban.visits.models import Delegation
from waiban.visits.states import State

AMBER_DAYS = 3  # as the case workbench: amber shortly before the date, red after it
WAITING_LIMIT = 100  # approved trips looked at on the workbench, soonest departure first


def colour(date: dt.date | None, today: dt.date) -> str:
    if date is None:
        return ""
    if today > date:
        return "red"
    if (date - today).days <= AMBER_DAYS:
        return "amber"
    return "green"


def batch_get(*, user, pk) -> VisaBatch | None:
    return (
        VisaBatch.objects.select_related("delegation__unit", "delegation__authority", "embassy")
        .filter(pk=pk, delegation__authority_id__in=visible_authority_ids(user))
        .first()
    )


def batches_of(user):
    return (
        VisaBatch.objects.filter(delegation__authority_id__in=visible_authority_ids(user))
        .select_related("delegation", "embassy")
        .annotate(
            travellers=Count("applications"),
            pending=Count("applications", filter=Q(applications__result=Result.PENDING)),
        )
    )


def workbench(*, user, today=None) -> dict:
    """Approved trips with visas still to apply for, batches being prepared, batches out with
    their traffic light against the expected return (the embassy's lead time)."""
    today = today or timezone.localdate()
    cases = (
        Delegation.objects.filter(
            authority_id__in=visible_authority_ids(user),
            state=State.APPROVED,
            departure_date__gte=today,
        )
        .select_related("authority__parent__parent", "unit")
        .order_by("departure_date", "id")[:WAITING_LIMIT]
    )
    waiting = []
    cases = list(cases)
    all_visas = trips_visas(cases)
    for delegation in cases:
        visas = all_visas[delegation.pk]
        todo = [n for n in visas.needs if n.via_embassy and need_status(n) == "to_apply"]
        if not todo:
            continue
        apply_by = min((n.apply_by for n in todo if n.apply_by), default=None)
        waiting.append(
            {
                "delegation": delegation,
                "count": len(todo),
                "embassies": sorted({str(n.embassy) for n in todo if n.embassy}),
                "missing_embassy": any(n.embassy is None for n in todo),
                "apply_by": apply_by,
                "sla": colour(apply_by, today),
            }
        )
    batches = batches_of(user)
    out = list(batches.filter(state=BatchState.SENT).order_by("expected_back", "id"))
    for batch in out:
        batch.sla = colour(batch.expected_back, today)
    preparing = list(batches.filter(state=BatchState.PREPARING).order_by("created_at", "id"))
    recent = list(
        batches.filter(state__in=[BatchState.BACK, BatchState.CANCELLED]).order_by("-updated_at")[
            :10
        ]
    )
    return {
        "waiting": waiting,
        "preparing": preparing,
        "out": out,
        "overdue": sum(1 for b in out if b.sla == "red"),
        "recent": recent,
        "today": today,
    }
