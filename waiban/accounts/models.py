from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.accounts.roles import ADMIN_ROLES, OFFICE_ROLES, UNIT_ROLES, ApproverPosition, Role
from waiban.accounts.uscc import uscc_error


class Authority(models.Model):
    """A Foreign Affairs Office: province -> city -> county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"), max_length=12, unique=True, help_text=_("Area code, e.g. 450000")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    handles_subordinate_cases = models.BooleanField(
        _("sees subordinate authorities' cases"),
        default=False,
        help_text=_("Staff of this office also see the cases of the offices below it."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An applying unit (申办单位), identified by its unified social credit code."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="units"
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def clean(self):
        self.uscc = (self.uscc or "").strip().upper()
        error = uscc_error(self.uscc)
        if error:
            raise ValidationError({"uscc": error})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("traveller record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user_account",
        help_text=_("For travellers: their own entry in the registry, to see their trips."),
    )
    approver_position = models.CharField(
        _("approver position"), max_length=20, choices=ApproverPosition.choices, blank=True
    )
    must_change_password = models.BooleanField(
        _("must change the password at next log-in"),
        default=False,
        help_text=_("Set when the security administrator resets the password."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_unit_user(self) -> bool:
        return self.role in UNIT_ROLES

    @property
    def is_office_staff(self) -> bool:
        return self.role in OFFICE_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES

    def clean(self):
        # Only the three administrator roles use the admin site (rights: accounts.permissions).
        self.is_staff = self.role in ADMIN_ROLES or self.is_superuser
        errors = {}
        if self.role in UNIT_ROLES and not self.unit_id:
            errors["unit"] = _("Unit users must belong to a unit.")
        if self.role in OFFICE_ROLES and not self.authority_id:
            errors["authority"] = _("Office staff must belong to an authority.")
        if self.role == Role.APPROVER and not self.approver_position:
            errors["approver_position"] = _("Approvers need a position.")
        if errors:
            raise ValidationError(errors)


class AdminProposal(models.Model):
    """A change to an administrator's account (三权分立): one administrator proposes it, a
    different one confirms it, and only then is it made (waiban.accounts.separation)."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Create an administrator")
        UPDATE = "update", _("Change an administrator")
        RESET_PASSWORD = "reset_password", _("Reset an administrator's password")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second administrator")
        CONFIRMED = "confirmed", _("Confirmed and carried out")
        REFUSED = "refused", _("Refused")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    target = models.ForeignKey(
        User,
        verbose_name=_("administrator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admin_proposals",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The proposed password, hashed as Django stores passwords: never kept in clear.
    password_hash = models.CharField(max_length=128, blank=True)
    proposed_by = models.ForeignKey(
        User, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("administrator change")
        verbose_name_plural = _("administrator changes")

    def __str__(self):
        who = self.target.username if self.target_id else self.username
        return f"{self.get_kind_display()}: {who}"
