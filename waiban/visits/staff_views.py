"""The office workbench: queues per role with filters, sorting, pagination and SLA colours."""

from django.shortcuts import render

from waiban.accounts.roles import OFFICE_ROLES
from waiban.accounts.scoping import visible_units
from waiban.core.country_picker import destination_choices
from waiban.core.parsing import parse_id
from waiban.core.views import option_tags, role_required
from waiban.visits.exports import cases_export
from waiban.visits.rows import list_page
from waiban.visits.selectors import (
    OVERDUE_COUNT_CAP,
    WORKBENCH_SORTS,
    overdue_count,
    workbench_queryset,
)
from waiban.visits.states import State

PAGE_SIZE = 50


@role_required(*OFFICE_ROLES)
def workbench(request):
    user = request.user
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    unit = parse_id(request.GET.get("unit", ""))  # a malformed unit filter is no filter
    country = request.GET.get("country", "").upper()[:2]
    overdue = request.GET.get("overdue") == "1"
    sort = request.GET.get("sort", "deadline")
    sort = sort if sort in WORKBENCH_SORTS else "deadline"
    cases = workbench_queryset(user=user, state=state, unit=unit, country=country, overdue=overdue)
    if request.GET.get("format") == "xlsx":
        return cases_export(cases, WORKBENCH_SORTS[sort], name="workbench")
    return render(
        request,
        "visits/workbench.html",
        {
            **list_page(request, cases, WORKBENCH_SORTS[sort], size=PAGE_SIZE),
            # Hundreds of units and countries: drawn as option tags here, not by a template
            # loop of a few hundred iterations.
            "unit_options": option_tags(visible_units(user), selected=unit),
            "country_options": option_tags(destination_choices(), selected=country),
            "filters": {
                "state": state,
                "unit": unit,
                "country": country,
                "overdue": overdue,
                "sort": sort,
            },
            "states": [(v, label) for v, label in State.choices if v != State.DRAFT],
            "overdue_total": overdue_count(user=user),
            "overdue_cap": OVERDUE_COUNT_CAP,
        },
    )
