"""Reads, always scoped to what the user may see (everything else is a 404)."""

from django.db.models import Count, Q

from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.watchlists.models import ControlList, ScreeningHit, Severity

# Who may see the lists themselves and who may see hits with their entries. A unit's users and
# the other office roles see only that a member needs review (template tag).
LIST_ROLES = {Role.REVIEWER, Role.SUPERVISOR}
HIT_ROLES = {Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR}


def lists_for(user):
    if user.role not in LIST_ROLES:
        return ControlList.objects.none()
    return (
        ControlList.objects.filter(authority_id__in=visible_authority_ids(user))
        .select_related("authority")
        .annotate(active_entries=Count("entries", filter=Q(entries__is_active=True)))
    )


def own_lists(user) -> list[ControlList]:
    """The lists the user's own office keeps: the ones it may import new versions of."""
    if user.role not in LIST_ROLES or not user.authority_id:
        return []
    return list(ControlList.objects.filter(authority_id=user.authority_id))


def list_get(*, user, pk) -> ControlList | None:
    if user.role not in LIST_ROLES:
        return None
    return (
        ControlList.objects.filter(authority_id__in=visible_authority_ids(user), pk=pk)
        .select_related("authority")
        .first()
    )


def hits_for(user):
    """Hits of the cases the user may see (the same scope as the workbench)."""
    if user.role not in HIT_ROLES:
        return ScreeningHit.objects.none()
    return ScreeningHit.objects.filter(
        delegation__authority_id__in=visible_authority_ids(user)
    ).select_related(
        "delegation", "delegation__unit", "person", "entry", "entry__control_list", "decided_by"
    )


def open_hit_count(user) -> int:
    return hits_for(user).filter(status=ScreeningHit.Status.OPEN).count()


def case_hits(*, user, delegation):
    return hits_for(user).filter(delegation=delegation).order_by("person__name_zh", "id")


def case_needs_review(delegation) -> bool:
    """Some member has a hit that is not cleared: the case waits for a reviewer (office eyes)."""
    return delegation.screening_hits.exclude(status=ScreeningHit.Status.CLEARED).exists()


def case_held_for_the_unit(delegation) -> bool:
    """What a unit may know: an exact match (a hit that blocks) is not cleared yet, so the office
    will check the application. Possible name matches are the reviewer's alone."""
    return (
        delegation.screening_hits.filter(severity=Severity.BLOCK)
        .exclude(status=ScreeningHit.Status.CLEARED)
        .exists()
    )
