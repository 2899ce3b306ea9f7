"""Visa regimes (a versioned table per edition of the MFA's list), embassies, and the embassy
batches with their applications (one per passport) and history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from waiban.core.crypto import EncryptedTextField
from waiban.core.models import AppendOnlyModel
from waiban.passports.states import Kind
from waiban.visas.states import BatchState, Condition, Entries, Regime, Result


class RegimeEdition(models.Model):
    """One edition of the visa regime table, loaded from a file (``visa_regimes_load``). The
    newest loaded edition is the current one; the older ones stay, as the table's history."""

    name = models.CharField(_("edition"), max_length=100)
    source = models.CharField(_("source"), max_length=300)
    published_on = models.DateField(_("published on"))
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = _("visa regime edition")
        verbose_name_plural = _("visa regime editions")

    def __str__(self):
        return f"{self.name} ({self.published_on})"


class VisaRegime(models.Model):
    """What one passport kind needs to enter one country, from when to when, per edition."""

    edition = models.ForeignKey(
        RegimeEdition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="rows"
    )
    country = CountryField(_("country or region"))
    passport_kind = models.CharField(_("passport kind"), max_length=20, choices=Kind.choices)
    regime = models.CharField(_("regime"), max_length=16, choices=Regime.choices)
    max_stay_days = models.PositiveSmallIntegerField(
        _("maximum stay (days)"), null=True, blank=True
    )
    condition = models.CharField(
        _("checked condition"), max_length=30, choices=Condition.choices, blank=True
    )
    conditions = models.TextField(_("conditions"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # The row was transcribed without a check against the published list: the office verifies.
    to_verify = models.BooleanField(_("to be verified"), default=False)

    class Meta:
        ordering = ["country", "passport_kind", "valid_from"]
        indexes = [models.Index(fields=["edition", "country", "passport_kind"])]
        verbose_name = _("visa regime")
        verbose_name_plural = _("visa regimes")

    def __str__(self):
        return f"{self.country.code} {self.passport_kind}: {self.regime}"


class Embassy(models.Model):
    """A foreign embassy or consulate in China that takes the office's visa applications."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        CONSULATE = "consulate", _("Consulate general")

    country = CountryField(_("country"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EMBASSY)
    city = models.CharField(_("city"), max_length=50)
    jurisdiction = models.CharField(
        _("consular district"),
        max_length=300,
        blank=True,
        help_text=_("The provinces it serves, e.g. 广东、广西、福建、海南. Empty: all of China."),
    )
    via_mfa = models.BooleanField(
        _("through the MFA"),
        default=False,
        help_text=_("The office sends these applications through the Ministry of Foreign Affairs."),
    )
    default_lead_days = models.PositiveSmallIntegerField(
        _("default lead time (days)"),
        default=15,
        help_text=_(
            "Days from sending the passports to their return, until the office's own history says otherwise."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["country", "kind", "city"]
        verbose_name = _("embassy or consulate")
        verbose_name_plural = _("embassies and consulates")

    def __str__(self):
        return self.name


class VisaBatch(models.Model):
    """One delegation's passports for one embassy: sent together, with one visa note."""

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="visa_batches"
    )
    embassy = models.ForeignKey(Embassy, on_delete=models.PROTECT, related_name="batches")
    state = models.CharField(
        _("state"), max_length=12, choices=BatchState.choices, default=BatchState.PREPARING
    )
    version = models.PositiveIntegerField(default=1)
    courier = models.CharField(_("courier"), max_length=100, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    expected_back = models.DateField(_("expected back"), null=True, blank=True)
    back_on = models.DateField(_("back on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open batch per trip and embassy: a second is a mistake, not a new round.
            models.UniqueConstraint(
                fields=["delegation", "embassy"],
                condition=Q(state__in=["preparing", "sent"]),
                name="uniq_open_visa_batch",
            )
        ]
        indexes = [models.Index(fields=["state", "expected_back"])]
        verbose_name = _("visa batch")
        verbose_name_plural = _("visa batches")

    def __str__(self):
        return f"{self.delegation.case_number or self.delegation_id} → {self.embassy}"


class VisaApplication(models.Model):
    """One member's passport in a batch, and what the embassy decided."""

    batch = models.ForeignKey(VisaBatch, on_delete=models.CASCADE, related_name="applications")
    member = models.ForeignKey(
        "visits.DelegationMember", on_delete=models.PROTECT, related_name="visa_applications"
    )
    passport = models.ForeignKey(
        "passports.Passport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    passport_kind = models.CharField(_("passport kind"), max_length=20, choices=Kind.choices)
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    # The visa's own number is personal data too: encrypted, never in a URL or a log.
    visa_number = EncryptedTextField(_("visa number"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    entries = models.CharField(_("entries"), max_length=10, choices=Entries.choices, blank=True)
    stay_days = models.PositiveSmallIntegerField(_("stay (days)"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "member"], name="uniq_visa_member_per_batch")
        ]


class VisaBatchEvent(AppendOnlyModel):
    """Append-only history of a batch (and of each result recorded in it)."""

    batch = models.ForeignKey(VisaBatch, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12, choices=BatchState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=BatchState.choices, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        from waiban.visas.states import event_label

        return event_label(self.action)
