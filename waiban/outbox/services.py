"""Writes of the outbox: add a message, deliver it, sweep, retry.

Life of a message: ``outbox_add`` writes it in the caller's transaction and queues a delivery
task when that transaction commits. ``outbox_deliver`` claims it (pending → running, a short
transaction of its own), runs the handler in a transaction, and marks it done; a handler that
raises puts it back to pending with an exponential back-off, or to failed after
``max_attempts``. django-tasks never retries, so the sweeper (``outbox_sweep``, run by every
worker every ~30 s) queues again what is due: retries whose back-off has passed, messages whose
task was lost, and messages left running by a worker that died.
"""

import datetime as dt
import logging
import traceback
from functools import partial
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.utils import exclusive_transaction

from waiban.core.audit import audit_record
from waiban.core.errors import ServiceError
from waiban.outbox.models import OutboxMessage
from waiban.outbox.registry import handler_for

log = logging.getLogger(__name__)
State = OutboxMessage.State

BACKOFF_BASE = dt.timedelta(seconds=30)  # the sweeper runs every ~30 s: no finer retries
BACKOFF_MAX = dt.timedelta(hours=6)
# A queued message not delivered by then lost its task (the queue row was pruned, the enqueue
# failed after the commit): the sweeper queues it again. Delivery is idempotent either way.
REQUEUE_AFTER = dt.timedelta(minutes=5)
# A message running this long belongs to a worker that died; handlers must finish well within.
STUCK_AFTER = dt.timedelta(minutes=15)
SWEEP_BATCH = 500


def _locked(queryset):
    """Lock the rows; on PostgreSQL skip those another worker holds instead of waiting for them.
    (SQLite has no row locks: ``exclusive_transaction`` serialises the writers instead.)"""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()


def _enqueue(message_ids) -> None:
    """Queue one delivery task per message. Runs after the commit, where a failure must not
    turn a committed request into an error page: the sweeper will queue the message again."""
    from waiban.outbox.tasks import deliver

    for message_id in message_ids:
        try:
            deliver.enqueue(message_id)
        except Exception:
            log.exception("queueing outbox message %s failed; the sweeper retries", message_id)


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, 4 min … at most 6 h: eight attempts span about an hour."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def describe_error(error: BaseException) -> str:
    """The exception's class, stable code and where it was raised — not its message, which may
    quote personal data (a name in an integrity error); the full text goes to the log only."""
    kind = f"{type(error).__module__}.{type(error).__qualname__}"
    code = getattr(error, "code", None)
    if isinstance(code, str):
        kind += f" [{code}]"
    frames = traceback.extract_tb(error.__traceback__)
    if frames:
        last = frames[-1]
        kind += f" at {Path(last.filename).name}:{last.lineno} in {last.name}"
    return kind[:500]


