"""Fill the visits slot of the case page: the trip as travelled, its deviations, the report
and what the case still needs to close, for the unit and the office."""

from django import template
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.reports.deviations import case_comparison
from waiban.reports.disclosure import disclosure_statuses
from waiban.reports.forms import BorderDatesForm
from waiban.reports.rules import report_due_date
from waiban.reports.selectors import case_report
from waiban.reports.states import EDITABLE_REPORT_STATES
from waiban.visits.states import TRIP_STATES, State
from waiban.visits.trip import closing_problems

register = template.Library()


@register.inclusion_tag("reports/_case_panel.html", takes_context=True)
def case_aftertrip(context, delegation):
    user = context["request"].user
    if delegation.state not in TRIP_STATES:
        return {"show": False}
    notices = disclosure_statuses(delegation)
    if delegation.state not in (State.BACK_HOME, State.CLOSED):  # the notice before only
        return {"show": True, "notices": notices, "delegation": delegation, "back": False}
    report = case_report(delegation)
    actual = list(delegation.actual_stops.all())
    border = getattr(delegation, "border_dates", None)  # none recorded: no row
    due = report.due_date if report else report_due_date(delegation)
    waiting = report is None or report.state in EDITABLE_REPORT_STATES
    return {
        "show": True,
        "back": True,
        "report_overdue": bool(due and waiting and timezone.localdate() > due),
        "notices": notices,
        "delegation": delegation,
        "user": user,
        "is_clerk": user.role == Role.UNIT_CLERK,
        "is_unit": user.role in (Role.UNIT_CLERK, Role.UNIT_HEAD),
        "is_passport_officer": user.role == Role.PASSPORT_OFFICER,
        "actual_stops": actual,
        "comparison": case_comparison(delegation, actual=actual),
        "report": report,
        "due": due,
        "missing": closing_problems(delegation) if delegation.state == State.BACK_HOME else [],
        "border": border,
        "border_form": BorderDatesForm(
            initial={"exit_date": delegation.departure_date, "entry_date": delegation.return_date}
        ),
    }
