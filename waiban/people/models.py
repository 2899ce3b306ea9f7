from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.core.choices import ChoiceLabelsMixin
from waiban.core.crypto import EncryptedTextField, mask


class Rank(models.TextChoices):
    """职级 (rank) of a civil servant; decides the approval chain and trip-frequency limits."""

    PROVINCIAL_FULL = "provincial_full", _("Provincial/ministerial, full (省部级正职)")
    PROVINCIAL_DEPUTY = "provincial_deputy", _("Provincial/ministerial, deputy (省部级副职)")
    BUREAU_FULL = "bureau_full", _("Bureau level, full (厅局级正职)")
    BUREAU_DEPUTY = "bureau_deputy", _("Bureau level, deputy (厅局级副职)")
    DIVISION_FULL = "division_full", _("County/division level, full (县处级正职)")
    DIVISION_DEPUTY = "division_deputy", _("County/division level, deputy (县处级副职)")
    SECTION = "section", _("Township/section level (乡科级)")
    OTHER = "other", _("Other / no rank")


class RankGroup(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial/ministerial (省部级)")
    BUREAU = "bureau", _("Bureau level (厅局级)")
    DIVISION_AND_BELOW = "division_and_below", _("County/division level and below")


RANK_GROUP = {
    Rank.PROVINCIAL_FULL: RankGroup.PROVINCIAL,
    Rank.PROVINCIAL_DEPUTY: RankGroup.PROVINCIAL,
    Rank.BUREAU_FULL: RankGroup.BUREAU,
    Rank.BUREAU_DEPUTY: RankGroup.BUREAU,
}


def rank_group(rank: str) -> str:
    return RANK_GROUP.get(rank, RankGroup.DIVISION_AND_BELOW)


class SecretLevel(models.TextChoices):
    NONE = "none", _("Not secret-related")
    GENERAL = "general", _("General (一般涉密)")
    IMPORTANT = "important", _("Important (重要涉密)")
    CORE = "core", _("Core (核心涉密)")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Person(ChoiceLabelsMixin, models.Model):
    """A traveller, entered once by the unit and reused by every application."""

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=50)
    surname_pinyin = models.CharField(_("surname (pinyin)"), max_length=40)
    given_name_pinyin = models.CharField(_("given name (pinyin)"), max_length=60, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedTextField(_("ID number"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    post = models.CharField(_("post"), max_length=100)
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices, default=Rank.OTHER)
    secret_level = models.CharField(
        _("secret-related level"),
        max_length=10,
        choices=SecretLevel.choices,
        default=SecretLevel.NONE,
    )
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    is_teaching_research = models.BooleanField(_("teaching or research staff"), default=False)
    # The unit's leadership team (领导班子): two of its members should not travel together
    # (the same-leadership rule). A unit has one such team, so a tick is all a clerk enters.
    in_leadership_team = models.BooleanField(
        _("member of the unit's leadership team"),
        default=False,
        db_default=False,  # rows written in bulk without this column stay valid
        help_text=_(
            "Tick for the unit's leaders (领导班子成员): two of them on one trip need a justification."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Bumped by every edit: a clerk's form that read an older version is refused, not saved
    # over someone else's change (db_default: rows written in bulk by COPY start at 1).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["name_zh", "id"]
        indexes = [models.Index(fields=["unit", "name_zh"])]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"{self.name_zh} ({self.pinyin_name})"

    @property
    def pinyin_name(self) -> str:
        return f"{self.surname_pinyin} {self.given_name_pinyin}".strip()

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask(self.phone, keep_start=3, keep_end=4)
