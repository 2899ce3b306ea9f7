"""The data cage's page, for the supervisor only (every other role: 404): the findings with
their evidence, and the decision on each."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.errors import ServiceError
from waiban.core.views import role_required
from waiban.reports.cage import anomaly_decide, anomaly_message, anomaly_title
from waiban.reports.models import Anomaly, AnomalyStatus


class DecisionForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=gettext_lazy("Explanation or referral note"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        max_length=5000,
        required=False,
    )


@role_required(Role.SUPERVISOR)
def anomalies(request):
    status = request.GET.get("status", AnomalyStatus.OPEN)
    if status not in AnomalyStatus.values:
        status = AnomalyStatus.OPEN
    rows = (
        Anomaly.objects.filter(authority_id__in=visible_authority_ids(request.user), status=status)
        .select_related("delegation__unit")
        .prefetch_related("events__actor")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    for row in page:
        row.title = anomaly_title(row)
        row.text = anomaly_message(row)
    return render(
        request,
        "reports/anomalies.html",
        {"page": page, "status": status, "statuses": AnomalyStatus.choices, "form": DecisionForm()},
    )


@role_required(Role.SUPERVISOR)
@require_POST
def anomaly_action(request, pk, action):
    anomaly = Anomaly.objects.filter(
        pk=pk, authority_id__in=visible_authority_ids(request.user)
    ).first()
    if anomaly is None:
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        anomaly_decide(
            anomaly=anomaly,
            actor=request.user,
            action=action,
            note=data.get("note", ""),
            expected_version=data.get("version", ""),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The finding is updated."))
    return redirect(f"{reverse('reports:anomalies')}?status={anomaly.status}")
