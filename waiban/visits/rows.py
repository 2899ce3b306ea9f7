"""What each list row shows, as plain values: rendered through waiban.core.memo, so a row is
drawn once per distinct content and language, however many times the list is opened."""

from waiban.core.memo import render_rows


def row_values(delegation) -> dict:
    """A case in a list; ``annotate_page`` has set its member count and traffic light."""
    return {
        "pk": delegation.pk,
        "case_number": delegation.case_number or "",
        "title": delegation.title,
        "unit": delegation.unit.name,
        "leader": delegation.leader.name_zh if delegation.leader_id else "",
        "members": delegation.member_count,
        "departure": delegation.departure_date,
        "state": delegation.state,
        "state_label": delegation.get_state_display(),
        "deadline": delegation.deadline,
        "sla": delegation.sla,
        "confirmed_draft": bool(delegation.committed_at) and delegation.state == "draft",
    }


def workbench_rows(delegations) -> list[str]:
    return render_rows("visits/rows/workbench_row.html", [row_values(d) for d in delegations])


def unit_list_rows(delegations) -> dict[str, list[str]]:
    """The unit's list draws each case twice: a card on phones, a table row from tablets up."""
    values = [row_values(d) for d in delegations]
    return {
        "cards": render_rows("visits/rows/unit_card.html", values),
        "rows": render_rows("visits/rows/unit_row.html", values),
    }
