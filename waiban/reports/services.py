"""Every write after the trip: one keyword-only service each, atomic, with its audit event (and
for the report's moves its history row, through waiban.core.transitions.record_move).

Views, the demo and commands call these; none holds transition logic of its own.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import OFFICE_ROLES, Role
from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.transitions import check_version, lock_for_move, record_move
from waiban.reports.models import (
    ActualStop,
    BorderDates,
    ReportAttachment,
    ReportCountry,
    ReportEvent,
    TripReport,
)
from waiban.reports.rules import report_due_date
from waiban.reports.search import search_text_of
from waiban.reports.states import EDITABLE_REPORT_STATES, REPORT_TRANSITIONS, ReportState
from waiban.visits.models import Delegation
from waiban.visits.moves import can_see
from waiban.visits.states import State

STOP_FIELDS = ("country", "city", "arrival_date", "departure_date", "is_transit", "is_airside")
TEXT_FIELDS = ("title", "purpose", "counterparts", "results", "follow_up", "cost_note")
# Below this many characters a section says nothing (the office would send it back anyway).
MIN_SECTION = 10

STALE_REPORT = gettext_lazy(
    "Someone else acted on this report while you were working (it is now: %(state)s). "
    "Your text is kept below; review the report and try again."
)
REPORT_NOT_NOW = gettext_lazy("This report is %(state)s: “%(action)s” is not possible now.")


def can_see_report(actor, report) -> bool:
    """The unit sees its own reports; the office those of the cases it sees, once submitted (a
    draft is the unit's own business, like a draft application)."""
    if actor.role in OFFICE_ROLES and report.state == ReportState.DRAFT:
        return False
    return can_see(actor, report.delegation)


def _lock_case(delegation, actor) -> Delegation:
    locked = Delegation.objects.select_for_update().filter(pk=delegation.pk).first()
    if locked is None or not can_see(actor, locked):
        raise PermissionDenied("not_found", _("No such case."))
    return locked


def _clerk_of(actor, case) -> None:
    if actor.role != Role.UNIT_CLERK or actor.unit_id != case.unit_id:
        raise PermissionDenied("wrong_role", _("Only the unit's clerk does this."))


def _check_back_home(case) -> None:
    if case.state != State.BACK_HOME:
        raise StateConflict(
            "not_back_home",
            _(
                "This case is %(state)s: the actual itinerary and the report come once the delegation is back home."
            )
            % {"state": case.get_state_display()},
        )


def _check_report_open(case) -> None:
    report = TripReport.objects.filter(delegation_id=case.pk).only("state").first()
    if report is not None and report.state not in EDITABLE_REPORT_STATES:
        raise StateConflict(
            "report_with_office",
            _("The trip report is %(state)s: the actual itinerary cannot change now.")
            % {"state": report.get_state_display()},
        )


# --- the itinerary as travelled --------------------------------------------------------------


def _stop_values(stop) -> dict:
    values = {name: stop.get(name) for name in STOP_FIELDS}
    values["country"] = str(values["country"] or "")
    values["city"] = (values["city"] or "").strip()
    values["is_transit"] = bool(values["is_transit"])
    values["is_airside"] = bool(values["is_airside"] and values["is_transit"])
    return values


def _stops_problem(stops: list[dict], today: dt.date) -> ServiceError | None:
    if not stops:
        return ServiceError("no_stops", _("Enter at least one stop as travelled."))
    for number, stop in enumerate(stops, start=1):
        if not stop["country"] or not stop["city"]:
            return ServiceError(
                "stop_incomplete",
                _("Stop %(n)d: enter its country and city.") % {"n": number},
            )
        arrival, departure = stop["arrival_date"], stop["departure_date"]
        if not isinstance(arrival, dt.date) or not isinstance(departure, dt.date):
            return ServiceError("stop_dates", _("Stop %(n)d: enter both dates.") % {"n": number})
        if departure < arrival:
            return ServiceError(
                "stop_dates",
                _("Stop %(n)d: it cannot end before it starts.") % {"n": number},
            )
        if departure > today:
            return ServiceError(
                "stop_in_future",
                _("Stop %(n)d ends after today: enter the dates as travelled.") % {"n": number},
            )
    return None


def actual_itinerary_save(*, delegation, actor, stops: list[dict], today=None) -> list[ActualStop]:
    """The unit's clerk enters the stops as travelled (replacing any entered before), while the
    case is back home and its report not yet with the office."""
    today = today or timezone.localdate()
    values = [_stop_values(s) for s in stops]
    with transaction.atomic():
        case = _lock_case(delegation, actor)
        _clerk_of(actor, case)
        _check_back_home(case)
        _check_report_open(case)
        problem = _stops_problem(values, today)
        if problem:
            raise problem
        old = [_stop_audit(s) for s in case.actual_stops.all()]
        case.actual_stops.all().delete()
        rows = ActualStop.objects.bulk_create(
            ActualStop(delegation=case, position=i, **v) for i, v in enumerate(values)
        )
        audit_record(
            actor=actor,
            action="delegation.actual_itinerary",
            obj=case,
            old={"stops": old},
            new={"stops": [_stop_audit(r) for r in rows]},
        )
        return rows


def _stop_audit(stop) -> dict:
    return {
        "country": str(stop.country),
        "city": stop.city,
        "arrival": stop.arrival_date.isoformat(),
        "departure": stop.departure_date.isoformat(),
        "transit": stop.is_transit,
        "airside": stop.is_airside,
    }


def border_dates_record(*, delegation, actor, exit_date, entry_date) -> BorderDates:
    """The passport officer records the exit and entry stamps read at check-in."""
    if actor.role != Role.PASSPORT_OFFICER:
        raise PermissionDenied("wrong_role", _("Only the passport officer records border stamps."))
    if not isinstance(exit_date, dt.date) or not isinstance(entry_date, dt.date):
        raise ServiceError("stamp_dates", _("Enter both stamp dates."), field="entry_date")
    if entry_date < exit_date:
        raise ServiceError(
            "stamp_dates",
            _("The entry stamp cannot come before the exit stamp."),
            field="entry_date",
        )
    with transaction.atomic():
        case = _lock_case(delegation, actor)
        if case.state not in (State.BACK_HOME, State.CLOSED):
            _check_back_home(case)
        row = BorderDates.objects.filter(delegation=case).first()
        old = {"exit": row.exit_date, "entry": row.entry_date} if row else {}
        row, _created = BorderDates.objects.update_or_create(
            delegation=case,
            defaults={"exit_date": exit_date, "entry_date": entry_date, "recorded_by": actor},
        )
        audit_record(
            actor=actor,
            action="delegation.border_dates",
            obj=case,
            old=old,
            new={"exit": exit_date, "entry": entry_date},
        )
        return row


# --- the report: writing ---------------------------------------------------------------------


def _clean_activities(activities) -> list[dict]:
    out = []
    for item in activities or []:
        if not isinstance(item, dict):
            continue
        out.append(
            {
                "country": str(item.get("country") or "")[:2],
                "city": str(item.get("city") or "")[:100],
                "text": str(item.get("text") or "").strip(),
            }
        )
    return out


def _refresh_index(report, case) -> None:
    """The countries as travelled (else as approved) and the search text."""
    stops = list(case.actual_stops.all()) or list(case.stops.all())
    codes = list(
        dict.fromkeys(str(s.country) for s in stops if not (s.is_transit and s.is_airside))
    )
    report.search_text = search_text_of(report, country_codes=codes, unit_name=case.unit.name)
    report.save()
    report.countries.exclude(country__in=codes).delete()
    have = set(report.countries.values_list("country", flat=True))
    ReportCountry.objects.bulk_create(
        ReportCountry(report=report, country=c) for c in codes if c not in have
    )


def report_save(*, delegation, actor, data: dict, expected_version=None) -> TripReport:
    """The unit's clerk writes the report (the first save starts it) while it is in the unit's
    hands. ``data``: the template's sections, ``activities`` a list of {country, city, text}."""
    with transaction.atomic():
        case = _lock_case(delegation, actor)
        _clerk_of(actor, case)
        report = TripReport.objects.select_for_update().filter(delegation=case).first()
        if report is None:
            _check_back_home(case)
            report = TripReport(
                delegation=case,
                unit_id=case.unit_id,
                authority_id=case.authority_id,
                task_type=case.task_type,
                year=(case.return_date or timezone.localdate()).year,
                due_date=report_due_date(case) or timezone.localdate(),
                created_by=actor,
            )
            old = {}
        else:
            check_version(
                report, None if expected_version == "" else expected_version, message=STALE_REPORT
            )
            if report.state not in EDITABLE_REPORT_STATES:
                raise StateConflict(
                    "not_editable",
                    _("This report is %(state)s: it cannot be changed now.")
                    % {"state": report.get_state_display()},
                )
            old = _report_audit(report)
            report.version += 1
        for name in TEXT_FIELDS:
            setattr(report, name, (data.get(name) or "").strip())
        report.activities = _clean_activities(data.get("activities"))
        report.actual_cost = data.get("actual_cost")
        report.internal_requested = bool(data.get("internal_requested"))
        report.internal_reason = (data.get("internal_reason") or "").strip()[:300]
        if not report.title:
            raise ServiceError("title_required", _("Give the report a title."), field="title")
        creating = report.pk is None
        report.save()
        if creating:
            ReportEvent.objects.create(
                report=report, actor=actor, action="create", to_state=ReportState.DRAFT
            )
        _refresh_index(report, case)
        audit_record(
            actor=actor,
            action="report.create" if creating else "report.save",
            obj=report,
            old=old,
            new=_report_audit(report),
        )
        return report


def _report_audit(report) -> dict:
    values = {name: getattr(report, name) for name in TEXT_FIELDS}
    values.update(
        activities=report.activities,
        actual_cost=str(report.actual_cost) if report.actual_cost is not None else None,
        internal_requested=report.internal_requested,
    )
    return values


def report_attach(*, report, actor, uploaded) -> ReportAttachment:
    """A file for the report (photos, minutes, agreements signed): PDF, JPG or PNG, by content."""
    from waiban.visits.uploads import inspect_upload

    with transaction.atomic():
        locked = _lock_report(report, actor)
        _clerk_of(actor, locked.delegation)
        if locked.state not in EDITABLE_REPORT_STATES:
            raise StateConflict(
                "not_editable",
                _("This report is %(state)s: it cannot be changed now.")
                % {"state": locked.get_state_display()},
            )
        info = inspect_upload(uploaded)
        name = (getattr(uploaded, "name", "") or "file")[-200:]
        row = ReportAttachment(
            report=locked,
            original_name=name,
            content_type=info["content_type"],
            size=info["size"],
            sha256=info["sha256"],
            uploaded_by=actor,
        )
        row.file.save(f"report{info['ext']}", ContentFile(uploaded.read()), save=False)
        row.save()
        audit_record(
            actor=actor,
            action="report.attach",
            obj=locked,
            new={"file": row.pk, "sha256": row.sha256, "size": row.size},
        )
        return row


# --- the report: its moves -------------------------------------------------------------------


def _lock_report(report, actor) -> TripReport:
    locked = (
        TripReport.objects.select_for_update(of=("self",))
        .select_related("delegation")
        .filter(pk=report.pk)
        .first()
    )
    if locked is None or not can_see_report(actor, locked):
        raise PermissionDenied("not_found", _("No such report."))
    return locked


def _lock_for(report, actor, action, expected_version) -> TripReport:
    return lock_for_move(
        TripReport.objects.select_related("delegation"),
        report.pk,
        actor=actor,
        transition=REPORT_TRANSITIONS[action],
        expected_version=None if expected_version == "" else expected_version,
        can_see=can_see_report,
        stale_message=STALE_REPORT,
        not_now_message=REPORT_NOT_NOW,
        not_found_message=_("No such report."),
    )


def _move(locked, *, actor, action, comment="", old=None, new=None) -> TripReport:
    return record_move(
        locked,
        actor=actor,
        action=action,
        target=REPORT_TRANSITIONS[action].target,
        history=ReportEvent,
        audit_prefix="report",
        old=old,
        new=new,
        report=locked,
        comment=comment,
    )


def submission_problems(report) -> list[ServiceError]:
    """What the template still needs before the office reads the report, in plain words."""
    problems = []
    if not report.delegation.actual_stops.exists():
        problems.append(ServiceError("no_actual_itinerary", _("Enter the actual itinerary first.")))
    labels = {
        "purpose": _("Purpose of the trip"),
        "counterparts": _("Counterparts met"),
        "results": _("Results"),
    }
    for name, label in labels.items():
        if len(getattr(report, name).strip()) < MIN_SECTION:
            problems.append(
                ServiceError(
                    "section_too_short",
                    _("%(section)s: write at least %(n)d characters.")
                    % {"section": label, "n": MIN_SECTION},
                    field=name,
                )
            )
    if not any(a.get("text") for a in report.activities or []):
        problems.append(
            ServiceError(
                "no_activities",
                _("Describe the activities of at least one stop."),
                field="activities",
            )
        )
    return problems


def report_submit(*, report, actor, expected_version=None) -> TripReport:
    with transaction.atomic():
        locked = _lock_for(report, actor, "submit", expected_version)
        _clerk_of(actor, locked.delegation)
        problems = submission_problems(locked)
        if problems:
            raise ServiceError("report_incomplete", " ".join(p.message for p in problems))
        locked.submitted_at = timezone.now()
        return _move(locked, actor=actor, action="submit")


def report_send_back(*, report, actor, reason, expected_version=None) -> TripReport:
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock_for(report, actor, "send_back", expected_version)
        if not reason:
            raise ServiceError("reason_required", _("Say what the unit must fix."), field="reason")
        locked.send_back_reason = reason
        return _move(
            locked, actor=actor, action="send_back", comment=reason, new={"reason": reason}
        )


def report_accept(*, report, actor, publish: bool, expected_version=None) -> TripReport:
    """The office accepts the report and decides whether it goes into the shared library (the
    unit's request to keep it internal is a request, not the decision)."""
    with transaction.atomic():
        locked = _lock_for(report, actor, "accept", expected_version)
        locked.accepted_at = timezone.now()
        locked.published = bool(publish)
        return _move(
            locked,
            actor=actor,
            action="accept",
            comment=_("Published in the library") if publish else _("Kept internal"),
            new={"published": locked.published},
        )
