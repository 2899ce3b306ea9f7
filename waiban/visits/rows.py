"""What each list row shows, as plain values: rendered through waiban.core.memo, so a row is
drawn once per distinct content and language, however many times the list is opened."""

from waiban.core.memo import KeptRows
from waiban.visits.states import State


def row_values(case: dict) -> dict:
    """A case of a list page (selectors.list_values, with the traffic light
    that ``annotate_page`` adds): only what the row shows, so that the memo key is exact."""
    return {
        "pk": case["pk"],
        "case_number": case["case_number"] or "",
        "title": case["title"],
        "unit": case["unit__name"],
        "leader": case["leader__name_zh"] or "",
        "members": case["member_count"],
        "departure": case["departure_date"],
        "state": case["state"],
        "state_label": str(State(case["state"]).label),
        "deadline": case["deadline"],
        "sla": case["sla"],
        "confirmed_draft": case["committed"] and case["state"] == State.DRAFT,
    }


def workbench_rows(delegations) -> KeptRows:
    return KeptRows("visits/rows/workbench_row.html", delegations, row_values)


def unit_list_rows(delegations) -> dict[str, KeptRows]:
    """The unit's list draws each case twice: a card on phones, a table row from tablets up."""
    return {
        "cards": KeptRows("visits/rows/unit_card.html", delegations, row_values),
        "rows": KeptRows("visits/rows/unit_row.html", delegations, row_values),
    }
