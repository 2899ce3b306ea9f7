"""The change form (the unit's clerk) and one POST endpoint for every move of a change request;
the change panel of the case page is drawn by waiban/changes/templatetags/changes.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waiban.accounts.roles import Role
from waiban.changes import services
from waiban.changes.content import content_from_forms, content_of
from waiban.changes.forms import ChangeActionForm, ChangeMemberFormSet, ReasonForm
from waiban.changes.models import ChangeRequest
from waiban.changes.states import CHANGE_TRANSITIONS
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.forms import bootstrap
from waiban.core.views import role_required
from waiban.people.models import Person
from waiban.visits.case_page import case_context
from waiban.visits.forms import BudgetForm, DelegationForm, StopFormSet
from waiban.visits.selectors import delegation_get


def _initial(delegation):
    content = content_of(delegation)
    people = Person.objects.in_bulk([m["person"] for m in content["members"]])
    members = [
        {"person": people[m["person"]], "role": m["role"], "post": m["post"]}
        for m in content["members"]
    ]
    stops = [
        {
            "country": s.country.code,
            "city": s.city,
            "arrival_date": s.arrival_date,
            "departure_date": s.departure_date,
            "is_transit": s.is_transit,
            "is_airside": s.is_airside,
            "business_days": s.business_days,
        }
        for s in delegation.stops.all()
    ]
    return members, stops, {b.kind: b.amount for b in delegation.budget_lines.all()}


def _forms(request, delegation):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    members, stops, budget = _initial(delegation)
    # The unit's people, and whoever is on the trip now (a member may have moved since).
    people = Person.objects.filter(unit=delegation.unit, is_active=True) | Person.objects.filter(
        memberships__delegation=delegation
    )
    return {
        "form": DelegationForm(data, instance=delegation if data is None else None),
        "members": ChangeMemberFormSet(
            data, prefix="members", initial=members, form_kwargs={"people": people.distinct()}
        ),
        "stops": StopFormSet(data, prefix="stops", initial=stops),
        "budget": BudgetForm(data, prefix="budget", initial=budget),
        "reason_form": ReasonForm(data, files),
    }


@role_required(Role.UNIT_CLERK)
def change_new(request, pk):
    delegation = delegation_get(user=request.user, pk=pk)
    if delegation is None:
        raise Http404
    if delegation.state not in services.CHANGEABLE_STATES:
        messages.warning(request, _("Only an approved trip, or one under way, can be changed."))
        return redirect("visits:detail", pk=pk)
    forms = _forms(request, delegation)
    status = 200
    if request.method == "POST":
        status = 400
        if all(f.is_valid() for f in forms.values()):
            content = content_from_forms(
                data=forms["form"].cleaned_data,
                members=forms["members"].members(),
                stops=forms["stops"].stops(),
                budget=forms["budget"].lines(),
            )
            try:
                services.change_request_propose(
                    delegation=delegation,
                    actor=request.user,
                    reason=forms["reason_form"].cleaned_data["reason"],
                    content=content,
                    invitation=forms["reason_form"].cleaned_data.get("invitation"),
                )
            except PermissionDenied as error:
                raise Http404 from error
            except ServiceError as error:
                problems = error.params.get("problems") or []
                if error.field in ("reason", "invitation"):
                    forms["reason_form"].add_error(error.field, error.message)
                else:
                    forms["form"].add_error(None, error.message)
                for problem in problems:
                    forms["form"].add_error(None, problem["message"])
                if isinstance(error, StateConflict):
                    status = 409
                bootstrap(forms["reason_form"], forms["reason_form"].errors)
            else:
                messages.success(
                    request, _("Change proposed. The unit head confirms it, then the office.")
                )
                return redirect("visits:detail", pk=delegation.pk)
    return render(request, "changes/form.html", {**forms, "delegation": delegation}, status=status)


@login_required
@require_POST
def change_action(request, pk, action):
    change = ChangeRequest.objects.select_related("delegation").filter(pk=pk).first()
    transition = CHANGE_TRANSITIONS.get(action)
    delegation = delegation_get(user=request.user, pk=change.delegation_id) if change else None
    if delegation is None or transition is None or action == "propose":
        raise Http404
    form = ChangeActionForm(request.POST)
    status = 400
    if form.is_valid():
        kwargs = {transition.text: form.cleaned_data["opinion"]} if transition.text else {}
        try:
            transition.service_function(
                change=change,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **kwargs,
            )
        except PermissionDenied as error:
            if error.code == "not_found":
                raise Http404 from error
            form.add_error(None, error.message)
        except StateConflict as error:
            form.add_error(None, error.message)
            status = 409
        except ServiceError as error:
            form.add_error("opinion" if error.field == "opinion" else None, error.message)
        else:
            messages.success(request, transition.done)
            return redirect("visits:detail", pk=delegation.pk)
    # The case page again, the typed text kept and the reason beside it.
    bootstrap(form, form.errors)
    delegation = delegation_get(user=request.user, pk=delegation.pk)
    context = case_context(request, delegation)
    context["change_form"] = form
    return render(request, "visits/detail.html", context, status=status)


@role_required(
    Role.UNIT_CLERK,
    Role.UNIT_HEAD,
    Role.WINDOW_CLERK,
    Role.REVIEWER,
    Role.APPROVER,
    Role.SUPERVISOR,
)
def change_list(request):
    """The open change requests of the cases the user sees; those waiting for them first."""
    from waiban.changes.selectors import changes_waiting_for, open_changes

    mine = list(changes_waiting_for(user=request.user)[:200])
    others = [c for c in open_changes(user=request.user)[:200] if c not in mine]
    return render(request, "changes/list.html", {"mine": mine, "others": others})
