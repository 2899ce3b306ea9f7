"""Passport pages: custody view (and its Excel export), one passport, a trip's passport stage,
and the clerk's photo upload. Every change goes through the services."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.scoping import visible_authority_ids
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.views import client_error_fields, role_required
from waiban.documents.selectors import passport_forms_current
from waiban.passports import services
from waiban.passports.export import custody_workbook
from waiban.passports.forms import (
    CheckInForm,
    CommentForm,
    LendForm,
    PhotoForm,
    RegisterForm,
    ReturnScanForm,
)
from waiban.passports.loans import passport_lend, passport_return, passport_return_by_mrz
from waiban.passports.models import Passport, ProductionRequest
from waiban.passports.production import (
    passport_needs,
    production_photo_upload,
    production_requests_create,
)
from waiban.passports.selectors import custody_rows, passport_find_by_mrz
from waiban.passports.states import Status
from waiban.visits.models import Delegation

OFFICER = "passport_officer"
SIMPLE_ACTIONS = {
    "produce": services.passport_produce,
    "return": passport_return,
    "report_lost": services.passport_report_lost,
    "cancel": services.passport_cancel,
}


@role_required(OFFICER, "supervisor")
def custody(request):
    where = request.GET.get("where", "")
    rows = custody_rows(actor=request.user, where=where)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            custody_workbook(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="passports-custody.xlsx"'
        return response
    context = {"rows": rows, "where": where, "return_scan_form": ReturnScanForm()}
    return render(request, "passports/custody.html", context)


def _passport(request, pk):
    passport = get_object_or_404(Passport.objects.select_related("person", "person__unit"), pk=pk)
    if passport.authority_id not in visible_authority_ids(request.user):
        raise Http404
    return passport


def _form_errors(form, error):
    """A ServiceError beside its field, and each MRZ disagreement listed on top."""
    client_error_fields(form, error)
    for difference in error.params.get("differences", []):
        form.add_error(None, _("%(label)s: record “%(record)s”, MRZ “%(mrz)s”") % difference)


@role_required(OFFICER)
def detail(request, pk):
    passport = _passport(request, pk)
    lend_kwargs = {"passport": passport, "actor": request.user}
    forms = {
        "check_in": CheckInForm(),
        "lend": LendForm(**lend_kwargs),
        "return_scan": ReturnScanForm(),
        "comment": CommentForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        key = action if action in ("check_in", "lend", "return_scan") else "comment"
        form = {
            "check_in": CheckInForm,
            "lend": lambda data: LendForm(data, **lend_kwargs),
            "return_scan": ReturnScanForm,
            "comment": CommentForm,
        }[key](request.POST)
        forms[key] = form
        if form.is_valid():
            try:
                _act(request, passport, action, form.cleaned_data)
                messages.success(request, _("Done."))
                return redirect("passports:detail", pk=passport.pk)
            except PermissionDenied as error:
                if error.code == "not_found":
                    raise Http404 from error
                client_error_fields(form, error)
            except ServiceError as error:
                _form_errors(form, error)
    context = {
        "passport": passport,
        "events": passport.events.select_related("actor", "delegation"),
        "loans": passport.loans.select_related("delegation").order_by("-lent_at"),
        "check_in_form": forms["check_in"],
        "lend_form": forms["lend"],
        "return_scan_form": forms["return_scan"],
        "comment_form": forms["comment"],
    }
    return render(request, "passports/detail.html", context)


def _act(request, passport, action, data):
    actor = request.user
    seen = {"expected_version": request.POST.get("version") or None}
    if action == "check_in":
        return services.passport_check_in(
            passport=passport,
            actor=actor,
            mrz=data["mrz"],
            issue_date=data.get("issue_date"),
            issuing_authority=data.get("issuing_authority", ""),
            **seen,
        )
    if action == "lend":
        delegation = data.get("delegation")
        if delegation is None:
            delegation = Delegation.objects.filter(
                case_number=data["case_number"].strip(),
                authority_id__in=visible_authority_ids(actor),
            ).first()
        if delegation is None:
            raise ServiceError(
                "no_such_trip", _("There is no trip with this case number."), field="case_number"
            )
        return passport_lend(
            passport=passport,
            actor=actor,
            delegation=delegation,
            taken_by=data["taken_by"],
            **seen,
        )
    if action == "return_scan":
        return passport_return_by_mrz(passport=passport, actor=actor, mrz=data["mrz"], **seen)
    if action in SIMPLE_ACTIONS:
        extra = {} if action in ("produce", "return") else {"comment": data.get("comment", "")}
        return SIMPLE_ACTIONS[action](passport=passport, actor=actor, **extra, **seen)
    raise ServiceError("unknown_action", _("Unknown action."))


@role_required(OFFICER)
def return_scan(request):
    """The custody page's "return by scan" box: the MRZ finds the passport and returns it."""
    form = ReturnScanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passport = passport_find_by_mrz(actor=request.user, mrz=form.cleaned_data["mrz"])
            passport_return_by_mrz(
                passport=passport, actor=request.user, mrz=form.cleaned_data["mrz"]
            )
            messages.success(
                request,
                _("The passport of %(name)s is back in custody.")
                % {"name": passport.person.name_zh},
            )
            passport.refresh_from_db(fields=["status"])
            if passport.status == Status.EXPIRED:
                messages.warning(
                    request,
                    _("It expired on %(date)s while it was out and is now marked expired.")
                    % {"date": passport.expiry_date.isoformat()},
                )
            return redirect("passports:custody")
        except ServiceError as error:
            _form_errors(form, error)
    return render(request, "passports/return_scan.html", {"form": form})


