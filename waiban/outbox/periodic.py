"""Periodic jobs without cron: every worker asks, every ~30 s, which jobs are due.

A job's period is a day (``daily_at``: the day whose run time has passed most recently) or an
interval (``every``: the n-th interval since the epoch). Claiming a period locks the job's row
and records the period, so among any number of workers one claims it; the run itself is an
outbox message keyed by job and period, so it is retried on failure and never run twice for
one period. A job registered for the first time runs at the next sweep (catching up its
latest period), then at its time.
"""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks_db.utils import exclusive_transaction

from waiban.outbox.models import PeriodicJob
from waiban.outbox.registry import JOBS, PeriodicJobSpec
from waiban.outbox.services import _locked, outbox_add

log = logging.getLogger(__name__)
PERIODIC_TOPIC = "outbox.periodic_job"


def job_period(spec: PeriodicJobSpec, now: dt.datetime) -> str:
    if spec.every is not None:
        return f"every-{int(now.timestamp() // spec.every.total_seconds())}"
    local = timezone.localtime(now)
    day = local.date() if local.time() >= spec.daily_at else local.date() - dt.timedelta(days=1)
    return day.isoformat()


def periodic_jobs_run_due(*, now=None) -> list[str]:
    """Start every registered job whose current period has not been claimed; their names."""
    now = now or timezone.now()
    started = []
    for spec in JOBS.values():
        period = job_period(spec, now)
        with exclusive_transaction():
            PeriodicJob.objects.get_or_create(name=spec.name)
            job = _locked(PeriodicJob.objects.filter(name=spec.name)).first()
            if job is None or job.last_period == period:
                continue  # another worker holds it, or this period is claimed already
            job.last_period = period
            job.last_run_at = now
            job.save(update_fields=["last_period", "last_run_at"])
            outbox_add(
                topic=PERIODIC_TOPIC,
                key=f"periodic:{spec.name}:{period}",
                payload={"name": spec.name},
            )
        started.append(spec.name)
    return started


def periodic_job_run(*, name: str) -> None:
    spec = JOBS.get(name)
    if spec is None:  # the job was removed from the code since the message was written
        log.warning("periodic job %s is no longer registered", name)
        return
    spec.function()
