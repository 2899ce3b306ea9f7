"""Notices: the in-app inbox, each user's channels and quiet hours, the office's routes (who is
told of which move, through which channels) and the log of what went out by e-mail or SMS."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.core.crypto import EncryptedTextField


class Channel(models.TextChoices):
    INBOX = "inbox", _("In the app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Notice(models.Model):
    """One message in a user's inbox; ``key`` makes sending idempotent (outbox pattern)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text of the notice"), blank=True)
    # Where the work is done (a path of this site, never personal data).
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


class NoticePreference(models.Model):
    """A user's channels besides the inbox, the mobile number for SMS, and SMS quiet hours."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    email_on = models.BooleanField(_("by e-mail"), default=True)
    sms_on = models.BooleanField(_("by SMS"), default=True)
    mobile = EncryptedTextField(_("mobile phone for SMS"), blank=True)
    # Whether a mobile number is set, readable without decrypting it (when notices are routed).
    has_mobile = models.BooleanField(default=False, editable=False)
    quiet_from = models.TimeField(_("no SMS from"), default=dt.time(22, 0))
    quiet_until = models.TimeField(_("no SMS until"), default=dt.time(7, 30))

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def save(self, *args, **kwargs):
        self.has_mobile = bool((self.mobile or "").strip())
        super().save(*args, **kwargs)

    def is_quiet(self, moment: dt.time) -> bool:
        start, end = self.quiet_from, self.quiet_until
        if start == end:
            return False
        if start < end:
            return start <= moment < end
        return moment >= start or moment < end  # over midnight


class NoticeRoute(models.Model):
    """The office's choice for one move and one audience, replacing the default channels
    (waiban.notices.routing.DEFAULT_CHANNELS). No row: the default."""

    workflow = models.CharField(_("workflow"), max_length=40)
    action = models.CharField(_("move"), max_length=40)
    audience = models.CharField(_("who is told"), max_length=40)
    inbox = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)

    class Meta:
        verbose_name = _("notice route")
        verbose_name_plural = _("notice routes")
        ordering = ["workflow", "action", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "action", "audience"], name="uniq_notice_route"
            )
        ]

    def __str__(self):
        return f"{self.workflow}.{self.action} → {self.audience}"

    @property
    def channels(self) -> frozenset:
        return frozenset(c for c in Channel.values if getattr(self, c))


class NoticeDelivery(models.Model):
    """What went out by e-mail or SMS, once per key: a second delivery of the same outbox
    message (a worker that ran twice, a retry) finds it here and sends nothing."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped (no address)")

    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        ordering = ["-at", "-id"]
