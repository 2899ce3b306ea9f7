"""Who hears of an embassy batch's moves (the unit's clerks), and what the notice says: the
case number, the embassy and the step; never a passport or visa number."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.notices.registry import Message, notice_workflow
from waiban.visas.models import VisaBatchEvent
from waiban.visas.states import BATCH_TRANSITIONS


def _unit_clerks(batch):
    return User.objects.filter(
        is_active=True, role=Role.UNIT_CLERK, unit_id=batch.delegation.unit_id
    )


def describe(event) -> Message:
    batch = event.batch
    delegation = batch.delegation
    figures = {
        "case": delegation.case_number or "",
        "embassy": batch.embassy.name,
        "event": event.label,
    }
    subject = _("Visas of case %(case)s at %(embassy)s: %(event)s") % figures
    body = subject
    if event.comment:
        body += "\n" + _("Comment: %(text)s") % {"text": event.comment}
    return Message(
        subject=subject[:200],
        body=body,
        sms=_("[Foreign Affairs Office] Case %(case)s, visas: %(event)s.") % figures,
        link=reverse("visits:detail", args=[delegation.pk]),
    )


notice_workflow(
    "visa_batch",
    table=BATCH_TRANSITIONS,
    history=VisaBatchEvent,
    audiences={"unit": _unit_clerks},
    describe=describe,
)
