"""The data cage (数据铁笼): anomaly rules over trips that came back, as versioned data like the
rules of DESIGN.md §4 (code, severity, source, parameters; a RuleVersion changes them), scanned
nightly, listed for the supervisor with their evidence, never shown to the unit.

Each detector is ``detect(case, params, context) -> evidence dict or None``; ``context`` holds
what the scan read once for all cases (reports of the units, the members' trips).
"""

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.core.audit import audit_record
from waiban.reports.deviations import case_comparison
from waiban.reports.models import Anomaly, AnomalyEvent, AnomalyStatus, TripReport
from waiban.rules.engine import REGISTRY, rule, versions_in_force
from waiban.visits.models import Delegation, DelegationMember
from waiban.visits.states import TRIP_STATES, State

log = logging.getLogger(__name__)

SOURCE = "贵州省外办 2019 数据铁笼"
DETECTORS = {}
MESSAGES = {
    "cage-days-over": gettext_lazy("%(actual)s days abroad against %(approved)s approved."),
    "cage-country": gettext_lazy("Visited countries not approved: %(countries)s."),
    "cage-passport-late": gettext_lazy(
        "%(count)s passport(s) back after the due date %(due)s (latest %(back)s)."
    ),
    "cage-report-overdue": gettext_lazy("Trip report due %(due)s, submitted %(submitted)s."),
    "cage-report-thin": gettext_lazy(
        "The report has %(chars)s characters of substance, fewer than %(min)s."
    ),
    "cage-report-similar": gettext_lazy(
        "The report is %(percent)s%% alike the report of %(other)s of the same unit."
    ),
    "cage-same-route": gettext_lazy(
        "%(person)s went to %(route)s %(times)s times in %(years)s years: %(trips)s."
    ),
    "cage-year-end": gettext_lazy(
        "%(count)s of the unit's %(total)s trips of %(year)s left in month %(month)s."
    ),
}


def cage_rule(code, *, title, params, severity="warn"):
    """Register an anomaly rule: versioned in the rules' table, judged by the nightly scan (at
    submission it finds nothing)."""

    def register(detect):
        rule(code, title=title, severity=severity, source=SOURCE, params=params)(
            lambda facts, p: ()
        )
        DETECTORS[code] = detect
        return detect

    return register


@cage_rule(
    "cage-days-over",
    title=gettext_lazy("Data cage: days over approved"),
    params={"tolerance_days": 0},
)
def days_over(case, params, context):
    comparison = context["comparison"](case)
    if (
        case.pk in context["actual"]
        and comparison.actual_days > comparison.approved_days + params["tolerance_days"]
    ):
        return {"actual": comparison.actual_days, "approved": comparison.approved_days}
    return None


@cage_rule(
    "cage-country",
    title=gettext_lazy("Data cage: a country not approved"),
    params={"severity_note": ""},
)
def country_not_approved(case, params, context):
    for deviation in context["comparison"](case).deviations:
        if deviation.code == "extra-country":
            return {"countries": ", ".join(deviation.data["countries"])}
    return None


@cage_rule(
    "cage-passport-late",
    title=gettext_lazy("Data cage: passport back late"),
    params={"grace_days": 0},
)
def passport_late(case, params, context):
    today = context["today"]
    late = []
    for loan in context["loans"].get(case.pk, ()):
        limit = loan.due_date + dt.timedelta(days=params["grace_days"])
        back = timezone.localtime(loan.returned_at).date() if loan.returned_at else None
        if (back and back > limit) or (back is None and today > limit):
            late.append((loan.due_date, back))
    if not late:
        return None
    latest = max((b for _d, b in late if b), default=None)
    return {
        "count": len(late),
        "due": min(d for d, _b in late).isoformat(),
        "back": latest.isoformat() if latest else "—",
    }


@cage_rule(
    "cage-report-overdue", title=gettext_lazy("Data cage: report overdue"), params={"grace_days": 0}
)
def report_overdue(case, params, context):
    report = context["reports"].get(case.pk)
    due = report.due_date if report else context["due"](case)
    if due is None:
        return None
    limit = due + dt.timedelta(days=params["grace_days"])
    submitted = (
        timezone.localtime(report.submitted_at).date() if report and report.submitted_at else None
    )
    if (submitted and submitted > limit) or (submitted is None and context["today"] > limit):
        return {"due": due.isoformat(), "submitted": submitted.isoformat() if submitted else "—"}
    return None


def substance(report) -> str:
    """The report's own words, without spaces: what the thin and similar rules measure."""
    activities = " ".join(str(a.get("text", "")) for a in report.activities or [])
    text = " ".join(
        [report.purpose, activities, report.counterparts, report.results, report.follow_up]
    )
    return "".join(text.split())


@cage_rule(
    "cage-report-thin", title=gettext_lazy("Data cage: report too thin"), params={"min_chars": 300}
)
def report_thin(case, params, context):
    report = context["reports"].get(case.pk)
    if report is None or not report.submitted_at:
        return None
    chars = len(substance(report))
    return {"chars": chars, "min": params["min_chars"]} if chars < params["min_chars"] else None


def trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(max(len(text) - 2, 0))}


def similarity(a: str, b: str) -> float:
    """Trigram similarity as pg_trgm computes it: shared over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


@cage_rule(
    "cage-report-similar",
    title=gettext_lazy("Data cage: report like an earlier one"),
    params={"threshold": 0.8, "years": 3},
)
def report_similar(case, params, context):
    report = context["reports"].get(case.pk)
    if report is None or not report.submitted_at:
        return None
    mine = substance(report)
    since = report.submitted_at - dt.timedelta(days=365 * params["years"])
    for other in context["unit_reports"].get(report.unit_id, ()):
        if other.pk == report.pk or not other.submitted_at:
            continue
        if not since <= other.submitted_at < report.submitted_at:
            continue
        alike = similarity(mine, substance(other))
        if alike >= params["threshold"]:
            return {"percent": round(alike * 100), "other": other.delegation.case_number}
    return None


@cage_rule(
    "cage-same-route",
    title=gettext_lazy("Data cage: same people, same route"),
    params={"times": 3, "years": 3},
)
def same_route(case, params, context):
    since = case.departure_date - dt.timedelta(days=365 * params["years"])
    route = context["routes"].get(case.pk)
    for person_id, name in context["members"].get(case.pk, ()):
        trips = [
            t
            for t in context["person_trips"].get(person_id, ())
            if context["routes"].get(t.pk) == route
            and since <= t.departure_date <= case.departure_date
        ]
        if len(trips) >= params["times"]:
            return {
                "person": name,
                "route": ", ".join(sorted(route)),
                "times": len(trips),
                "years": params["years"],
                "trips": ", ".join(t.case_number for t in trips),
            }
    return None


@cage_rule(
    "cage-year-end",
    title=gettext_lazy("Data cage: trips bunched at the year's end"),
    params={"month": 12, "share": 0.3, "min_trips": 4},
)
def year_end(case, params, context):
    if case.departure_date.month != params["month"]:
        return None
    year_trips = context["unit_year"].get((case.unit_id, case.departure_date.year), [])
    bunched = [t for t in year_trips if t.departure_date.month == params["month"]]
    if len(bunched) >= params["min_trips"] and len(bunched) >= params["share"] * len(year_trips):
        return {
            "count": len(bunched),
            "total": len(year_trips),
            "year": case.departure_date.year,
            "month": params["month"],
        }
    return None


# --- the scan --------------------------------------------------------------------------------


def _context(cases, today):
    """Everything the detectors read, in a fixed number of queries whatever the year's size."""
    from waiban.passports.models import Loan
    from waiban.reports.rules import report_due_date

    ids = [c.pk for c in cases]
    unit_ids = {c.unit_id for c in cases}
    reports = TripReport.objects.filter(unit_id__in=unit_ids).select_related("delegation")
    unit_reports = defaultdict(list)
    by_case = {}
    for report in reports:
        unit_reports[report.unit_id].append(report)
        by_case[report.delegation_id] = report
    loans = defaultdict(list)
    for loan in Loan.objects.filter(delegation_id__in=ids):
        loans[loan.delegation_id].append(loan)
    members = defaultdict(list)
    for row in DelegationMember.objects.filter(delegation_id__in=ids).select_related("person"):
        members[row.delegation_id].append((row.person_id, row.person.name_zh))
    # The members' trips (authorised or done) within the longest window a version may ask.
    person_ids = {p for rows in members.values() for p, _n in rows}
    earliest = min((c.departure_date for c in cases), default=today) - dt.timedelta(days=365 * 10)
    person_trips = defaultdict(list)
    their_trips = DelegationMember.objects.filter(
        person_id__in=person_ids,
        delegation__state__in=TRIP_STATES,
        delegation__departure_date__gte=earliest,
    ).select_related("delegation")
    trip_ids = set(ids)
    for row in their_trips:
        person_trips[row.person_id].append(row.delegation)
        trip_ids.add(row.delegation_id)
    routes = defaultdict(set)
    from waiban.visits.models import ItineraryStop

    for stop in ItineraryStop.objects.filter(delegation_id__in=trip_ids).only(
        "delegation_id", "country", "is_airside"
    ):
        if not stop.is_airside:
            routes[stop.delegation_id].add(str(stop.country))
    unit_year = defaultdict(list)
    for trip in Delegation.objects.filter(
        unit_id__in=unit_ids, state__in=TRIP_STATES, departure_date__isnull=False
    ).only("pk", "unit_id", "departure_date"):
        unit_year[(trip.unit_id, trip.departure_date.year)].append(trip)
    actual = set(
        Delegation.objects.filter(pk__in=ids, actual_stops__isnull=False).values_list(
            "pk", flat=True
        )
    )
    comparisons = {}

    def comparison(case):
        if case.pk not in comparisons:
            comparisons[case.pk] = case_comparison(case)
        return comparisons[case.pk]

    return {
        "today": today,
        "reports": by_case,
        "unit_reports": unit_reports,
        "loans": loans,
        "members": members,
        "person_trips": person_trips,
        "routes": {k: frozenset(v) for k, v in routes.items()},
        "unit_year": unit_year,
        "actual": actual,
        "comparison": comparison,
        "due": report_due_date,
    }


