"""Control lists (不准出境, 外逃人员, 登记备案人员 …), their versioned imports, and screening hits.

An ID number is never stored: an entry keeps only its keyed hash (the same blind index as
``Person.id_number_hash``), which is all an exact match needs. Names are kept as written and,
beside them, the spelling-independent keys of ``waiban.watchlists.names``, indexed together
with the birth date so that screening a delegation is one indexed query whatever the lists' size.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.core.models import AppendOnlyModel


class ListKind(models.TextChoices):
    NOT_ALLOWED_TO_EXIT = "not_allowed_to_exit", _("Not allowed to exit (不准出境)")
    FUGITIVE = "fugitive", _("Fugitives (外逃人员)")
    REGISTERED = "registered", _("Registered personnel needing approval (登记备案人员)")
    OTHER = "other", _("Other control list")


class ControlList(models.Model):
    authority = models.ForeignKey(
        "accounts.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="control_lists",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ListKind.choices)
    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("current version"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["authority_id", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="uniq_control_list_name")
        ]
        verbose_name = _("control list")
        verbose_name_plural = _("control lists")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class ListImport(models.Model):
    """One uploaded version of a list: who, when, which file, what changed.

    Written once, in the transaction of the import; never edited afterwards.
    """

    control_list = models.ForeignKey(ControlList, on_delete=models.PROTECT, related_name="imports")
    version = models.PositiveIntegerField(_("version"))
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    restored = models.PositiveIntegerField(_("restored"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deactivated = models.PositiveIntegerField(_("deactivated"), default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["control_list", "version"], name="uniq_list_import_version"
            )
        ]
        verbose_name = _("control list import")
        verbose_name_plural = _("control list imports")

    def __str__(self):
        return f"list #{self.control_list_id} v{self.version}"


class ListEntry(models.Model):
    control_list = models.ForeignKey(ControlList, on_delete=models.PROTECT, related_name="entries")
    name = models.CharField(_("name as written"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Spelling-independent name keys joined to the birth date (names.with_birth): one indexed
    # equality per key, no cross product of names and dates. "" without a birth date.
    zh_birth_key = models.CharField(max_length=120, blank=True, editable=False)
    pinyin_birth_key = models.CharField(max_length=220, blank=True, editable=False)
    # Which row of a new version is this entry: the ID hash, or the keys and birth date.
    identity = models.CharField(max_length=80, editable=False)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    added_in = models.ForeignKey(ListImport, on_delete=models.PROTECT, related_name="+")
    last_seen_in = models.ForeignKey(ListImport, on_delete=models.PROTECT, related_name="+")
    removed_in = models.ForeignKey(
        ListImport, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["control_list", "identity"], name="uniq_list_entry_identity"
            )
        ]
        indexes = [
            # The three screening look-ups; inactive entries are left out of the indexes (the
            # conditions are ones PostgreSQL can prove from the screening query's own).
            models.Index(
                fields=["id_number_hash"],
                name="wl_entry_idhash",
                condition=models.Q(is_active=True),
            ),
            models.Index(
                fields=["zh_birth_key"],
                name="wl_entry_zh_birth",
                condition=models.Q(is_active=True),
            ),
            models.Index(
                fields=["pinyin_birth_key"],
                name="wl_entry_py_birth",
                condition=models.Q(is_active=True),
            ),
            models.Index(fields=["control_list", "is_active", "name"], name="wl_entry_list"),
        ]
        verbose_name = _("control list entry")
        verbose_name_plural = _("control list entries")

    def __str__(self):
        return f"{self.name} ({self.birth_date or '—'})"

    @property
    def has_id_number(self) -> bool:
        return bool(self.id_number_hash)


class EntryChange(AppendOnlyModel):
    """What one import did to one entry: the list's history, row by row."""

    class Change(models.TextChoices):
        ADDED = "added", _("Added")
        RESTORED = "restored", _("Restored")
        UPDATED = "updated", _("Updated")
        DEACTIVATED = "deactivated", _("Deactivated")

    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="changes")
    list_import = models.ForeignKey(ListImport, on_delete=models.PROTECT, related_name="changes")
    change = models.CharField(max_length=12, choices=Change.choices)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["list_import", "change"])]


class Severity(models.TextChoices):
    BLOCK = "block", _("Block")
    WARN = "warn", _("Warn")


class MatchKind(models.TextChoices):
    EXACT = "exact", _("ID number matches")
    FUZZY = "fuzzy", _("Name and birth date match")


class ScreeningHit(models.Model):
    """A traveller of a case matched a control-list entry; a reviewer decides what it means."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLEARED = "cleared", _("Cleared (not the listed person)")
        CONFIRMED = "confirmed", _("Confirmed")

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.CASCADE, related_name="screening_hits"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="screening_hits"
    )
    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="hits")
    kind = models.CharField(_("match"), max_length=8, choices=MatchKind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "person", "entry"], name="uniq_screening_hit"
            )
        ]
        indexes = [models.Index(fields=["status", "delegation"], name="wl_hit_status")]
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")

    def __str__(self):
        # No names: this text lands in the audit trail's object column.
        return f"screening hit #{self.pk} ({self.kind})"


class ScreeningHitEvent(AppendOnlyModel):
    """Append-only history of a hit: who found or decided it, when, why (office eyes only)."""

    hit = models.ForeignKey(ScreeningHit, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=10, choices=ScreeningHit.Status.choices)
    to_status = models.CharField(max_length=10, choices=ScreeningHit.Status.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
