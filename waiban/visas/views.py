"""The visa officer's pages: the workbench, a trip's visa stage, one embassy batch. Every
change goes through the services; every other role gets a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.views import client_error_fields, role_required
from waiban.visas import selectors, services
from waiban.visas.forms import CancelForm, ReceiveForm, ResultForm, SendForm
from waiban.visas.models import VisaApplication
from waiban.visas.needs import lead_times, need_status, trip_visas
from waiban.visas.notes import visa_note_current
from waiban.visas.states import BATCH_TRANSITIONS
from waiban.visits.selectors import delegation_get

OFFICER = "visa_officer"


@role_required(OFFICER)
def workbench(request):
    return render(request, "visas/workbench.html", selectors.workbench(user=request.user))


@role_required(OFFICER)
def case_stage(request, pk):
    delegation = delegation_get(user=request.user, pk=pk)
    if delegation is None:
        raise Http404
    if request.method == "POST":
        try:
            batch = services.visa_batch_create(
                delegation=delegation,
                embassy=_int(request.POST.get("embassy")),
                actor=request.user,
            )
            messages.success(request, _("The batch is prepared; its visa note is being issued."))
            return redirect("visas:batch", pk=batch.pk)
        except PermissionDenied as error:
            if error.code == "not_found":
                raise Http404 from error
            messages.error(request, error.message)
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("visas:case", pk=delegation.pk)
    visas = trip_visas(delegation)
    for need in visas.needs:
        need.status = need_status(need)
    return render(
        request,
        "visas/case.html",
        {
            "delegation": delegation,
            "visas": visas,
            "groups": list(visas.by_embassy.items()),
            "batches": selectors.batches_of(request.user).filter(delegation=delegation),
        },
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


FORMS = {"send": SendForm, "result": ResultForm, "receive": ReceiveForm, "cancel": CancelForm}


@role_required(OFFICER)
def batch_detail(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    forms = {name: form() for name, form in FORMS.items()}
    failed_application = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in FORMS:
            messages.error(request, _("Unknown action."))
            return redirect("visas:batch", pk=batch.pk)
        form = FORMS[action](request.POST)
        forms[action] = form
        if form.is_valid():
            try:
                _act(request, batch, action, form.cleaned_data)
                done = BATCH_TRANSITIONS[action].done if action in BATCH_TRANSITIONS else ""
                messages.success(request, str(done or _("Done.")))
                return redirect("visas:batch", pk=batch.pk)
            except PermissionDenied as error:
                if error.code == "not_found":
                    raise Http404 from error
                client_error_fields(form, error)
            except ServiceError as error:
                client_error_fields(form, error)
        if action == "result":
            failed_application = _int(request.POST.get("application"))
    applications = list(
        batch.applications.select_related("member__person", "passport").order_by("position", "id")
    )
    lead = lead_times(batch.delegation.authority_id, [batch.embassy])[batch.embassy.pk]
    context = {
        "batch": batch,
        "delegation": batch.delegation,
        "applications": applications,
        "note": visa_note_current(batch),
        "events": batch.events.select_related("actor"),
        "forms": forms,
        "failed_application": failed_application,
        "actions": [t.action for t in BATCH_TRANSITIONS.values() if batch.state in t.sources],
        "lead": lead,
        "sla": selectors.colour(batch.expected_back, selectors.timezone.localdate())
        if batch.state == "sent"
        else "",
    }
    return render(request, "visas/batch.html", context)


def _act(request, batch, action, data):
    actor = request.user
    version = request.POST.get("version") or None
    if action == "send":
        return services.visa_batch_send(batch=batch, actor=actor, expected_version=version, **data)
    if action == "receive":
        return services.visa_batch_receive(
            batch=batch, actor=actor, back_on=data["back_on"], expected_version=version
        )
    if action == "cancel":
        return services.visa_batch_cancel(
            batch=batch, actor=actor, reason=data["reason"], expected_version=version
        )
    application = VisaApplication.objects.filter(
        pk=_int(request.POST.get("application")), batch=batch
    ).first()
    if application is None:
        raise ServiceError("no_application", _("Choose a passport of this batch."))
    return services.visa_result_record(
        application=application, actor=actor, expected_version=version, **data
    )
