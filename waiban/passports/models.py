"""Official passports, their custody history, loans to delegations and production requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waiban.core.crypto import EncryptedTextField, mask
from waiban.core.models import AppendOnlyModel
from waiban.passports.states import Kind, Status


class Passport(models.Model):
    """One official passport or permit. The status is on the row; history is PassportEvent."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("holder"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        "accounts.Authority", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Personal data: encrypted, found through the blind index, never in URLs or logs.
    number = EncryptedTextField(_("passport number"), blank=True)
    number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    replaces = models.ForeignKey(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT
    )
    lost_on = models.DateField(_("reported lost on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_hash"], condition=~Q(number_hash=""), name="uniq_passport_number"
            )
        ]
        indexes = [models.Index(fields=["person", "kind", "status"])]
        verbose_name = _("passport")
        verbose_name_plural = _("passports")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number_masked or '—'}"

    @property
    def number_masked(self) -> str:
        return mask(self.number, keep_start=2, keep_end=2)


class PassportEvent(AppendOnlyModel):
    passport = models.ForeignKey(Passport, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    delegation = models.ForeignKey(
        "visits.Delegation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class Loan(models.Model):
    """A passport lent out for one trip: who took it, when, and when it is due back."""

    passport = models.ForeignKey(Passport, on_delete=models.PROTECT, related_name="loans")
    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="passport_loans"
    )
    taken_by = models.CharField(_("taken by"), max_length=100)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lent_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("due back"))
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["passport"], condition=Q(returned_at__isnull=True), name="uniq_open_loan"
            )
        ]


class ProductionRequest(models.Model):
    """A request to produce (or renew) a member's passport for an approved delegation."""

    class Reason(models.TextChoices):
        NEW = "new", _("New passport")
        RENEWAL = "renewal", _("Renewal")

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="passport_requests"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    passport = models.OneToOneField(
        Passport, on_delete=models.PROTECT, related_name="production_request"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    photo = models.FileField(upload_to="passport-photos/%Y/%m/", blank=True)
    photo_uploaded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
