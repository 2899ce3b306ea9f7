import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from waiban.core.choices import ChoiceLabelsMixin
from waiban.core.models import AppendOnlyModel
from waiban.people.models import RankGroup
from waiban.visits.states import AUTHORISED_STATES, State

# What an empty date or time sorts as in the lists' keyset order (last when ascending): the
# indexes below and waiban.visits.selectors.SortKey must build the very same expression.
FAR_DATE = dt.date(9999, 12, 31)
FAR_TIME = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def _sort_key(field, far):
    return Coalesce(field, models.Value(far))


class TaskType(models.TextChoices):
    BUSINESS_TALKS = "business_talks", _("Business talks")
    CONFERENCE = "conference", _("Conference")
    TRAINING = "training", _("Training")
    STUDY = "study", _("Study visit")
    OTHER = "other", _("Other")


class FundingSource(models.TextChoices):
    FISCAL = "fiscal", _("Fiscal budget of the unit")
    OWN = "own", _("Unit's own funds")
    HOST = "host", _("Paid by the inviting party")
    OTHER = "other", _("Other")


class InvitingKind(models.TextChoices):
    """Who invites: the invitation rule refuses agents, foreign missions in China and individuals."""

    COUNTERPART = (
        "counterpart",
        _("Counterpart body (government department, association, international organisation)"),
    )
    UNIVERSITY = "university", _("University or research institute")
    COMPANY = "company", _("Company")
    AGENT = "agent", _("Agency or intermediary (travel agency, consultancy)")
    FOREIGN_MISSION = "foreign_mission", _("Foreign mission in China (embassy, consulate)")
    INDIVIDUAL = "individual", _("Individual")


def _workbench_keyset_indexes():
    for field, far, short in (
        ("deadline", FAR_DATE, "deadline"),
        ("submitted_at", FAR_TIME, "submitted"),
        ("departure_date", FAR_DATE, "departure"),
    ):
        key = _sort_key(field, far)
        yield models.Index(
            models.F("state"), key, models.F("id"), name=f"deleg_state_{short}_keyset"
        )
        yield models.Index(
            models.F("unit"),
            models.F("state"),
            key,
            models.F("id"),
            name=f"deleg_ustate_{short}_keyset",
        )


