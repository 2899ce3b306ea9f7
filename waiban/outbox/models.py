"""The outbox: one row per side effect, written in the same transaction as the change.

A message is delivered by the worker (``waiban.outbox.tasks``); the row keeps what django-tasks
lacks — attempts, back-off, the last error — so a failure is retried and finally shown to the
administrators instead of being lost.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_ATTEMPTS = 8


class OutboxMessage(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    topic = models.CharField(_("topic"), max_length=100)
    # Unique: writing the same side effect twice (a retried request, a re-run job) adds nothing.
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    # Ids and flags only: the handler reads the data itself, so no personal data sits here.
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("max attempts"), default=DEFAULT_MAX_ATTEMPTS)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # When a delivery task was last queued for it: the sweeper queues a pending message again
    # only when none was queued recently, so a message is not queued twice in the normal case.
    enqueued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The exception's class, code and place — never its text, which may quote personal data.
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper's two scans: pending by due time, running by start time.
            models.Index(fields=["state", "next_attempt_at"], name="outbox_state_due"),
            models.Index(fields=["state", "started_at"], name="outbox_state_started"),
        ]

    def __str__(self):
        return f"{self.topic} {self.key}"


class PeriodicJob(models.Model):
    """One row per registered job: which period it last ran for. Claiming a period locks the
    row, so with several workers a job still runs once per period."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_period = models.CharField(_("last period"), max_length=40, blank=True)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self):
        return self.name
