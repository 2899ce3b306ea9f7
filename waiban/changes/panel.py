"""What the change panel of the case page shows: the requests, the viewer's moves, and the
content versions side by side with what changed."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.changes.applying import CHANGEABLE_STATES
from waiban.changes.content import LABELS, budget_total, countries_of, trip_dates
from waiban.changes.models import ChangeRequest, ContentVersion
from waiban.changes.states import CHANGE_TRANSITIONS, REFUSER_OF_STATE, ChangeState
from waiban.visits.states import TRIP_STATES, State

HAD_APPROVAL = TRIP_STATES | {State.CANCELLED}


def available_moves(user, change) -> list:
    """The moves of the table this user may make on this request now (the services check
    again; this only avoids dead buttons)."""
    found = []
    for t in CHANGE_TRANSITIONS.values():
        if change.state not in t.sources or not t.allows(user.role):
            continue
        if t.extra.get("administrative_only") and change.is_material:
            continue
        if t.extra.get("material_only") and not change.is_material:
            continue
        if t.action == "refuse" and REFUSER_OF_STATE.get(change.state) != user.role:
            continue
        if t.action in ("approve", "refuse") and change.state == ChangeState.PENDING_APPROVAL:
            step = next((s for s in change.steps.all() if s.level == change.approval_level), None)
            if step is None or step.position != user.approver_position:
                continue
        found.append(t)
    return found


def _summary(content) -> dict:
    """One column of the side-by-side view: each row a short text."""
    members = [
        f"{m['name']}（{m['post']}）" + (" ★" if m["role"] == "leader" else "")
        for m in content["members"]
    ]
    return {
        "title": content["title"],
        "members": "；".join(members),
        "dates": " – ".join(trip_dates(content)),
        "countries": "、".join(countries_of(content)),
        "stops": "、".join(s["city"] for s in content["stops"]),
        "budget": str(budget_total(content)),
        "invitation": content["inviting_organisation"],
    }


ROW_LABELS = {
    "title": gettext_lazy("Title"),
    "members": gettext_lazy("Members (post)"),
    "dates": gettext_lazy("Dates"),
    "countries": gettext_lazy("Countries or regions"),
    "stops": gettext_lazy("Stops"),
    "budget": gettext_lazy("Budget total (CNY)"),
    "invitation": gettext_lazy("Inviting organisation"),
}


def versions_side_by_side(delegation, proposal=None) -> dict:
    """Columns: every kept version, then the open proposal; a cell that differs from the
    column before it is marked changed."""
    columns = [
        (_("Version %(n)d") % {"n": v.number}, v.content, v.number)
        for v in ContentVersion.objects.filter(delegation=delegation)
    ]
    if proposal is not None:
        columns.append((_("Proposed"), proposal.content, "proposed"))
    if len(columns) < 2:
        return {}
    summaries = [_summary(content) for _label, content, _key in columns]
    rows = []
    for key in ROW_LABELS:
        cells = []
        for i, summary in enumerate(summaries):
            changed = i > 0 and summaries[i - 1][key] != summary[key]
            cells.append({"text": summary[key], "changed": changed})
        rows.append({"key": key, "label": ROW_LABELS[key], "cells": cells})
    return {"headers": [(label, key) for label, _c, key in columns], "rows": rows}


def may_have_changes(delegation) -> bool:
    """Only a case that was approved can have change requests: the others' pages read none."""
    return delegation.state in HAD_APPROVAL


def panel_context(user, delegation, *, change_form=None) -> dict:
    requests = []
    if may_have_changes(delegation):
        requests = list(
            ChangeRequest.objects.filter(delegation=delegation)
            .select_related("proposed_by", "confirmed_by")
            .prefetch_related("steps__decided_by")
        )
    open_change = next((c for c in requests if c.is_open), None)
    for change in requests:
        change.labelled = [
            {**c, "label": LABELS.get(c["field"], c["field"])} for c in change.changes
        ]
    moves = available_moves(user, open_change) if open_change else []
    return {
        "delegation": delegation,
        "requests": requests,
        "open_change": open_change,
        "moves": moves,
        "asks_text": any(t.text for t in moves),
        "change_form": change_form,
        "can_propose": user.role == Role.UNIT_CLERK
        and delegation.state in CHANGEABLE_STATES
        and open_change is None,
        "versions": versions_side_by_side(delegation, open_change) if requests else {},
        "show_panel": bool(requests) or delegation.state in CHANGEABLE_STATES,
    }
