from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or deleted (history, audit)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only")


class AuditEvent(AppendOnlyModel):
    """Who did what to which object, with the values before and after, from where, when.

    ``seq`` and ``chain`` seal the row into the hash chain (waiban.core.audit_chain)."""

    # Set before the row is sealed, not by the database: the chain covers it.
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    old_values = models.JSONField(_("old values"), default=dict, blank=True)
    new_values = models.JSONField(_("new values"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    chain = models.CharField(_("chain"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class HolidayDay(models.Model):
    """The office's own holiday schedule for years the calendar package does not know yet."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("is a working day"),
        help_text=_(
            "Tick for an adjusted working day on a weekend (调休); leave empty for a holiday."
        ),
    )
    name = models.CharField(_("name"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holiday schedule")

    def __str__(self):
        return f"{self.date} {self.name}"


class NumberSequence(models.Model):
    """Per-year counters for human-readable numbers; rows are locked while incremented."""

    name = models.CharField(max_length=32)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="uniq_sequence_year")]
