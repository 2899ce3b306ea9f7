"""Pages after the trip: the actual itinerary, the report (write, submit, review) and the
shared library. Views only map forms to waiban.reports.services; a refusal keeps what was typed
and says why beside the field."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from waiban.accounts.roles import OFFICE_ROLES, Role
from waiban.core.errors import ServiceError, StateConflict
from waiban.core.views import client_error_fields, role_required
from waiban.reports import services
from waiban.reports.disclosure import disclosure_record, notice_fields
from waiban.reports.forms import (
    ActualStopFormSet,
    AttachmentForm,
    BorderDatesForm,
    DisclosureForm,
    LibraryForm,
    MoveForm,
    ReportForm,
)
from waiban.reports.models import Disclosure
from waiban.reports.selectors import case_report, library_search, report_get
from waiban.reports.states import EDITABLE_REPORT_STATES, LIBRARY_ROLES, REPORT_TRANSITIONS
from waiban.visits.models import TaskType
from waiban.visits.selectors import delegation_get
from waiban.visits.states import TRIP_STATES, State


def _status(error) -> int:
    return 409 if isinstance(error, StateConflict) else 400


def _case(request, pk):
    case = delegation_get(user=request.user, pk=pk)
    if case is None:
        raise Http404
    return case


def _stop_initial(rows) -> list[dict]:
    return [
        {
            "country": str(s.country),
            "city": s.city,
            "arrival_date": s.arrival_date,
            "departure_date": s.departure_date,
            "is_transit": s.is_transit,
            "is_airside": s.is_airside,
        }
        for s in rows
    ]


@role_required(Role.UNIT_CLERK)
def itinerary(request, pk):
    """The clerk enters the stops as travelled; the approved ones are the starting point."""
    case = _case(request, pk)
    if case.state != State.BACK_HOME:
        raise Http404
    status = 200
    if request.method == "POST":
        formset = ActualStopFormSet(request.POST, prefix="stops")
        if formset.is_valid():
            try:
                services.actual_itinerary_save(
                    delegation=case, actor=request.user, stops=formset.stops()
                )
            except ServiceError as error:
                formset._non_form_errors = formset.error_class([error.message])
                status = _status(error)
            else:
                messages.success(request, _("The actual itinerary is saved."))
                return redirect("visits:detail", pk=case.pk)
        else:
            status = 400
    else:
        rows = list(case.actual_stops.all()) or list(case.stops.all())
        formset = ActualStopFormSet(prefix="stops", initial=_stop_initial(rows))
    return render(
        request,
        "reports/itinerary.html",
        {"delegation": case, "stops": formset, "approved": case.stops.all()},
        status=status,
    )


@role_required(Role.PASSPORT_OFFICER)
@require_POST
def border_dates(request, pk):
    case = _case(request, pk)
    form = BorderDatesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter both stamp dates."))
        return redirect("visits:detail", pk=case.pk)
    try:
        services.border_dates_record(delegation=case, actor=request.user, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The border stamps are recorded."))
    return redirect("visits:detail", pk=case.pk)


def _report_stops(case) -> list[tuple[str, str]]:
    rows = list(case.actual_stops.all()) or list(case.stops.all())
    return [(str(s.country), s.city) for s in rows if not (s.is_transit and s.is_airside)]


def _report_initial(case, report) -> dict:
    if report is None:
        return {"title": _("Report of %(title)s") % {"title": case.title}, "purpose": case.purpose}
    initial = {
        name: getattr(report, name)
        for name in (*services.TEXT_FIELDS, "actual_cost", "internal_requested", "internal_reason")
    }
    initial["version"] = report.version
    texts = {(a.get("country"), a.get("city")): a.get("text", "") for a in report.activities}
    for number, place in enumerate(_report_stops(case)):
        initial[f"activity_{number}"] = texts.get(place, "")
    return initial


@role_required(Role.UNIT_CLERK)
def report_edit(request, pk):
    """The clerk writes the case's report by the template (the first save starts it)."""
    case = _case(request, pk)
    report = case_report(case)
    if report is None and case.state != State.BACK_HOME:
        raise Http404
    if report is not None and report.state not in EDITABLE_REPORT_STATES:
        return redirect("reports:detail", pk=report.pk)
    stops = _report_stops(case)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, stops=stops)
        if form.is_valid():
            try:
                saved = services.report_save(
                    delegation=case,
                    actor=request.user,
                    data=form.service_data(),
                    expected_version=form.cleaned_data.get("version", ""),
                )
            except ServiceError as error:
                client_error_fields(form, error)
                status = _status(error)
            else:
                messages.success(request, _("The report is saved."))
                return redirect("reports:detail", pk=saved.pk)
        else:
            status = 400
    else:
        form = ReportForm(initial=_report_initial(case, report), stops=stops)
    return render(
        request,
        "reports/edit.html",
        {"delegation": case, "report": report, "form": form},
        status=status,
    )


