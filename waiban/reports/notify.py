"""Who hears of a trip report's moves: the office's reviewers when it arrives, the unit's
clerks when it is sent back or accepted."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.notices.registry import Message, notice_workflow
from waiban.reports.models import ReportEvent
from waiban.reports.states import REPORT_TRANSITIONS


def unit_clerks(report):
    return User.objects.filter(is_active=True, role=Role.UNIT_CLERK, unit_id=report.unit_id)


def office_reviewers(report):
    return User.objects.filter(is_active=True, role=Role.REVIEWER, authority_id=report.authority_id)


def describe(event) -> Message:
    report = event.report
    case = report.delegation
    figures = {"case": case.case_number, "event": event.label}
    subject = _("Trip report of %(case)s: %(event)s") % figures
    body = _("Reason: %(text)s") % {"text": event.comment} if event.comment else ""
    return Message(
        subject=subject[:200],
        body=body,
        sms=_("[Foreign Affairs Office] Trip report of %(case)s: %(event)s.") % figures,
        link=reverse("reports:detail", args=[report.pk]),
    )


notice_workflow(
    "report",
    table=REPORT_TRANSITIONS,
    history=ReportEvent,
    audiences={"unit": unit_clerks, "office": office_reviewers},
    describe=describe,
)
