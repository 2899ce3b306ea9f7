"""Passport pages: custody view (and its Excel export), one passport, a trip's passport stage,
and the clerk's photo upload. Every change goes through the services."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from waiban.accounts.scoping import visible_authority_ids
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.views import client_error_fields, role_required
from waiban.passports import services
from waiban.passports.export import custody_workbook
from waiban.passports.forms import CheckInForm, CommentForm, LendForm, PhotoForm
from waiban.passports.loans import passport_lend, passport_return
from waiban.passports.models import Passport, ProductionRequest
from waiban.passports.production import (
    passport_needs,
    production_photo_upload,
    production_requests_create,
)
from waiban.passports.selectors import custody_rows
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
    return render(request, "passports/custody.html", {"rows": rows, "where": where})


def _passport(request, pk):
    passport = get_object_or_404(Passport.objects.select_related("person", "person__unit"), pk=pk)
    if passport.authority_id not in visible_authority_ids(request.user):
        raise Http404
    return passport


@role_required(OFFICER)
def detail(request, pk):
    passport = _passport(request, pk)
    check_in, lend, comment = CheckInForm(), LendForm(), CommentForm()
    if request.method == "POST":
        action = request.POST.get("action")
        form = {"check_in": CheckInForm, "lend": LendForm}.get(action, CommentForm)(request.POST)
        check_in, lend, comment = (
            form if action == "check_in" else check_in,
            form if action == "lend" else lend,
            form if action not in ("check_in", "lend") else comment,
        )
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
                client_error_fields(form, error)
                for difference in error.params.get("differences", []):
                    form.add_error(
                        None,
                        _("%(label)s: record “%(record)s”, MRZ “%(mrz)s”") % difference,
                    )
    context = {
        "passport": passport,
        "events": passport.events.select_related("actor", "delegation"),
        "loans": passport.loans.select_related("delegation").order_by("-lent_at"),
        "check_in_form": check_in,
        "lend_form": lend,
        "comment_form": comment,
    }
    return render(request, "passports/detail.html", context)


def _act(request, passport, action, data):
    actor = request.user
    if action == "check_in":
        return services.passport_check_in(
            passport=passport,
            actor=actor,
            mrz=data["mrz"],
            issue_date=data.get("issue_date"),
            issuing_authority=data.get("issuing_authority", ""),
        )
    if action == "lend":
        delegation = Delegation.objects.filter(
            case_number=data["case_number"].strip(),
            authority_id__in=visible_authority_ids(actor),
        ).first()
        if delegation is None:
            raise ServiceError(
                "no_such_trip", _("There is no trip with this case number."), field="case_number"
            )
        return passport_lend(
            passport=passport, actor=actor, delegation=delegation, taken_by=data["taken_by"]
        )
    if action in SIMPLE_ACTIONS:
        extra = {} if action in ("produce", "return") else {"comment": data.get("comment", "")}
        return SIMPLE_ACTIONS[action](passport=passport, actor=actor, **extra)
    raise ServiceError("unknown_action", _("Unknown action."))


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
    return render(
        request,
        "passports/delegation.html",
        {"delegation": delegation, "needs": passport_needs(delegation)},
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
    return render(request, "passports/photo.html", {"row": row, "form": form})
