import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.core.errors import ServiceError
from waiban.core.models import AuditEvent
from waiban.outbox import registry, services
from waiban.outbox.models import OutboxMessage
from waiban.outbox.services import outbox_add, outbox_deliver, outbox_retry, outbox_sweep
from waiban.testing.factories import UserFactory
from waiban.testing.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []


@registry.outbox_handler("tests.record")
def record(**payload):
    CALLS.append(payload)


@registry.outbox_handler("tests.explode")
def explode(**payload):
    raise ServiceError("boom", "personal data such as 张三 never reaches the row")


@pytest.fixture(autouse=True)
def _no_calls():
    CALLS.clear()
    yield
    CALLS.clear()


class Rollback(Exception):
    pass


def test_the_message_is_written_in_the_callers_transaction_and_rolled_back_with_it():
    with pytest.raises(Rollback), transaction.atomic():
        outbox_add(topic="tests.record", key="k-1", payload={"n": 1})
        raise Rollback
    assert not OutboxMessage.objects.exists()


def test_outbox_add_refuses_to_run_outside_a_transaction(monkeypatch):
    monkeypatch.setattr(
        transaction.get_connection(), "in_atomic_block", False, raising=False
    )  # as in autocommit, outside any atomic block
    with pytest.raises(RuntimeError):
        outbox_add(topic="tests.record", key="k-2", payload={})


def test_an_unknown_topic_fails_the_change_at_once():
    with pytest.raises(registry.UnknownTopic):
        outbox_add(topic="tests.typo", key="k-3", payload={})


def test_it_is_delivered_when_the_change_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox_add(topic="tests.record", key="k-4", payload={"n": 4})
    assert CALLS == [] and message.state == "pending"
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert CALLS == [{"n": 4}]
    assert message.state == "done" and message.attempts == 1 and message.done_at


def test_the_same_key_adds_nothing_the_second_time(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_add(topic="tests.record", key="k-5", payload={"n": 1})
        second = outbox_add(topic="tests.record", key="k-5", payload={"n": 2})
    assert first.pk == second.pk and OutboxMessage.objects.count() == 1
    assert CALLS == [{"n": 1}]


def test_a_done_message_is_not_run_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_add(topic="tests.record", key="k-6", payload={})
    assert outbox_deliver(message_id=message.pk) is False
    assert deliver_outbox() == 0
    assert len(CALLS) == 1


def test_a_failing_handler_is_retried_with_back_off_and_fails_after_its_attempts(
    django_capture_on_commit_callbacks,
):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_add(topic="tests.explode", key="k-7", payload={})
    message.refresh_from_db()
    assert message.state == "pending" and message.attempts == 1
    assert message.next_attempt_at >= start + dt.timedelta(seconds=30)
    # The class, the code and the place; never the message, which may hold personal data.
    assert "ServiceError [boom]" in message.last_error and "张三" not in message.last_error
    assert deliver_outbox() == 0  # not due yet: nothing runs before the back-off
    message.refresh_from_db()
    assert message.attempts == 1

    waits = [message.next_attempt_at - start]
    for _ in range(message.max_attempts - 1):
        deliver_outbox(now=message.next_attempt_at)
        message.refresh_from_db()
        waits.append(message.next_attempt_at - start)
    assert message.state == "failed" and message.attempts == message.max_attempts
    assert waits == sorted(waits) and waits[2] - waits[1] > waits[1] - waits[0]  # exponential


def test_the_back_off_doubles_and_is_capped():
    assert services.backoff(1) == dt.timedelta(seconds=30)
    assert services.backoff(2) == dt.timedelta(seconds=60)
    assert services.backoff(30) == dt.timedelta(hours=6)


def test_the_sweeper_queues_due_messages_again_and_leaves_the_others(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        due = outbox_add(topic="tests.record", key="due", payload={"n": "due"})
        outbox_add(
            topic="tests.record",
            key="later",
            payload={"n": "later"},
            run_after=now + dt.timedelta(hours=1),
        )
    # The first task was lost (never run): after REQUEUE_AFTER the sweeper queues it again.
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=now) == 0  # queued a moment ago: not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=now + services.REQUEUE_AFTER + dt.timedelta(seconds=5)) == 1
    assert CALLS == [{"n": "due"}]
    due.refresh_from_db()
    assert due.state == "done"
    assert OutboxMessage.objects.get(key="later").state == "pending"


def test_the_sweeper_gives_back_a_message_left_running_by_a_dead_worker(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        message = outbox_add(topic="tests.record", key="stuck", payload={})
    started = timezone.now() - services.STUCK_AFTER - dt.timedelta(minutes=1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        state="running", started_at=started, attempts=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep() == 1
    message.refresh_from_db()
    assert message.state == "done" and message.attempts == 2 and len(CALLS) == 1


def test_the_system_administrator_retries_a_failed_message_and_it_is_audited(
    django_capture_on_commit_callbacks,
):
    admin = UserFactory(role=Role.SYS_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_add(topic="tests.record", key="k-8", payload={"n": 8})
    with pytest.raises(ServiceError):  # done: nothing to retry
        outbox_retry(message=message, actor=admin)
    OutboxMessage.objects.filter(pk=message.pk).update(state="failed", attempts=8)
    with django_capture_on_commit_callbacks(execute=True):
        outbox_retry(message=message, actor=admin)
    message.refresh_from_db()
    assert message.state == "done" and message.attempts == 1 and len(CALLS) == 2
    assert AuditEvent.objects.get(action="outbox.retry").actor == admin


def test_the_admin_shows_messages_to_the_system_and_audit_administrators_read_only(client):
    message = OutboxMessage.objects.create(topic="tests.record", key="k-9", state="failed")
    url = f"/admin/outbox/outboxmessage/{message.pk}/change/"
    for role, may_retry in [(Role.SYS_ADMIN, True), (Role.AUDIT_ADMIN, False)]:
        client.force_login(UserFactory(role=role, is_staff=True))
        assert client.get(url).status_code == 200
        listing = client.get("/admin/outbox/outboxmessage/")
        assert listing.status_code == 200
        assert (b'value="retry"' in listing.content) is may_retry
        response = client.post(url, {"state": "done"})
        assert response.status_code == 403
    client.force_login(UserFactory(role=Role.SECURITY_ADMIN, is_staff=True))
    assert client.get(url).status_code == 403
    message.refresh_from_db()
    assert message.state == "failed"
