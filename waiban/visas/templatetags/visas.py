from django import template
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from waiban.passports.states import Kind
from waiban.visas.needs import need_status, trip_visas
from waiban.visas.states import Regime, Result
from waiban.visits.states import State

register = template.Library()

STATUS_LABELS = {
    "not_needed": _("no visa needed"),
    "to_apply": _("to apply for"),
    "in_batch": _("in a batch being prepared"),
    "at_embassy": _("at the embassy"),
    Result.GRANTED: _("visa granted"),
    Result.REFUSED: _("visa refused"),
    Result.RETURNED: _("returned without a decision"),
}
# Who sees a case's visa needs on its page: the unit that prepares the trip and the office.
PANEL_ROLES = {
    "unit_clerk",
    "unit_head",
    "window_clerk",
    "reviewer",
    "approver",
    "passport_officer",
    "visa_officer",
    "supervisor",
}
# While a draft, the preview; after the approval, the needs with their progress.
PANEL_STATES = {
    State.DRAFT,
    State.SENT_BACK,
    State.PRE_REVIEW,
    State.UNDER_REVIEW,
    State.PENDING_APPROVAL,
    State.APPROVED,
    State.TRAVELLING,
}


def _label(need):
    need.status = getattr(need, "status", None) or need_status(need)
    need.status_label = STATUS_LABELS.get(need.status, need.status)
    need.regime_label = Regime(need.regime).label
    need.passport_label = Kind(need.kind).label
    need.country_name = countries.name(need.country) or need.country
    return need


@register.simple_tag
def labelled_needs(needs):
    return [_label(n) for n in needs]


@register.inclusion_tag("visas/_case_panel.html", takes_context=True)
def case_visas(context, delegation):
    user = context["request"].user
    show = user.role in PANEL_ROLES and delegation.state in PANEL_STATES
    visas = trip_visas(delegation) if show else None
    needs = [_label(n) for n in visas.needs] if visas else []
    return {
        "show": show and bool(needs),
        "preview": delegation.state not in (State.APPROVED, State.TRAVELLING),
        "delegation": delegation,
        "user": user,
        "needs": needs,
        "visa_count": sum(1 for n in needs if n.needs_visa),
        "apply_by": min((n.apply_by for n in needs if n.apply_by), default=None),
    }