def anomalies_scan(*, year=None, today=None) -> dict[str, int]:
    """Judge every trip back home or closed that returned in ``year`` (default: this year) by
    the anomaly rules in force on its return date; record new findings, refresh the evidence
    of open ones, leave those the supervisor explained or referred as they are. Idempotent."""
    today = today or timezone.localdate()
    year = year or today.year
    cases = list(
        Delegation.objects.filter(
            state__in=(State.BACK_HOME, State.CLOSED), return_date__year=year
        ).prefetch_related("stops", "actual_stops")
    )
    context = _context(cases, today)
    counts = {"found": 0, "refreshed": 0}
    existing = {
        (a.delegation_id, a.rule): a
        for a in Anomaly.objects.filter(delegation__in=[c.pk for c in cases])
    }
    for case in cases:
        versions = versions_in_force(authority_id=case.authority_id, on=case.return_date)
        for code, detect in DETECTORS.items():
            version = versions[code]
            try:
                evidence = detect(case, version.params, context)
            except (KeyError, TypeError, ValueError):  # a version with odd parameters
                log.warning("anomaly rule %s failed on case %s", code, case.pk)
                continue
            if evidence is None:
                continue
            outcome = _record(case, code, version, evidence, existing.get((case.pk, code)))
            if outcome:
                counts[outcome] += 1
    return counts


def _record(case, code, version, evidence, row):
    with transaction.atomic():
        if row is None:
            row = Anomaly.objects.create(
                delegation=case,
                authority_id=case.authority_id,
                rule=code,
                severity=version.severity,
                evidence=evidence,
                rule_params=version.params,
                rule_source=version.source,
            )
            AnomalyEvent.objects.create(anomaly=row, action="found", to_status=row.status)
            audit_record(
                actor=None, action="anomaly.found", obj=row, new={"rule": code, **evidence}
            )
            return "found"
        if row.status == AnomalyStatus.OPEN and row.evidence != evidence:
            Anomaly.objects.filter(pk=row.pk).update(evidence=evidence)
            return "refreshed"
    return None


def anomaly_message(anomaly) -> str:
    from waiban.rules.engine import country_names

    shown = dict(anomaly.evidence)
    if "countries" in shown:
        shown["countries"] = country_names(shown["countries"])
    if "route" in shown:
        shown["route"] = country_names(shown["route"])
    template = MESSAGES.get(anomaly.rule)
    try:
        return str(template) % shown if template else anomaly.rule
    except (KeyError, TypeError, ValueError):
        return str(template)


def anomaly_title(anomaly) -> str:
    spec = REGISTRY.get(anomaly.rule)
    return str(spec.title) if spec else anomaly.rule


# --- the supervisor's decisions --------------------------------------------------------------

DECISIONS = {
    "explain": AnomalyStatus.EXPLAINED,
    "refer": AnomalyStatus.REFERRED,
    "reopen": AnomalyStatus.OPEN,
}


def anomaly_decide(*, anomaly, actor, action, note, expected_version=None) -> Anomaly:
    """The supervisor marks a finding explained (with the explanation) or referred (to the
    discipline inspectors, with a note), or opens it again."""
    from waiban.accounts.roles import Role
    from waiban.accounts.scoping import visible_authority_ids
    from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
    from waiban.core.transitions import check_version

    note = (note or "").strip()
    if action not in DECISIONS:
        raise ServiceError("invalid_transition", _("No such decision."))
    with transaction.atomic():
        locked = Anomaly.objects.select_for_update().filter(pk=anomaly.pk).first()
        if (
            locked is None
            or actor.role != Role.SUPERVISOR
            or locked.authority_id not in visible_authority_ids(actor)
        ):
            raise PermissionDenied("not_found", _("No such finding."))
        check_version(
            locked,
            None if expected_version == "" else expected_version,
            message=_("Someone else decided this finding meanwhile (it is now: %(status)s)."),
        )
        target = DECISIONS[action]
        if (action == "reopen") == (locked.status == AnomalyStatus.OPEN):
            raise StateConflict(
                "invalid_transition",
                _("This finding is %(status)s: that is not possible now.")
                % {"status": locked.get_status_display()},
            )
        if not note:
            raise ServiceError("note_required", _("Write what you found or why."), field="note")
        before = {"status": locked.status, "version": locked.version}
        locked.status = target
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        AnomalyEvent.objects.create(
            anomaly=locked,
            actor=actor,
            action=action,
            from_status=before["status"],
            to_status=target,
            comment=note,
        )
        audit_record(
            actor=actor,
            action=f"anomaly.{action}",
            obj=locked,
            old=before,
            new={"status": target, "version": locked.version, "note": note},
        )
        return locked
