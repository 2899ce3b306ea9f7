"""A trip report's states and the table of allowed transitions.

draft ──submit──► submitted ──accept──► accepted (published in the library, or kept internal)
  ▲                   │
  └── sent_back ◄─────┘ send_back (with a reason; the clerk fixes it and submits again)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.accounts.roles import Role
from waiban.core.transitions import Transition, transitions_table


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the office")
    SENT_BACK = "sent_back", _("Sent back to the unit")
    ACCEPTED = "accepted", _("Accepted")


EDITABLE_REPORT_STATES = frozenset({ReportState.DRAFT, ReportState.SENT_BACK})


def _t(action, sources, target, roles, label, **kwargs) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label, **kwargs)


REPORT_TRANSITIONS = transitions_table(
    _t(
        "submit",
        EDITABLE_REPORT_STATES,
        ReportState.SUBMITTED,
        {Role.UNIT_CLERK},
        _("Submit the report"),
        done=_("The report is submitted to the office."),
        timeline=_("Report submitted"),
        tell=("office",),
    ),
    _t(
        "send_back",
        {ReportState.SUBMITTED},
        ReportState.SENT_BACK,
        {Role.REVIEWER},
        _("Send the report back"),
        done=_("The report is sent back to the unit."),
        timeline=_("Report sent back"),
        text="reason",
        style="warning",
        tell=("unit",),
    ),
    _t(
        "accept",
        {ReportState.SUBMITTED},
        ReportState.ACCEPTED,
        {Role.REVIEWER},
        _("Accept the report"),
        done=_("The report is accepted."),
        timeline=_("Report accepted"),
        style="success",
        tell=("unit",),
    ),
)

EVENT_LABELS = {
    "create": _("Report started"),
    **{action: t.timeline for action, t in REPORT_TRANSITIONS.items()},
}

# Who opens the library and the report pages at all; every other role gets a 404.
LIBRARY_ROLES = frozenset(
    {
        Role.UNIT_CLERK,
        Role.UNIT_HEAD,
        Role.WINDOW_CLERK,
        Role.REVIEWER,
        Role.APPROVER,
        Role.PASSPORT_OFFICER,
        Role.VISA_OFFICER,
        Role.SUPERVISOR,
    }
)
