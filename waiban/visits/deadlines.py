"""Time limits in Chinese working days and the traffic-light colour of each case."""

import datetime as dt

from django.conf import settings

from waiban.core.calendar import WorkingCalendar
from waiban.core.reference import reference
from waiban.visits.states import State


@reference("waiban:stage-limits", sources=("visits.StageLimit",))
def stage_limit_overrides() -> dict[tuple[int, str], int]:
    """The offices' own limits, (authority id, state) -> working days: a short table every
    transition reads."""
    from waiban.visits.models import StageLimit

    rows = StageLimit.objects.values_list("authority_id", "state", "working_days")
    return {(authority_id, state): days for authority_id, state, days in rows}


def stage_limit(*, authority, state: str) -> int | None:
    """``authority``: an Authority or its id (the workflow passes the id it has on the row)."""
    authority_id = getattr(authority, "pk", authority)
    override = stage_limit_overrides.get().get((authority_id, state))
    if override is not None:
        return override
    return settings.STAGE_LIMIT_WORKING_DAYS.get(state)


def deadline_for(*, authority, state: str, start: dt.date, calendar=None) -> dt.date | None:
    days = stage_limit(authority=authority, state=state)
    if days is None:
        return None
    return (calendar or WorkingCalendar()).add_working_days(start, days)


def sla_colour(*, state: str, deadline: dt.date | None, today: dt.date, calendar) -> str:
    """green, amber (one working day or less left) or red (overdue); '' when no clock runs."""
    if deadline is None or state not in (
        State.PRE_REVIEW,
        State.UNDER_REVIEW,
        State.PENDING_APPROVAL,
    ):
        return ""
    if today > deadline:
        return "red"
    if calendar.working_days_between(today, deadline) <= 1:
        return "amber"
    return "green"