def outbox_add(*, topic: str, key: str, payload: dict, run_after=None) -> OutboxMessage:
    """Write a side effect of the current change, to be delivered once the change commits.

    Call it inside the transaction of the change: the message commits or rolls back with it.
    ``key`` is unique: a second call with the same key adds nothing and returns the first
    message. ``payload`` holds ids, not personal data; the handler of ``topic`` is called
    with it as keyword arguments. ``run_after`` (an aware datetime) delays the delivery; the
    sweeper queues a delayed message when it is due.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_add() must run inside the transaction of the change")
    handler_for(topic)  # an unknown topic fails the change now, not the delivery later
    now = timezone.now()
    later = run_after is not None and run_after > now
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "topic": topic,
            "payload": payload,
            "next_attempt_at": run_after if later else now,
            "enqueued_at": None if later else now,
            "created_at": now,
        },
    )
    if created and not later:
        transaction.on_commit(partial(_enqueue, [message.pk]))
    return message


def outbox_add_many(*, topic: str, rows) -> int:
    """``outbox_add`` for many messages of one topic in two queries: ``rows`` are (key,
    payload, run_after). Keys already written are left as they are. Returns how many rows
    were new."""
    if not rows:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_add_many() must run inside the transaction of the change")
    handler_for(topic)
    now = timezone.now()
    messages = []
    for key, payload, run_after in rows:
        later = run_after is not None and run_after > now
        messages.append(
            OutboxMessage(
                topic=topic,
                key=key,
                payload=payload,
                next_attempt_at=run_after if later else now,
                enqueued_at=None if later else now,
                created_at=now,
            )
        )
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    # The rows written now (a key written before keeps its own created_at).
    written = list(
        OutboxMessage.objects.filter(key__in=[m.key for m in messages], created_at=now).values_list(
            "pk", "enqueued_at"
        )
    )
    due = [pk for pk, enqueued_at in written if enqueued_at is not None]
    if due:
        transaction.on_commit(partial(_enqueue, due))
    return len(written)


def _claim(message_id, now) -> OutboxMessage | None:
    with exclusive_transaction():
        message = _locked(OutboxMessage.objects.filter(pk=message_id)).first()
        # Done or failed: nothing to do. Running: another worker has it. Not yet due: a retry
        # queued early (by hand, or twice); the sweeper queues it again when it is due.
        if message is None or message.state != State.PENDING or message.next_attempt_at > now:
            return None
        message.state = State.RUNNING
        message.started_at = now
        message.enqueued_at = None
        message.attempts += 1  # counted before running, so a worker that dies counts too
        message.save(update_fields=["state", "started_at", "enqueued_at", "attempts"])
        return message


def _record_failure(message, error, now) -> None:
    failed = message.attempts >= message.max_attempts
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=State.FAILED if failed else State.PENDING,
        next_attempt_at=now + backoff(message.attempts),
        last_error=describe_error(error),
    )


def outbox_deliver(*, message_id: int, now=None) -> bool:
    """Run one message's handler if the message is pending and due. True when it succeeded."""
    message = _claim(message_id, now or timezone.now())
    if message is None:
        return False
    try:
        handler = handler_for(message.topic)
        # The handler's writes commit together; a failure leaves none of them behind.
        with transaction.atomic():
            handler(**message.payload)
    except Exception as error:
        log.exception(
            "outbox message %s (%s) failed, attempt %s of %s",
            message.pk,
            message.topic,
            message.attempts,
            message.max_attempts,
        )
        _record_failure(message, error, message.started_at)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=State.DONE, done_at=timezone.now(), last_error=""
    )
    return True


def outbox_deliver_due(*, now=None, limit: int = 1000) -> int:
    """Deliver every pending message that is due, in this process, oldest first; the number
    delivered. For tests and for running without a worker (``manage.py outbox_deliver``)."""
    now = now or timezone.now()
    delivered = 0
    tried = set()
    while len(tried) < limit:
        due = (
            OutboxMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
            .exclude(pk__in=tried)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if due is None:
            break
        tried.add(due)
        delivered += outbox_deliver(message_id=due, now=now)
    return delivered


def outbox_sweep(*, now=None) -> int:
    """Give back what a dead worker held and queue every pending message that is due and not
    queued recently. Safe in any number of workers at once. Returns how many were queued."""
    now = now or timezone.now()
    with exclusive_transaction():
        stuck = list(
            _locked(
                OutboxMessage.objects.filter(state=State.RUNNING, started_at__lt=now - STUCK_AFTER)
            ).values_list("pk", "attempts", "max_attempts")[:SWEEP_BATCH]
        )
        spent = [pk for pk, attempts, most in stuck if attempts >= most]
        interrupted = "interrupted: the worker stopped while running it"
        OutboxMessage.objects.filter(pk__in=spent).update(
            state=State.FAILED, last_error=interrupted
        )
        OutboxMessage.objects.filter(pk__in=[s[0] for s in stuck if s[0] not in spent]).update(
            state=State.PENDING, next_attempt_at=now, enqueued_at=None, last_error=interrupted
        )
        due = list(
            _locked(
                OutboxMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
                .filter(Q(enqueued_at=None) | Q(enqueued_at__lte=now - REQUEUE_AFTER))
                .order_by("next_attempt_at", "pk")
            ).values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        OutboxMessage.objects.filter(pk__in=due).update(enqueued_at=now)
        transaction.on_commit(partial(_enqueue, due))
    return len(due)


def outbox_retry(*, message, actor) -> OutboxMessage:
    """An administrator gives a failed message a fresh set of attempts, starting now."""
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.state not in (State.FAILED, State.PENDING):
            raise ServiceError(
                "not_retryable", _("Only a failed or waiting message can be retried.")
            )
        old = {"state": locked.state, "attempts": locked.attempts}
        now = timezone.now()
        locked.state = State.PENDING
        locked.attempts = 0
        locked.next_attempt_at = now
        locked.enqueued_at = now
        locked.save(update_fields=["state", "attempts", "next_attempt_at", "enqueued_at"])
        audit_record(
            actor=actor,
            action="outbox.retry",
            obj=locked,
            old=old,
            new={"state": locked.state, "attempts": 0},
        )
        transaction.on_commit(partial(_enqueue, [locked.pk]))
        return locked
