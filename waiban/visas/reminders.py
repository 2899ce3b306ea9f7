"""The daily reminder of the visa stage: a batch still at the embassy after its expected
return (the embassy's lead time) is late; the office's visa officers are told on the first day
and every three days after, once per batch and period, whatever the number of runs."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.notices.registry import Message, notice_message
from waiban.notices.routing import channels_for, notices_queue
from waiban.outbox.registry import periodic_job
from waiban.visas.models import VisaBatch
from waiban.visas.states import BatchState

EVERY_DAYS = 3


@periodic_job("visas.remind_overdue", daily_at="06:10")
def visa_batches_remind(*, today=None) -> int:
    """Queue the reminders of late batches; the number of notices newly queued."""
    today = today or timezone.localdate()
    officers = list(
        User.objects.filter(is_active=True, role=Role.VISA_OFFICER).select_related(
            "notice_preference"
        )
    )
    late = VisaBatch.objects.filter(state=BatchState.SENT, expected_back__lt=today).select_related(
        "delegation"
    )
    queued = 0
    for batch in late:
        told = [u for u in officers if batch.delegation.authority_id in visible_authority_ids(u)]
        period = (today - batch.expected_back).days // EVERY_DAYS
        with transaction.atomic():
            queued += notices_queue(
                ref=f"visa-late:{batch.pk}:{batch.expected_back.isoformat()}:{period}",
                recipients={u: channels_for("visa_batch", "late", "office") for u in told},
                builder="visa_batch_late",
                args={"batch_id": batch.pk, "on": today.isoformat()},
            )
    return queued


@notice_message("visa_batch_late")
def visa_batch_late_message(*, batch_id, on):
    batch = VisaBatch.objects.filter(pk=batch_id).select_related("delegation", "embassy").first()
    if batch is None or batch.state != BatchState.SENT or batch.expected_back is None:
        return None  # back or cancelled meanwhile: nothing to say any more
    figures = {
        "case": batch.delegation.case_number or "",
        "embassy": batch.embassy.name,
        "due": batch.expected_back.isoformat(),
    }
    return Message(
        subject=_("Visas of case %(case)s at %(embassy)s: expected back on %(due)s") % figures,
        body=_(
            "The passports of case %(case)s were expected back from %(embassy)s on %(due)s. "
            "Ask the embassy, and record the results once they are known."
        )
        % figures,
        sms=_("[Foreign Affairs Office] Visas of case %(case)s are late at the embassy.") % figures,
        link=reverse("visas:batch", args=[batch.pk]),
    )
