"""The annual visit plan (年度出访计划) of a unit and the link of each delegation to it.

The current state is on the plan row; its history is PlanEvent and the opinions of the joint
review are PlanOpinion, both append-only. A delegation's link to the plan (PlanUse) lives here,
not on the delegation, so the visits app does not need to know about plans.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from waiban.core.models import AppendOnlyModel
from waiban.plans.states import PlanState


class AnnualPlan(models.Model):
    """One unit's plan for one year. The office approves totals for the whole unit."""

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(
        _("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    # Each submission opens a new round of the joint review; opinions belong to one round.
    round = models.PositiveSmallIntegerField(_("submission round"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    return_reason = models.TextField(_("reasons for return"), blank=True)
    approved_trips = models.PositiveIntegerField(_("approved trips"), null=True, blank=True)
    approved_people = models.PositiveIntegerField(
        _("approved people (person-trips)"), null=True, blank=True
    )
    approved_budget = models.DecimalField(
        _("approved budget (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="uniq_plan_unit_year"),
        ]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")

    def __str__(self):
        return f"{self.unit} {self.year}"


class PlanItem(models.Model):
    """A planned visit: ``trips`` trips of ``people`` people each; ``budget`` covers all of them."""

    class Quarter(models.IntegerChoices):
        Q1 = 1, _("1st quarter")
        Q2 = 2, _("2nd quarter")
        Q3 = 3, _("3rd quarter")
        Q4 = 4, _("4th quarter")

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    purpose = models.CharField(_("purpose"), max_length=300)
    countries = CountryField(_("countries or regions"), multiple=True)
    people = models.PositiveSmallIntegerField(_("people per trip"))
    trips = models.PositiveSmallIntegerField(_("number of trips"), default=1)
    budget = models.DecimalField(_("budget (CNY)"), max_digits=12, decimal_places=2)
    quarter = models.PositiveSmallIntegerField(_("planned quarter"), choices=Quarter.choices)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="plan_item_budget_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(trips__gte=1), name="plan_item_trips_min_1"),
            models.CheckConstraint(
                condition=models.Q(people__gte=1), name="plan_item_people_min_1"
            ),
        ]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self):
        return self.purpose


class PlanOpinion(AppendOnlyModel):
    """One opinion of the joint review: the office's reviewer or a supervisor."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.PROTECT, related_name="opinions")
    round = models.PositiveSmallIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    opinion = models.TextField(_("opinion"))
    agrees = models.BooleanField(_("agrees"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class PlanEvent(AppendOnlyModel):
    """Append-only history of a plan."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=20, choices=PlanState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=PlanState.choices, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        from waiban.plans.states import EVENT_LABELS

        return EVENT_LABELS.get(self.action, self.action)


class PlanUse(models.Model):
    """How a delegation sits in its unit's plan: on an item, or out of plan as a swap.

    ``plan`` is the plan of the item or of the swapped-out item, kept on the row so that usage
    per plan is one indexed filter. A row with neither item nor out_of_plan means "not linked".
    """

    delegation = models.OneToOneField(
        "visits.Delegation", on_delete=models.CASCADE, related_name="plan_use"
    )
    plan = models.ForeignKey(
        AnnualPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="uses"
    )
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uses",
    )
    out_of_plan = models.BooleanField(_("out of plan"), default=False)
    swap_justification = models.TextField(_("justification of the swap"), blank=True)
    swapped_out_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item given up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="swapped_out_by",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(plan_item__isnull=False) & models.Q(out_of_plan=True)),
                name="plan_use_item_or_out_of_plan",
            )
        ]

    def __str__(self):
        return f"{self.delegation_id} → {self.plan_item_id or self.swapped_out_item_id or '-'}"
