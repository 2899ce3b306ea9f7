"""Reads of the rules app: the findings shown on the form and on the case page."""

from django.db.models import Count, Subquery
from django.utils import timezone

from waiban.core.calendar import WorkingCalendar
from waiban.rules.engine import (
    evaluate,
    history_ranks,
    history_years,
    render,
    versions_in_force,
)
from waiban.rules.live import facts_from_post
from waiban.rules.models import Finding, Severity
from waiban.rules.services import delegation_evaluate, judged_by_versions_of
from waiban.visits.models import DelegationEvent


def live_findings(*, post, unit, authority_id, delegation_id=None, versions_on=None):
    """Findings of the form data as typed, by the versions in force today (``versions_on``: a
    case sent back is judged by those of its first submission, as on resubmission)."""
    today = timezone.localdate()
    versions = versions_in_force(authority_id=authority_id, on=versions_on or today)
    facts = facts_from_post(
        post,
        unit=unit,
        delegation_id=delegation_id,
        as_of=today,
        history_years=history_years(versions),
        history_ranks=history_ranks(versions),
        calendar=WorkingCalendar(),
    )
    return evaluate(facts, versions)


def current_findings(delegation) -> list[Finding]:
    """The findings recorded at the latest (re)submission, with versions and justifications."""
    # The round is the number of (re)submissions, counted in the same query.
    rounds = (
        DelegationEvent.objects.filter(
            delegation_id=delegation.pk, action__in=("submit", "resubmit")
        )
        .order_by()
        .values("delegation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = list(
        Finding.objects.filter(delegation=delegation, round=Subquery(rounds)).select_related(
            "rule_version"
        )
    )
    for row in rows:
        row.shown_message = render(row.message_key, row.params) if row.message_key else row.message
    order = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}
    rows.sort(key=lambda r: (order.get(r.severity, 9), r.id))
    return rows


def draft_findings(delegation):
    """A draft's saved content judged now, as it would be on (re)submission today: by today's
    rule versions, or those of its first submission when it was sent back."""
    return delegation_evaluate(
        delegation=delegation,
        on=timezone.localdate(),
        versions_on=judged_by_versions_of(delegation),
    ).findings


def previous_justifications(delegation) -> dict[str, str]:
    """A returned case: the justifications given last time, to start from."""
    return {f.key: f.justification for f in current_findings(delegation) if f.justification}