@role_required(OFFICER)
def register(request):
    """Take an existing passport into the registry and into custody."""
    form = RegisterForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            passport = services.passport_register(
                actor=request.user,
                person=data["person"],
                kind=data["kind"],
                number=data["number"],
                expiry_date=data["expiry_date"],
                issue_date=data["issue_date"],
                issuing_authority=data["issuing_authority"],
            )
            messages.success(request, _("The passport was registered and is in custody."))
            if passport.expiry_date and passport.expiry_date < timezone.localdate():
                # Issue 14: kept in custody all the same (it is handed back or destroyed later).
                messages.warning(
                    request,
                    _(
                        "This passport expired on %(date)s: it cannot be lent for a trip; hand "
                        "it back to its holder or have it cancelled."
                    )
                    % {"date": passport.expiry_date.isoformat()},
                )
            return redirect("passports:detail", pk=passport.pk)
        except PermissionDenied as error:
            client_error_fields(form, error)
        except ServiceError as error:
            if error.code == "one_passport":
                # The rule is about the holder: show it beside the holder.
                form.add_error("person", error.message)
            else:
                client_error_fields(form, error)
    return render(request, "passports/register.html", {"form": form})


@role_required(OFFICER)
def delegation_stage(request, pk):
    delegation = get_object_or_404(Delegation, pk=pk)
    if delegation.authority_id not in visible_authority_ids(request.user):
        raise Http404
    if request.method == "POST":
        try:
            created = production_requests_create(delegation=delegation, actor=request.user)
            messages.success(
                request, _("%(count)d production request(s) created.") % {"count": len(created)}
            )
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("passports:delegation", pk=delegation.pk)
    requests = list(
        ProductionRequest.objects.filter(delegation=delegation).select_related("person")
    )
    forms = passport_forms_current(request_ids=[r.pk for r in requests])
    return render(
        request,
        "passports/delegation.html",
        {
            "delegation": delegation,
            "needs": passport_needs(delegation),
            "requests": [(r, forms.get(r.pk)) for r in requests],
        },
    )


@role_required("unit_clerk")
def request_photo(request, pk):
    row = get_object_or_404(
        ProductionRequest.objects.select_related("person", "delegation"),
        pk=pk,
        delegation__unit_id=request.user.unit_id,
    )
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            production_photo_upload(request=row, actor=request.user, uploaded=form.files["photo"])
            messages.success(request, _("The photo was accepted."))
            return redirect("passports:photo", pk=row.pk)
        except ServiceError as error:
            client_error_fields(form, error)
    form_document = passport_forms_current(request_ids=[row.pk]).get(row.pk)
    return render(
        request, "passports/photo.html", {"row": row, "form": form, "document": form_document}
    )
