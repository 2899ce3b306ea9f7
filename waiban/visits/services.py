"""Writes about a delegation that are not workflow transitions or form edits."""

from django.utils import timezone

from waiban.visits.models import Delegation


def delegation_touch(*, delegation_ids) -> None:
    """Mark cases as changed for their pages (a new ``updated_at``, the key the case page is
    kept under: visits.case_page) without a new version: the other apps call this when they
    write what a case page shows (documents, control-list hits, passport requests), so that
    nobody's open form becomes stale because a document was issued."""
    ids = [delegation_ids] if isinstance(delegation_ids, int) else list(delegation_ids)
    if ids:
        Delegation.objects.filter(pk__in=ids).update(updated_at=timezone.now())
