"""Time limits in Chinese working days and the traffic-light colour of each case."""

import datetime as dt

from django.conf import settings

from waiban.core.calendar import WorkingCalendar
from waiban.visits.states import State


def stage_limit(*, authority, state: str) -> int | None:
    """``authority``: an Authority or its id (the workflow passes the id it has on the row)."""
    from waiban.visits.models import StageLimit

    authority_id = getattr(authority, "pk", authority)
    override = StageLimit.objects.filter(authority_id=authority_id, state=state).first()
    if override:
        return override.working_days
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
