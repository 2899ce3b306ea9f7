"""The ``report-due`` rule (DESIGN.md §4): versioned data like the other rules, read after the
trip rather than at submission (its check finds nothing in an application)."""

import datetime as dt

from django.utils.translation import gettext_lazy

from waiban.core.calendar import WorkingCalendar
from waiban.rules.engine import REGISTRY, rule, versions_in_force

REPORT_DUE = "report-due"


@rule(
    REPORT_DUE,
    title=gettext_lazy("Trip report after return"),
    severity="warn",
    source="各地因公出国（境）管理规定",
    params={"working_days": 15},
    note="Checked after the trip: the report is due this many working days after the return.",
)
def report_due(facts, params):
    return ()  # nothing to judge before the trip


def report_due_date(delegation, *, calendar=None) -> dt.date | None:
    """The return date plus the working days of the rule version in force on that day for the
    case's office; None without a return date."""
    if delegation.return_date is None:
        return None
    in_force = versions_in_force(authority_id=delegation.authority_id, on=delegation.return_date)
    spec = in_force.get(REPORT_DUE)
    days = spec.params["working_days"] if spec else REGISTRY[REPORT_DUE].params["working_days"]
    return (calendar or WorkingCalendar()).add_working_days(delegation.return_date, int(days))
