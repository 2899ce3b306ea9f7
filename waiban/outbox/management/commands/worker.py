"""``manage.py worker``: the background worker — django-tasks-db's ``db_worker`` loop, plus the
outbox's housekeeping (the sweeper and the periodic jobs) every ``--housekeeping-every`` seconds,
in one process. Run as many as needed: they share the queue, which is the database.

It reuses db_worker's ``Worker`` (claiming, running and recording tasks, signal handling) in
batch mode — "run every ready task, then return" — and does the housekeeping between batches
and between tasks, so a busy queue cannot starve the sweeper.
"""

import logging
import random
import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Worker

from waiban.outbox.periodic import periodic_jobs_run_due
from waiban.outbox.services import outbox_sweep

log = logging.getLogger("waiban.outbox.worker")


class OutboxWorker(Worker):
    def __init__(self, *, housekeeping_every: float, **kwargs):
        super().__init__(
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            excluded_queue_names=[],
            **kwargs,
        )
        self.housekeeping_every = housekeeping_every
        self.next_housekeeping = 0.0

    def run_task(self, db_task_result) -> None:
        super().run_task(db_task_result)
        self.housekeeping_if_due()

    def housekeeping_if_due(self) -> None:
        if time.monotonic() < self.next_housekeeping:
            return
        self.next_housekeeping = time.monotonic() + self.housekeeping_every
        # Flagged as a task, so that Ctrl+C lets the sweep finish instead of exiting inside it.
        self.running_task = True
        try:
            close_old_connections()
            queued = outbox_sweep()
            started = periodic_jobs_run_due()
            if queued or started:
                log.info("swept: %s message(s) queued, periodic jobs started: %s", queued, started)
        except DatabaseError:  # the database is away or busy: the next round tries again
            log.exception("outbox housekeeping failed")
        finally:
            self.running_task = False

    def serve(self, *, once: bool = False) -> None:
        while self.running:
            self.housekeeping_if_due()
            if not self.running:
                break
            self.run()  # batch mode: returns once no task is ready
            if once:
                return
            if self.running:
                time.sleep(self.interval)


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds to wait when the queue is empty"
        )
        parser.add_argument(
            "--housekeeping-every",
            type=float,
            default=30.0,
            help="seconds between two runs of the sweeper and the periodic jobs",
        )
        parser.add_argument(
            "--queue-name", default="default", help="queues to serve, comma separated ('*': all)"
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="one round: housekeeping, every ready task, then exit (for tests and cron)",
        )

    def handle(self, *, interval, housekeeping_every, queue_name, once, verbosity, **options):
        self._configure_logging(verbosity)
        worker = OutboxWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            housekeeping_every=housekeeping_every,
            worker_id=get_random_string(32),
        )
        if not once:
            inherited = signal.getsignal(signal.SIGINT)
            worker.configure_signals()
            if inherited == signal.SIG_IGN:
                # Started in the background by a shell (`make run`): Ctrl+C is for the web
                # server, and the shell's trap then stops the worker with one SIGTERM, which
                # lets a task in progress finish (a second signal would cut it short).
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            time.sleep(random.random())  # several workers started together spread out
        log.info("worker %s serving queues %s", worker.worker_id, queue_name)
        worker.serve(once=once)

    def _configure_logging(self, verbosity: int) -> None:
        # One line per task run (django_tasks); the batch loop's own "starting" / "no more
        # tasks" lines (django_tasks_db) would print every second, so only at -v 2.
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in (TASKS_LOGGER, "waiban.outbox"):
            logging.getLogger(name).setLevel(level)
        if verbosity < 2:
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
