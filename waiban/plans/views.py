"""Plan pages: the usage overview, a plan with its items and joint review, and the link page of
a delegation. Views only map forms to the services in waiban.plans.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waiban.accounts.roles import Role
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.parsing import parse_int
from waiban.core.views import client_error_fields, role_required
from waiban.plans import services
from waiban.plans.forms import (
    ApproveForm,
    LinkForm,
    OpinionForm,
    PlanCreateForm,
    PlanItemForm,
    ReturnForm,
)
from waiban.plans.models import PlanItem
from waiban.plans.selectors import (
    linkable_items,
    plan_get,
    plan_items_with_usage,
    plan_overview,
)
from waiban.plans.states import EDITABLE_PLAN_STATES, PLAN_ROLES, PLAN_TRANSITIONS, PlanState
from waiban.plans.status import in_plan_status
from waiban.visits.selectors import delegation_get
from waiban.visits.states import EDITABLE_STATES

DONE = {
    "submit": gettext_lazy("The plan is submitted to the office."),
    "opinion": gettext_lazy("Opinion recorded."),
    "approve": gettext_lazy("The plan's totals are approved."),
    "return": gettext_lazy("The plan is returned to the unit."),
}


def _status(error) -> int:
    return 409 if isinstance(error, StateConflict) else 400


def _year(request) -> int:
    year = parse_int(request.GET.get("year", ""), low=2000, high=2100)
    return year or timezone.localdate().year


@role_required(*PLAN_ROLES)
def overview(request):
    year = _year(request)
    rows = plan_overview(user=request.user, year=year)
    own_plan_missing = request.user.role == Role.UNIT_CLERK and not any(r.plan for r in rows)
    return render(
        request,
        "plans/overview.html",
        {
            "year": year,
            "rows": rows,
            "years": [year - 1, year, year + 1],
            "create_form": PlanCreateForm(initial={"year": year}) if own_plan_missing else None,
        },
    )


@role_required(Role.UNIT_CLERK)
@require_POST
def plan_create(request):
    form = PlanCreateForm(request.POST)
    if form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, year=form.cleaned_data["year"])
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("plans:overview")
        return redirect("plans:detail", pk=plan.pk)
    messages.error(request, _("Enter a year."))
    return redirect("plans:overview")


def _get_plan(request, pk):
    plan = plan_get(user=request.user, pk=pk)
    if plan is None:
        raise Http404
    return plan


def _detail_context(request, plan, **forms):
    user = request.user
    can = {
        action: user.role in t.roles and plan.state in t.sources
        for action, t in PLAN_TRANSITIONS.items()
    }
    planned = services.planned_totals(plan)
    if can["approve"] and "approve_form" not in forms:
        forms["approve_form"] = ApproveForm(initial={**planned, "version": plan.version})
    if can["return"] and "return_form" not in forms:
        forms["return_form"] = ReturnForm(initial={"version": plan.version})
    if can["opinion"] and "opinion_form" not in forms:
        forms["opinion_form"] = OpinionForm(initial={"version": plan.version})
    return {
        "plan": plan,
        "items": plan_items_with_usage(plan),
        "planned": planned,
        "opinions": plan.opinions.select_related("actor"),
        "events": plan.events.select_related("actor"),
        "can": can,
        "can_edit": user.role == Role.UNIT_CLERK and plan.state in EDITABLE_PLAN_STATES,
        **forms,
    }


@role_required(*PLAN_ROLES)
def plan_detail(request, pk):
    plan = _get_plan(request, pk)
    return render(request, "plans/detail.html", _detail_context(request, plan))


@role_required(*PLAN_ROLES)
@require_POST
def plan_action(request, pk, action):
    plan = _get_plan(request, pk)
    if action not in DONE:
        raise Http404
    form_class, form_key = {
        "submit": (None, None),
        "opinion": (OpinionForm, "opinion_form"),
        "approve": (ApproveForm, "approve_form"),
        "return": (ReturnForm, "return_form"),
    }[action]
    form = form_class(request.POST) if form_key else None
    version = request.POST.get("version")
    try:
        if action == "submit":
            services.plan_submit(plan=plan, actor=request.user, expected_version=version)
        elif not form.is_valid():
            return render(
                request,
                "plans/detail.html",
                _detail_context(request, plan, **{form_key: form}),
                status=400,
            )
        elif action == "opinion":
            services.plan_opinion_add(
                plan=plan, actor=request.user, expected_version=version, **_data(form)
            )
        elif action == "approve":
            services.plan_approve(
                plan=plan, actor=request.user, expected_version=version, **_data(form)
            )
        else:
            services.plan_return(
                plan=plan, actor=request.user, expected_version=version, **_data(form)
            )
    except PermissionDenied as error:
        if error.code == "not_found":
            raise Http404 from None
        messages.error(request, error.message)
        return redirect("plans:detail", pk=pk)
    except ServiceError as error:
        plan.refresh_from_db()
        extra = {}
        if form is not None:
            client_error_fields(form, error)
            extra[form_key] = form
        else:
            messages.error(request, error.message)
        return render(
            request,
            "plans/detail.html",
            _detail_context(request, plan, **extra),
            status=_status(error),
        )
    messages.success(request, DONE[action])
    return redirect("plans:detail", pk=pk)


def _data(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


@role_required(Role.UNIT_CLERK)
def item_edit(request, pk, item_pk=None):
    plan = _get_plan(request, pk)
    item = None
    if item_pk is not None:
        item = PlanItem.objects.filter(plan=plan, pk=item_pk).first()
        if item is None:
            raise Http404
    if plan.state not in EDITABLE_PLAN_STATES:
        messages.warning(request, _("This plan cannot be changed any more."))
        return redirect("plans:detail", pk=pk)
    initial = {"version": plan.version}
    form = PlanItemForm(request.POST or None, instance=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_save(
                plan=plan,
                actor=request.user,
                item=item,
                data=form.cleaned_data,
                expected_version=form.cleaned_data.get("version"),
            )
        except ServiceError as error:
            client_error_fields(form, error)
        else:
            messages.success(request, _("Plan item saved."))
            return redirect("plans:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "plans/item_form.html", {"plan": plan, "item": item, "form": form}, status=status
    )


@role_required(Role.UNIT_CLERK)
@require_POST
def item_delete(request, pk, item_pk):
    plan = _get_plan(request, pk)
    item = PlanItem.objects.filter(plan=plan, pk=item_pk).first()
    if item is None:
        raise Http404
    try:
        services.plan_item_delete(
            item=item, actor=request.user, expected_version=request.POST.get("version")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Plan item deleted."))
    return redirect("plans:detail", pk=pk)


@login_required
def link(request, delegation_pk):
    """Where a delegation sits in its unit's plan; the clerk links it while it is editable."""
    delegation = delegation_get(user=request.user, pk=delegation_pk)
    if delegation is None:
        raise Http404
    can_link = request.user.role == Role.UNIT_CLERK and delegation.state in EDITABLE_STATES
    if request.method == "POST" and not can_link:
        raise Http404
    status = in_plan_status(delegation=delegation)
    form = None
    http_status = 200
    if can_link:
        initial = {"mode": LinkForm.NONE}
        if status.item:
            initial = {"mode": LinkForm.IN_PLAN, "plan_item": status.item.pk}
        elif status.out_of_plan:
            initial = {
                "mode": LinkForm.SWAP,
                "swapped_out_item": getattr(status.swapped_out_item, "pk", None),
                "swap_justification": status.swap_justification,
            }
        form = LinkForm(
            request.POST or None,
            initial=initial,
            items=linkable_items(delegation=delegation, year=status.year),
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.plan_link(
                        delegation=delegation, actor=request.user, **form.link_kwargs()
                    )
                except ServiceError as error:
                    client_error_fields(form, error)
                else:
                    messages.success(request, _("The link to the annual plan is saved."))
                    return redirect("plans:link", delegation_pk=delegation.pk)
            http_status = 400
    return render(
        request,
        "plans/link.html",
        {
            "delegation": delegation,
            "status": status,
            "form": form,
            "approved_state": PlanState.APPROVED,
        },
        status=http_status,
    )
