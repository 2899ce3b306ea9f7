from django import template

from waiban.visits.states import TRIP_STATES

register = template.Library()


@register.inclusion_tag("passports/_case_panel.html", takes_context=True)
def case_passports(context, delegation):
    """The passport stage on the case page: the officer's way in, the clerk's photo uploads."""
    user = context["request"].user
    show = delegation.state in TRIP_STATES and user.role in ("passport_officer", "unit_clerk")
    return {
        "show": show,
        "delegation": delegation,
        "user": user,
        "requests": list(delegation.passport_requests.select_related("person")) if show else [],
    }
