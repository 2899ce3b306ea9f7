"""The office workbench: queues per role with filters, sorting, pagination and SLA colours."""

from django.shortcuts import render
from django_countries import countries

from waiban.accounts.models import Unit
from waiban.accounts.roles import OFFICE_ROLES
from waiban.accounts.scoping import visible_authority_ids
from waiban.core.views import role_required
from waiban.visits.rows import workbench_rows
from waiban.visits.selectors import (
    OVERDUE_COUNT_CAP,
    WORKBENCH_SORTS,
    annotate_page,
    keyset_page,
    list_values,
    overdue_count,
    workbench_recipe,
)
from waiban.visits.states import State

PAGE_SIZE = 50


@role_required(*OFFICE_ROLES)
def workbench(request):
    user = request.user
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    unit = request.GET.get("unit", "")
    unit = int(unit) if unit.isdigit() else None
    country = request.GET.get("country", "").upper()[:2]
    overdue = request.GET.get("overdue") == "1"
    sort = request.GET.get("sort", "deadline")
    sort = sort if sort in WORKBENCH_SORTS else "deadline"
    qs = workbench_recipe(user=user, state=state, unit=unit, country=country, overdue=overdue)
    page = keyset_page(
        qs,
        WORKBENCH_SORTS[sort],
        size=PAGE_SIZE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        values=list_values,
    )
    page.object_list = annotate_page(page.object_list)
    query = request.GET.copy()
    for cursor in ("after", "before", "page"):
        query.pop(cursor, None)
    return render(
        request,
        "visits/workbench.html",
        {
            "page": page,
            "rows": workbench_rows(page.object_list),
            "filters": {
                "state": state,
                "unit": unit,
                "country": country,
                "overdue": overdue,
                "sort": sort,
            },
            "states": [(v, label) for v, label in State.choices if v != State.DRAFT],
            "units": Unit.objects.filter(authority_id__in=visible_authority_ids(user)).order_by(
                "name"
            ),
            "countries": countries,  # iterated only when the cached options are rebuilt
            "overdue_total": overdue_count(user=user),
            "overdue_cap": OVERDUE_COUNT_CAP,
            "query": query.urlencode(),
        },
    )
