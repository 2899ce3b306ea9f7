"""Pages of the unit: delegation list, application form, case page with timeline, receipt."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waiban.accounts.roles import Role
from waiban.core.calendar import WorkingCalendar
from waiban.core.errors import ServiceError
from waiban.core.views import role_required
from waiban.people.models import Person
from waiban.visits import editing
from waiban.visits.case_page import case_context
from waiban.visits.corrections import TARGET_LABELS
from waiban.visits.exports import cases_export
from waiban.visits.forms import (
    AttachmentForm,
    BudgetForm,
    DelegationForm,
    MemberFormSet,
    StopFormSet,
)
from waiban.visits.rows import list_page
from waiban.visits.selectors import (
    UNIT_LIST_SORT,
    delegation_get,
    traveller_trips,
    unit_delegations,
)
from waiban.visits.states import EDITABLE_STATES, State


@role_required(Role.UNIT_CLERK, Role.UNIT_HEAD)
def delegation_list(request):
    state = request.GET.get("state", "")
    if state not in (*State.values, "awaiting_commitment"):
        state = ""  # an unknown filter shows every case, as the form's first choice does
    search = request.GET.get("q", "").strip()[:50]
    cases = unit_delegations(user=request.user, state=state, search=search)
    if request.GET.get("format") == "xlsx":
        return cases_export(cases, UNIT_LIST_SORT, name="delegations")
    context = list_page(request, cases, UNIT_LIST_SORT, size=25)
    return render(
        request,
        "visits/list.html",
        {**context, "state": state, "states": State.choices, "search": search},
    )


def _initial(source, *, with_dates=True):
    """The form rows of a saved application: to edit it, or (without its dates, which a new
    trip must set) to start a new one from it."""
    members = [{"person": m.person, "role": m.role} for m in source.members.all()]
    stops = [
        {
            "country": s.country.code,
            "city": s.city,
            "arrival_date": s.arrival_date if with_dates else None,
            "departure_date": s.departure_date if with_dates else None,
            "is_transit": s.is_transit,
            "is_airside": s.is_airside,
            "business_days": s.business_days if with_dates else None,
        }
        for s in source.stops.all()
    ]
    return members, stops, {b.kind: b.amount for b in source.budget_lines.all()}


def _forms(request, delegation=None, copy_of=None):
    people = Person.objects.filter(unit=request.user.unit, is_active=True)
    data = request.POST if request.method == "POST" else None
    initial_members, initial_stops, initial_budget = [], [], {}
    initial = {}
    if delegation is not None:
        initial_members, initial_stops, initial_budget = _initial(delegation)
    elif copy_of is not None:
        initial_members, initial_stops, initial_budget = _initial(copy_of, with_dates=False)
        initial_members = [m for m in initial_members if m["person"].is_active]
        initial = {key: getattr(copy_of, key) for key in editing.CONTENT_FIELDS}
    return {
        "form": DelegationForm(data, instance=delegation, initial=initial),
        "members": MemberFormSet(
            data,
            prefix="members",
            initial=initial_members or [{"role": "leader"}],
            form_kwargs={"people": people},
        ),
        "stops": StopFormSet(data, prefix="stops", initial=initial_stops or [{}]),
        "budget": BudgetForm(data, prefix="budget", initial=initial_budget),
    }


def _save(request, forms, delegation=None):
    if not all(f.is_valid() for f in forms.values()):
        return None
    try:
        return editing.delegation_save(
            actor=request.user,
            unit=request.user.unit,
            delegation=delegation,
            expected_version=request.POST.get("version") if delegation else None,
            data=forms["form"].cleaned_data,
            members=forms["members"].members(),
            stops=forms["stops"].stops(),
            budget=forms["budget"].lines(),
        )
    except ServiceError as error:
        forms["form"].add_error(None, error.message)
        return None


@role_required(Role.UNIT_CLERK)
def delegation_create(request):
    # ?copy=<id>: a new application that starts from one of the unit's earlier ones.
    copy_of = None
    copy = request.GET.get("copy", "")
    if copy:
        copy_of = delegation_get(user=request.user, pk=copy) if copy.isdigit() else None
        if copy_of is None:
            raise Http404
    forms = _forms(request, copy_of=copy_of)
    if request.method == "POST":
        delegation = _save(request, forms)
        if delegation:
            messages.success(request, _("Saved. Upload the invitation letter and other materials."))
            return redirect("visits:detail", pk=delegation.pk)
    return render(request, "visits/form.html", {**forms, "delegation": None, "copy_of": copy_of})


@role_required(Role.UNIT_CLERK)
def delegation_edit(request, pk):
    delegation = delegation_get(user=request.user, pk=pk)
    if delegation is None:
        raise Http404
    if delegation.state not in EDITABLE_STATES:
        messages.warning(request, _("A submitted application cannot be changed any more."))
        return redirect("visits:detail", pk=pk)
    forms = _forms(request, delegation)
    if request.method == "POST":
        saved = _save(request, forms, delegation)
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("visits:detail", pk=pk)
    notice = delegation.corrections.filter(resolved_at__isnull=True).first()
    return render(
        request,
        "visits/form.html",
        {**forms, "delegation": delegation, "corrections": notice.items.all() if notice else []},
    )


@login_required
def delegation_detail(request, pk):
    delegation = delegation_get(user=request.user, pk=pk)
    if delegation is None:
        raise Http404
    return render(request, "visits/detail.html", case_context(request, delegation))


@role_required(Role.UNIT_CLERK)
@require_POST
def attachment_upload(request, pk):
    delegation = delegation_get(user=request.user, pk=pk)
    if delegation is None:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            editing.attachment_add(
                actor=request.user,
                delegation=delegation,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
            messages.success(request, _("File uploaded."))
            return redirect("visits:detail", pk=pk)
        except ServiceError as error:
            form.add_error("file", error.message)
    context = case_context(request, delegation, attachment_form=form)
    return render(request, "visits/detail.html", context, status=400)


@login_required
def attachment_download(request, pk, attachment_pk):
    delegation = delegation_get(user=request.user, pk=pk)
    if delegation is None:
        raise Http404
    attachment = get_object_or_404(delegation.attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=False,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@role_required(Role.UNIT_CLERK)
def delegation_receipt(request, pk):
    delegation = delegation_get(user=request.user, pk=pk)
    if delegation is None or not delegation.case_number:
        raise Http404
    import segno

    from waiban.portal.access import progress_code, progress_path

    # The QR opens the public progress card; the code under the number opens it when typed.
    link = request.build_absolute_uri(progress_path(delegation.case_number))
    qr = segno.make(link, error="q")
    return render(
        request,
        "visits/receipt.html",
        {
            "delegation": delegation,
            "qr_svg": qr.svg_inline(scale=4, title=delegation.case_number),
            "progress_code": progress_code(delegation.case_number),
            "progress_link": link,
        },
    )


@role_required(Role.TRAVELLER)
def my_trips(request):
    trips = list(traveller_trips(user=request.user)[:100])
    return render(request, "visits/my_trips.html", {"trips": trips})


@login_required
def correction_notice(request, pk):
    """The one-time correction notice (一次性告知书) as an A4 page to print or hand over."""
    delegation = delegation_get(user=request.user, pk=pk)
    notice = delegation.corrections.prefetch_related("items").first() if delegation else None
    if notice is None:
        raise Http404
    issued = timezone.localdate(notice.issued_at)
    days = settings.CORRECTION_WORKING_DAYS
    return render(
        request,
        "visits/correction_notice.html",
        {
            "delegation": delegation,
            "notice": notice,
            "items": [
                {"target": TARGET_LABELS.get(i.target, i.target), "message": i.message}
                for i in notice.items.all()
            ],
            "issued": issued,
            "days": days,
            "correct_by": WorkingCalendar().add_working_days(issued, days),
        },
    )
