"""Reads of delegations, always scoped to what the user may see."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES, Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.calendar import WorkingCalendar
from waiban.visits.deadlines import sla_colour
from waiban.visits.models import Delegation, DelegationMember, ItineraryStop
from waiban.visits.states import OPEN_STATES, State

# Which queue each office role works on by default.
ROLE_QUEUE = {
    Role.WINDOW_CLERK: [State.PRE_REVIEW],
    Role.REVIEWER: [State.UNDER_REVIEW],
    Role.APPROVER: [State.PENDING_APPROVAL],
}


def delegation_scope(user):
    if user.role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        return Delegation.objects.filter(unit_id=user.unit_id)
    if user.role in OFFICE_ROLES:
        # Drafts are the unit's own business until submitted.
        return Delegation.objects.filter(authority_id__in=visible_authority_ids(user)).exclude(
            state=State.DRAFT
        )
    return Delegation.objects.none()


def delegation_get(*, user, pk) -> Delegation | None:
    return (
        delegation_scope(user)
        .select_related("unit", "authority", "leader", "committed_by", "accepted_by")
        .filter(pk=pk)
        .first()
    )


def annotate_page(delegations, *, calendar=None, today=None):
    """Traffic light and member count for one page of a list.

    Members are counted for the page's rows only, in one query: counting in the list query
    itself would join and group every matching case before the page is cut out of them.
    """
    calendar = calendar or WorkingCalendar()
    today = today or timezone.localdate()
    delegations = list(delegations)
    counts = dict(
        DelegationMember.objects.filter(delegation_id__in=[d.pk for d in delegations])
        .values("delegation_id")
        .annotate(n=Count("id"))
        .values_list("delegation_id", "n")
    )
    for delegation in delegations:
        delegation.member_count = counts.get(delegation.pk, 0)
        delegation.sla = sla_colour(
            state=delegation.state, deadline=delegation.deadline, today=today, calendar=calendar
        )
    return delegations


def workbench_queryset(
    *, user, state=None, unit=None, country=None, overdue=False, sort="deadline"
):
    qs = delegation_scope(user).select_related("unit", "leader")
    if state:
        qs = qs.filter(state=state)
    elif user.role in ROLE_QUEUE:
        qs = qs.filter(state__in=ROLE_QUEUE[user.role])
    else:
        qs = qs.filter(state__in=OPEN_STATES)
    if user.role == Role.APPROVER and not state:
        qs = qs.filter(
            approval_steps__level=F("approval_level"),
            approval_steps__position=user.approver_position,
        )
    if unit:
        qs = qs.filter(unit_id=unit)
    if country:
        qs = qs.filter(
            Exists(ItineraryStop.objects.filter(delegation=OuterRef("pk"), country=country))
        )
    if overdue:
        qs = qs.filter(deadline__lt=timezone.localdate(), state__in=OPEN_STATES)
    order = {
        "deadline": ["deadline", "id"],
        "-deadline": ["-deadline", "-id"],
        "submitted": ["submitted_at", "id"],
        "-submitted": ["-submitted_at", "-id"],
        "departure": ["departure_date", "id"],
    }.get(sort, ["deadline", "id"])
    return qs.order_by(*order)


def overdue_count(*, user) -> int:
    return (
        delegation_scope(user)
        .filter(state__in=OPEN_STATES, deadline__lt=timezone.localdate())
        .count()
    )


def unit_delegations(*, user, state=None):
    if user.role not in UNIT_ROLES:
        return Delegation.objects.none()
    qs = delegation_scope(user).select_related("leader")
    if state == "awaiting_commitment":
        qs = qs.filter(Q(state__in=[State.DRAFT, State.RETURNED]) & Q(committed_at__isnull=True))
    elif state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-id")


def traveller_trips(*, user):
    """A traveller's own delegations, once submitted (drafts are the unit's working papers)."""
    if user.role != Role.TRAVELLER or not user.person_id:
        return Delegation.objects.none()
    return (
        Delegation.objects.filter(members__person_id=user.person_id)
        .exclude(state=State.DRAFT)
        .select_related("unit", "leader")
        .order_by("-departure_date", "-id")
    )
