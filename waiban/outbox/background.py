"""The outbox's own background work: running periodic jobs, and pruning old rows."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waiban.outbox import periodic
from waiban.outbox.models import OutboxMessage
from waiban.outbox.registry import outbox_handler, periodic_job

KEEP_DONE = dt.timedelta(days=30)  # long enough to answer "did it run?"; failed rows stay
KEEP_TASK_RESULTS = dt.timedelta(days=7)  # the queue's own rows; the outbox row is the record

outbox_handler(periodic.PERIODIC_TOPIC)(periodic.periodic_job_run)


@periodic_job("outbox.prune", daily_at="03:30")
def outbox_prune() -> int:
    now = timezone.now()
    deleted, _ = OutboxMessage.objects.filter(
        state=OutboxMessage.State.DONE, done_at__lt=now - KEEP_DONE
    ).delete()
    DBTaskResult.objects.finished().filter(finished_at__lt=now - KEEP_TASK_RESULTS).delete()
    return deleted
