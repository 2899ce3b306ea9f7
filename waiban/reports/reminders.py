"""The daily reminder of a trip report due soon: the unit's clerks are told once, three working
days before the report-due date, for every case back home whose report is not yet with the
office (none written, a draft, or sent back)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.core.calendar import WorkingCalendar
from waiban.notices.registry import Message, notice_message
from waiban.notices.routing import channels_for, notices_queue
from waiban.outbox.registry import periodic_job
from waiban.reports.models import ReportState, TripReport
from waiban.reports.rules import report_due_date
from waiban.visits.models import Delegation
from waiban.visits.states import State

AHEAD_WORKING_DAYS = 3
WITH_THE_OFFICE = (ReportState.SUBMITTED, ReportState.ACCEPTED)


def reports_not_with_the_office(unit_id=None):
    """Cases back home (or closed without an accepted report) whose report the unit owes."""
    cases = Delegation.objects.filter(state=State.BACK_HOME)
    if unit_id is not None:
        cases = cases.filter(unit_id=unit_id)
    sent = TripReport.objects.filter(state__in=WITH_THE_OFFICE).values("delegation_id")
    return cases.exclude(pk__in=sent)


@periodic_job("reports.remind_due", daily_at="07:40")
def reports_remind_due(*, today=None, calendar=None) -> int:
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar()
    queued = 0
    for case in reports_not_with_the_office().order_by("pk"):
        due = report_due_date(case, calendar=calendar)
        if due is None or due < today:
            continue
        if calendar.working_days_between(today, due) > AHEAD_WORKING_DAYS:
            continue
        clerks = User.objects.filter(
            is_active=True, role=Role.UNIT_CLERK, unit_id=case.unit_id
        ).select_related("notice_preference")
        channels = channels_for("report", "due_soon", "unit")
        with transaction.atomic():
            queued += notices_queue(
                ref=f"report-due:{case.pk}:{due.isoformat()}",
                recipients={clerk: channels for clerk in clerks},
                builder="report_due",
                args={"case_id": case.pk, "due": due.isoformat()},
            )
    return queued


@notice_message("report_due")
def report_due_message(*, case_id, due):
    case = Delegation.objects.filter(pk=case_id).first()
    if (
        case is None
        or TripReport.objects.filter(delegation_id=case_id, state__in=WITH_THE_OFFICE).exists()
    ):
        return None  # submitted meanwhile: nothing to remind of
    figures = {"case": case.case_number, "title": case.title, "due": due}
    return Message(
        subject=_("%(case)s %(title)s: the trip report is due on %(due)s") % figures,
        body=_(
            "The trip report of %(case)s is due on %(due)s. Write it from the case page and "
            "submit it to the office."
        )
        % figures,
        sms=_("[Foreign Affairs Office] The trip report of %(case)s is due on %(due)s.") % figures,
        link=reverse("reports:edit", args=[case.pk]),
    )