class Delegation(ChoiceLabelsMixin, models.Model):
    """A visit task (出访团组). The current state is on the row; history is DelegationEvent."""

    case_number = models.CharField(
        _("case number"), max_length=16, unique=True, null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    task_type = models.CharField(_("task type"), max_length=20, choices=TaskType.choices)
    purpose = models.TextField(_("purpose"))
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    authority = models.ForeignKey(
        "accounts.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    leader = models.ForeignKey(
        "people.Person",
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_delegations",
    )
    inviting_organisation = models.CharField(_("inviting organisation"), max_length=200, blank=True)
    inviting_organisation_kind = models.CharField(
        _("kind of inviting organisation"),
        max_length=20,
        choices=InvitingKind.choices,
        blank=True,
        db_default="",  # rows written in bulk (COPY) without this column stay valid
    )
    funding_source = models.CharField(
        _("funding source"),
        max_length=10,
        choices=FundingSource.choices,
        default=FundingSource.FISCAL,
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    state_entered_at = models.DateTimeField(_("in this state since"), auto_now_add=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    departure_date = models.DateField(_("departure"), null=True, blank=True)
    return_date = models.DateField(_("return"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(_("unit head confirmed at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_opinion = models.TextField(_("review opinion"), blank=True)
    approval_level = models.PositiveSmallIntegerField(_("current approval level"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["authority", "state", "deadline"]),
            # The workbench's keyset orders (selectors.WORKBENCH_SORTS): state, sort key, id;
            # and the same behind the unit filter.
            *_workbench_keyset_indexes(),
            # The unit's list, newest first, with and without a state filter.
            models.Index(fields=["unit", "created_at", "id"], name="deleg_unit_keyset"),
            models.Index(
                fields=["unit", "state", "created_at", "id"], name="deleg_unit_state_keyset"
            ),
        ]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return f"{self.case_number or _('(draft)')} {self.title}"

    @property
    def is_authorised(self) -> bool:
        """The trip may take place: approved, under way or just back (not yet closed)."""
        return self.state in AUTHORISED_STATES

    @property
    def total_budget(self):
        return sum((line.amount for line in self.budget_lines.all()), 0)


class DelegationMember(ChoiceLabelsMixin, models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")
        INTERPRETER = "interpreter", _("Interpreter")

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role in the group"), max_length=12, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)
    # Snapshot at submission: later rules judge by the rank the person had at the time.
    post_at_submission = models.CharField(max_length=100, blank=True)
    rank_at_submission = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "person"], name="uniq_member_per_delegation"
            )
        ]


class ItineraryStop(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField(default=0)
    country = CountryField(_("country or region"))
    city = models.CharField(_("city"), max_length=100)
    arrival_date = models.DateField(_("arrival"))
    departure_date = models.DateField(_("departure"))
    is_transit = models.BooleanField(_("transit"), default=False)
    is_airside = models.BooleanField(_("airside transit only"), default=False)
    # Days of official business at this stop, as declared by the clerk (business-share rule).
    business_days = models.PositiveSmallIntegerField(
        _("official business days"), null=True, blank=True
    )

    class Meta:
        ordering = ["position", "arrival_date", "id"]
        indexes = [models.Index(fields=["country", "delegation"])]


class BudgetLine(ChoiceLabelsMixin, models.Model):
    class Kind(models.TextChoices):
        AIR_FARE = "air_fare", _("Air fare")
        LODGING = "lodging", _("Lodging")
        MEALS = "meals", _("Meals")
        MISC = "misc", _("Miscellaneous")

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="budget_lines"
    )
    kind = models.CharField(_("item"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "kind"], name="uniq_budget_kind"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_amount_not_negative"
            ),
        ]


class Attachment(ChoiceLabelsMixin, models.Model):
    """An uploaded material, stored outside the web root and served through a permission check."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation letter")
        AGENDA = "agenda", _("Schedule / agenda")
        BUDGET = "budget", _("Budget statement")
        OTHER = "other", _("Other material")

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("material"), max_length=12, choices=Kind.choices)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "-uploaded_at"]


class CorrectionNotice(models.Model):
    """The one-time correction notice (一次性告知): every item to fix, in one list."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="corrections")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]


class CorrectionItem(models.Model):
    notice = models.ForeignKey(CorrectionNotice, on_delete=models.CASCADE, related_name="items")
    target = models.CharField(_("field or material"), max_length=40)
    message = models.TextField(_("what to fix"))
    # What the target held when the notice was issued (waiban.visits.correction_check): on
    # resubmission the item is fixed if it changed since, or explained by the clerk.
    # (db_default: rows written in bulk, COPY, without these columns stay valid)
    digest_at_notice = models.CharField(max_length=64, blank=True, editable=False, db_default="")
    changed = models.BooleanField(_("changed"), null=True, editable=False)
    explanation = models.TextField(_("why it was not changed"), blank=True, db_default="")

    class Meta:
        ordering = ["id"]


class ApprovalChainStep(models.Model):
    """Configurable approval chain: which position signs at each level, by the leader's rank."""

    authority = models.ForeignKey(
        "accounts.Authority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: the default for every authority without its own chain."),
    )
    rank_group = models.CharField(_("leader's rank"), max_length=20, choices=RankGroup.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    position = models.CharField(_("position"), max_length=20)
    is_external = models.BooleanField(
        _("reported upward"),
        default=False,
        help_text=_(
            "The decision is taken outside the office; the office records it and its document number."
        ),
    )

    class Meta:
        ordering = ["authority_id", "rank_group", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "rank_group", "level"], name="uniq_chain_level"
            )
        ]
        verbose_name = _("approval chain step")
        verbose_name_plural = _("approval chain")

    def __str__(self):
        return f"{self.get_rank_group_display()} #{self.level}: {self.position}"


class ApprovalStep(ChoiceLabelsMixin, models.Model):
    """One level of one delegation's approval chain, copied from the configuration at review."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="approval_steps"
    )
    level = models.PositiveSmallIntegerField()
    position = models.CharField(max_length=20)
    is_external = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(blank=True)
    external_document_number = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "level"], name="uniq_step_level")
        ]


class StageLimit(models.Model):
    """Per-authority override of a stage's time limit in working days."""

    authority = models.ForeignKey("accounts.Authority", on_delete=models.CASCADE)
    state = models.CharField(max_length=20, choices=State.choices)
    working_days = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "state"], name="uniq_stage_limit")
        ]


class DelegationEvent(ChoiceLabelsMixin, AppendOnlyModel):
    """Append-only history of a delegation: the progress timeline."""

    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    # None: the system moved the case (the daily job that follows the approved dates).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    comment = models.TextField(blank=True)
    deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        from waiban.visits.states import event_label

        return event_label(self.action)
