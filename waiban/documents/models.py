"""Signing keys, issued documents (immutable versions), revocations and trust bundle releases."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waiban.core.models import AppendOnlyModel


class DocumentKind(models.TextChoices):
    APPROVAL = "approval", _("Approval document")
    TASK_FORM = "task_form", _("Task approval form")
    PASSPORT_FORM = "passport_form", _("Passport application form")
    VISA_NOTE = "visa_note", _("Visa note")


class SigningKey(models.Model):
    """A root or signer key. The certificate is public; the private key is an encrypted PEM file
    in ``DOCUMENT_KEYS_DIR``, so a database dump never carries a usable signing key."""

    class Role(models.TextChoices):
        ROOT = "root", _("Root")
        SIGNER = "signer", _("Signer")

    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    kid = models.CharField(_("key id"), max_length=16, unique=True)
    algorithm = models.CharField(_("algorithm"), max_length=16, default="ES256")
    certificate = models.TextField(_("certificate (PEM)"))
    key_file = models.CharField(max_length=100)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    is_active = models.BooleanField(_("in use"), default=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self):
        return f"{self.get_role_display()} {self.kid}"


class Document(AppendOnlyModel):
    """One version of one document of a delegation. Never changed: a re-issue is a new row.

    The approval document and the task form are one series per delegation and kind; a passport
    application form is one series per production request (``production_request`` is set for
    that kind only), still linked to its delegation so that cancelling the trip revokes it.
    """

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="documents"
    )
    production_request = models.ForeignKey(
        "passports.ProductionRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # A visa note (照会) is one series per embassy batch (waiban.visas), set for that kind only.
    visa_batch = models.ForeignKey(
        "visas.VisaBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    issuer_code = models.CharField(_("issuing office code"), max_length=12)
    number = models.CharField(_("document number"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(upload_to="documents/%Y/%m/")
    editable_file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    content_hash = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    signer_kid = models.CharField(_("signer key id"), max_length=16)
    qr_text = models.TextField()
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_code", "number", "version"], name="uniq_document_version"
            ),
            models.UniqueConstraint(
                fields=["delegation", "kind", "version"],
                condition=Q(production_request__isnull=True, visa_batch__isnull=True),
                name="uniq_document_kind_version",
            ),
            models.UniqueConstraint(
                fields=["visa_batch", "version"],
                condition=Q(visa_batch__isnull=False),
                name="uniq_batch_document_version",
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.VISA_NOTE, visa_batch__isnull=False)
                | (~Q(kind=DocumentKind.VISA_NOTE) & Q(visa_batch__isnull=True)),
                name="document_batch_iff_visa_note",
            ),
            models.UniqueConstraint(
                fields=["production_request", "version"],
                condition=Q(production_request__isnull=False),
                name="uniq_request_document_version",
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.PASSPORT_FORM, production_request__isnull=False)
                | (~Q(kind=DocumentKind.PASSPORT_FORM) & Q(production_request__isnull=True)),
                name="document_request_iff_passport_form",
            ),
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.number} v{self.version}"

    @property
    def document_id(self) -> str:
        return f"{self.number}#{self.version}"

    @property
    def is_revoked(self) -> bool:
        return hasattr(self, "revocation")


class DocumentRevocation(AppendOnlyModel):
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="revocation")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)


class TrustBundleRelease(AppendOnlyModel):
    """Each published trust bundle, signed by the root; the newest one is served."""

    sequence = models.PositiveIntegerField(unique=True)
    issued_at = models.DateTimeField()
    data = models.BinaryField()
    signer_count = models.PositiveSmallIntegerField()
    revoked_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sequence"]
