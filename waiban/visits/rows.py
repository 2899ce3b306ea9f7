"""What each list row shows, as plain values, and the page scaffolding the unit's list and the
office workbench share (a keyset page of list rows with their traffic lights)."""

from waiban.visits.selectors import annotate_page, keyset_page, list_values
from waiban.visits.states import State


def row_values(case: dict) -> dict:
    """A case of a list page (selectors.list_values, with the traffic light that
    ``annotate_page`` adds): what the row templates show."""
    return {
        "pk": case["pk"],
        "case_number": case["case_number"] or "",
        "title": case["title"],
        "unit": case["unit__name"],
        "leader": case["leader__name_zh"] or "",
        "members": case["member_count"],
        "departure": case["departure_date"],
        "state": case["state"],
        "state_label": State(case["state"]).label,
        "deadline": case["deadline"],
        "sla": case["sla"],
        "confirmed_draft": case["committed"] and case["state"] == State.DRAFT,
    }


def list_page(request, queryset, sort, *, size) -> dict:
    """One page of cases for a list view: the pager, the rows, and the query string of the
    filters without the cursors (the pager's links add their own)."""
    page = keyset_page(
        queryset,
        sort,
        size=size,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        values=list_values,
    )
    rows = [row_values(case) for case in annotate_page(page.object_list)]
    query = request.GET.copy()
    for cursor in ("after", "before", "page"):
        query.pop(cursor, None)
    return {"page": page, "rows": rows, "query": query.urlencode()}
