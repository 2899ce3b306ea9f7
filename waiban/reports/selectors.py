"""Reads after the trip: a case's report, what its closing still needs, and the library."""

from django.db.models import Count
from django.utils.translation import gettext as _

from waiban.accounts.roles import OFFICE_ROLES, UNIT_ROLES
from waiban.accounts.scoping import visible_authority_ids
from waiban.reports.models import ReportCountry, TripReport
from waiban.reports.rules import report_due_date
from waiban.reports.search import matching
from waiban.reports.states import ReportState

PAGE_SIZE = 20
MAX_ID = 2**31 - 1


def case_report(delegation) -> TripReport | None:
    return TripReport.objects.filter(delegation_id=delegation.pk).first()


def report_closing_problems(delegation) -> list[str]:
    """The report's part of what a case still needs before it closes."""
    report = case_report(delegation)
    if report is None:
        due = report_due_date(delegation)
        return [
            _("The trip report is not written yet (due %(date)s).")
            % {"date": due.isoformat() if due else "—"}
        ]
    if report.state != ReportState.ACCEPTED:
        return [
            _("The trip report is %(state)s, not yet accepted by the office (due %(date)s).")
            % {"state": report.get_state_display(), "date": report.due_date.isoformat()}
        ]
    return []


def aftertrip_closing_problems(delegation) -> list[str]:
    """What the case still needs after the trip besides its passports: the report accepted and
    both public notices recorded."""
    from waiban.reports.disclosure import disclosure_closing_problems

    return report_closing_problems(delegation) + disclosure_closing_problems(delegation)


def report_get(*, user, pk) -> TripReport | None:
    """A report ``user`` may read: one of a case they see, or a published one in the library."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= MAX_ID:
        return None
    from waiban.reports.services import can_see_report

    report = TripReport.objects.select_related("delegation", "unit").filter(pk=pk).first()
    if report is None:
        return None
    if can_see_report(user, report) or library_scope(user).filter(pk=report.pk).exists():
        return report
    return None


def library_scope(user):
    """The accepted reports ``user`` may find: the shared ones, and those kept internal for the
    unit itself and for the office that sees the case."""
    accepted = TripReport.objects.filter(state=ReportState.ACCEPTED)
    if user.role in UNIT_ROLES and user.unit_id:
        from django.db.models import Q

        return accepted.filter(Q(published=True) | Q(unit_id=user.unit_id))
    if user.role in OFFICE_ROLES:
        from django.db.models import Q

        return accepted.filter(Q(published=True) | Q(authority_id__in=visible_authority_ids(user)))
    return TripReport.objects.none()


def library_search(*, user, query="", country="", year=None, unit=None, task_type="", page=1):
    """The library's page of results and its facets (each counted within the other filters and
    the query), newest first."""
    base = matching(library_scope(user), query)
    filters = {
        "country": ("countries__country", country),
        "year": ("year", year),
        "unit": ("unit_id", unit),
        "task_type": ("task_type", task_type),
    }

    def narrowed(skip=None):
        qs = base
        for name, (lookup, value) in filters.items():
            if name != skip and value not in (None, ""):
                qs = qs.filter(**{lookup: value})
        return qs

    results = narrowed()
    if country:  # the only filter through a join: a report has one row per country
        results = results.distinct()
    results = results.select_related("unit").order_by("-accepted_at", "-id")
    total = results.count()
    start = (max(page, 1) - 1) * PAGE_SIZE
    rows = list(results[start : start + PAGE_SIZE])
    facets = {
        "country": list(
            ReportCountry.objects.filter(report__in=narrowed("country").values("pk"))
            .values("country")
            .annotate(n=Count("report", distinct=True))
            .order_by("-n", "country")[:30]
        ),
        "year": list(
            narrowed("year").values("year").annotate(n=Count("pk", distinct=True)).order_by("-year")
        ),
        "unit": list(
            narrowed("unit")
            .values("unit_id", "unit__name")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", "unit__name")[:30]
        ),
        "task_type": list(
            narrowed("task_type")
            .values("task_type")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", "task_type")
        ),
    }
    return {"rows": rows, "total": total, "facets": facets, "page": max(page, 1)}
