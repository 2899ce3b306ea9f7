"""Rule parameters as versioned data, and the findings recorded on a delegation at submission."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.core.models import AppendOnlyModel


class Severity(models.TextChoices):
    BLOCK = "block", _("Blocks submission")
    WARN = "warn", _("Needs a justification")
    INFO = "info", _("For information")


def rule_choices():
    from waiban.rules.engine import REGISTRY

    return [(code, rule.title) for code, rule in REGISTRY.items()]


class RuleVersion(AppendOnlyModel):
    """One version of one rule's parameters. A change is a new row, never an edit, so a case is
    always judged, and later shown, by the version in force on the day it was submitted."""

    authority = models.ForeignKey(
        "accounts.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the default for every authority without its own version."),
    )
    rule = models.CharField(_("rule"), max_length=32, choices=rule_choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    params = models.JSONField(_("parameters"), default=dict)
    source = models.CharField(_("source document"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    note = models.TextField(_("what changed and why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["rule", "-effective_from", "-created_at", "-id"]
        indexes = [models.Index(fields=["rule", "authority", "effective_from"])]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")

    def __str__(self):
        return f"{self.rule} {self.effective_from} ({self.source})"


class Finding(AppendOnlyModel):
    """A rule's finding on a delegation, recorded at (re)submission with the version used."""

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="rule_findings"
    )
    round = models.PositiveSmallIntegerField(
        help_text=_("1 for the submission, +1 per resubmission")
    )
    rule = models.CharField(_("rule"), max_length=32)
    key = models.CharField(max_length=80)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    message_key = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    data = models.JSONField(default=dict)
    message = models.TextField(_("message"))
    rule_version = models.ForeignKey(
        RuleVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule_params = models.JSONField(default=dict)
    rule_source = models.CharField(max_length=200)
    justification = models.TextField(_("justification"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        indexes = [models.Index(fields=["delegation", "round"])]
        verbose_name = _("rule finding")
        verbose_name_plural = _("rule findings")

    def __str__(self):
        return f"{self.rule} [{self.severity}] #{self.delegation_id}"
