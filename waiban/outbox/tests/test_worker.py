import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from waiban.documents.models import Document
from waiban.outbox import registry
from waiban.outbox.models import OutboxMessage, PeriodicJob
from waiban.outbox.periodic import periodic_jobs_run_due
from waiban.outbox.services import outbox_add
from waiban.testing.factories import DelegationFactory
from waiban.testing.outbox import deliver_outbox

RUNS: list[str] = []
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@registry.outbox_handler("tests.worker_record")
def worker_record(*, n):
    RUNS.append(f"message {n}")


@pytest.fixture
def daily_job():
    RUNS.clear()
    registry.periodic_job("tests.daily", daily_at="06:00")(lambda: RUNS.append("daily"))
    yield
    del registry.JOBS["tests.daily"]
    RUNS.clear()


@pytest.mark.django_db
def test_a_periodic_job_runs_once_a_day_however_often_the_workers_ask(
    daily_job, django_capture_on_commit_callbacks
):
    morning = dt.datetime(2026, 3, 2, 6, 30, tzinfo=SHANGHAI)
    with django_capture_on_commit_callbacks(execute=True):
        assert "tests.daily" in periodic_jobs_run_due(now=morning)
    with django_capture_on_commit_callbacks(execute=True):  # a second worker, or 30 s later
        assert "tests.daily" not in periodic_jobs_run_due(now=morning + dt.timedelta(hours=5))
    assert RUNS == ["daily"]
    assert PeriodicJob.objects.get(name="tests.daily").last_period == "2026-03-02"
    next_morning = morning + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert "tests.daily" not in periodic_jobs_run_due(now=next_morning - dt.timedelta(hours=1))
        assert "tests.daily" in periodic_jobs_run_due(now=next_morning)
    assert RUNS == ["daily", "daily"]


def test_the_systems_daily_jobs_are_registered():
    assert {"passports.remind", "passports.loans_refresh", "documents.issue_pending"} <= set(
        registry.JOBS
    )


@pytest.mark.django_db
def test_approving_renders_no_pdf_in_the_request_and_the_document_follows_the_delivery(
    client, signing_keys, unit, staff, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(unit=unit, pending_approval=True)
    client.force_login(staff["division_head"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("visits:action", args=[delegation.pk, "approve"]),
            {"version": delegation.version, "opinion": "同意"},
        )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.state == "approved"
    assert not Document.objects.exists()  # the request wrote a message, not a PDF
    message = OutboxMessage.objects.get(topic="documents.issue_after_approval")
    assert message.state == "pending" and message.payload["delegation_id"] == delegation.pk
    assert callbacks  # the delivery is queued when the approval commits
    deliver_outbox()  # (with the trust bundle's message of the signing keys' set-up)
    assert delegation.documents.count() == 2
    message.refresh_from_db()
    assert message.state == "done"


@pytest.fixture
def signing_keys(db, settings, tmp_path):
    from waiban.documents import keys

    settings.DOCUMENT_KEYS_DIR = tmp_path / "keys"
    keys.root_create()
    keys.signer_rotate()


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_delivers_queued_messages_from_the_database(database_queue):
    """The real loop on the real queue table (SQLite or PostgreSQL, whichever the suite runs
    on): a committed message is queued as a task row, and one round of the worker runs it."""
    from django_tasks_db.models import DBTaskResult

    RUNS.clear()
    with transaction.atomic():
        message = outbox_add(topic="tests.worker_record", key="worker-1", payload={"n": 1})
    assert DBTaskResult.objects.count() == 1 and RUNS == []
    call_command("worker", "--once", "--interval", "0", verbosity=0)
    message.refresh_from_db()
    assert message.state == "done" and RUNS == ["message 1"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    # The same round ran the housekeeping: every periodic job claimed its period.
    assert set(PeriodicJob.objects.values_list("name", flat=True)) == set(registry.JOBS)
    RUNS.clear()