def _detail_context(request, report, **forms):
    user = request.user
    transitions = [
        t
        for t in REPORT_TRANSITIONS.values()
        if t.allows(user.role)
        and report.state in t.sources
        and services.can_see_report(user, report)
    ]
    return {
        "report": report,
        "delegation": report.delegation,
        "events": report.events.select_related("actor"),
        "attachments": report.attachments.all(),
        "transitions": transitions,
        "problems": services.submission_problems(report)
        if any(t.action == "submit" for t in transitions)
        else [],
        "can_edit": user.role == Role.UNIT_CLERK
        and user.unit_id == report.unit_id
        and report.state in EDITABLE_REPORT_STATES,
        "move_form": forms.get("move_form")
        or MoveForm(initial={"version": report.version, "publish": not report.internal_requested}),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "failed_action": forms.get("failed_action", ""),
    }


@role_required(*LIBRARY_ROLES)
def report_detail(request, pk):
    report = report_get(user=request.user, pk=pk)
    if report is None:
        raise Http404
    return render(request, "reports/detail.html", _detail_context(request, report))


@role_required(Role.UNIT_CLERK, Role.REVIEWER)
@require_POST
def report_action(request, pk, action):
    report = report_get(user=request.user, pk=pk)
    transition = REPORT_TRANSITIONS.get(action)
    if report is None or transition is None:
        raise Http404
    form = MoveForm(request.POST)
    form.is_valid()  # every field is optional; a bad version is refused by the service
    data = getattr(form, "cleaned_data", {})
    kwargs = {"report": report, "actor": request.user, "expected_version": data.get("version", "")}
    try:
        if action == "submit":
            services.report_submit(**kwargs)
        elif action == "send_back":
            services.report_send_back(reason=data.get("reason", ""), **kwargs)
        else:
            services.report_accept(publish=bool(data.get("publish")), **kwargs)
    except ServiceError as error:
        client_error_fields(form, error)
        report.refresh_from_db()
        context = _detail_context(request, report, move_form=form, failed_action=action)
        return render(request, "reports/detail.html", context, status=_status(error))
    messages.success(request, transition.done)
    return redirect("reports:detail", pk=report.pk)


@role_required(Role.UNIT_CLERK)
@require_POST
def attachment_upload(request, pk):
    report = report_get(user=request.user, pk=pk)
    if report is None:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            services.report_attach(report=report, actor=request.user, uploaded=form.files["file"])
        except ServiceError as error:
            client_error_fields(form, error)
            status = _status(error)
        else:
            messages.success(request, _("The file is attached."))
            return redirect("reports:detail", pk=report.pk)
    context = _detail_context(request, report, attachment_form=form)
    return render(request, "reports/detail.html", context, status=status)


@role_required(*LIBRARY_ROLES)
def attachment_download(request, pk, file_pk):
    report = report_get(user=request.user, pk=pk)
    if report is None:
        raise Http404
    row = get_object_or_404(report.attachments, pk=file_pk)
    return FileResponse(
        row.file.open("rb"),
        as_attachment=False,
        filename=row.original_name,
        content_type=row.content_type,
    )


@role_required(*LIBRARY_ROLES)
def library(request):
    form = LibraryForm(request.GET)
    filters = form.filters()
    found = library_search(user=request.user, **filters)
    labels = dict(TaskType.choices)
    for facet in found["facets"]["country"]:
        facet["name"] = countries.name(facet["country"]) or facet["country"]
    for facet in found["facets"]["task_type"]:
        facet["label"] = labels.get(facet["task_type"], facet["task_type"])
    return render(
        request,
        "reports/library.html",
        {
            "form": form,
            "filters": filters,
            "found": found,
            "has_next": found["page"] * 20 < found["total"],
        },
    )


@role_required(Role.UNIT_CLERK, Role.UNIT_HEAD, *OFFICE_ROLES)
def disclosure(request, pk, kind):
    """The public notice with its fixed fields, to print or copy; the clerk records its
    posting here."""
    case = _case(request, pk)
    if kind not in Disclosure.Kind.values or case.state not in TRIP_STATES:
        raise Http404
    status = 200
    record = case.disclosures.filter(kind=kind).first()
    can_record = request.user.role == Role.UNIT_CLERK
    if request.method == "POST":
        if not can_record:
            raise Http404
        form = DisclosureForm(request.POST)
        if form.is_valid():
            try:
                disclosure_record(
                    delegation=case, actor=request.user, kind=kind, **form.cleaned_data
                )
            except ServiceError as error:
                client_error_fields(form, error)
                status = _status(error)
            else:
                messages.success(request, _("The posting of the notice is recorded."))
                return redirect("visits:detail", pk=case.pk)
        else:
            status = 400
    else:
        initial = {"posted_on": record.posted_on, "place": record.place} if record else {}
        form = DisclosureForm(initial=initial)
    return render(
        request,
        "reports/disclosure.html",
        {
            "delegation": case,
            "kind": kind,
            "kind_label": Disclosure.Kind(kind).label,
            "notice": notice_fields(case, kind),
            "form": form if can_record else None,
            "record": record,
        },
        status=status,
    )
