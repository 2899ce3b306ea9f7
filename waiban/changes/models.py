"""A change to an approved case (DESIGN.md §8, "Change after approval"): the request with the
proposed content, its approval levels and history, and the content versions of the case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waiban.changes.states import OPEN_CHANGE_STATES, ChangeState, change_event_label
from waiban.core.choices import ChoiceLabelsMixin
from waiban.core.models import AppendOnlyModel


class ChangeRequest(ChoiceLabelsMixin, models.Model):
    """A proposed new content of an approved (or travelling) case. The case keeps its number and
    its current content until the request is approved; then the content becomes a new version.

    ``content``: the whole proposed content (waiban.changes.content.content_of's shape);
    ``changes``: each changed field with its class (administrative or material), old and new.
    """

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="change_requests"
    )
    state = models.CharField(_("state"), max_length=20, choices=ChangeState.choices)
    version = models.PositiveIntegerField(default=1)
    reason = models.TextField(_("reason for the change"))
    # The content version this request changes: another change applied first makes it stale.
    base_version = models.PositiveIntegerField()
    content = models.JSONField()
    changes = models.JSONField(default=list)
    is_material = models.BooleanField(_("material change"))
    # The rule findings (warnings) of the new content, judged by the versions in force when it
    # was proposed, with those versions.
    findings = models.JSONField(default=list, blank=True)
    rule_versions = models.JSONField(default=dict, blank=True)
    # A new invitation letter, stored with the case but not current until the change is
    # approved (the old one stays current meanwhile, and on record afterwards).
    invitation = models.ForeignKey(
        "visits.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_level = models.PositiveSmallIntegerField(default=0)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_opinion = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two requests at once: the second is refused (the service says so in words; this
            # holds even when two clerks press the button in the same instant).
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(state__in=sorted(OPEN_CHANGE_STATES)),
                name="one_open_change_per_case",
            )
        ]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self):
        return f"{self.delegation.case_number} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CHANGE_STATES


class ChangeApprovalStep(ChoiceLabelsMixin, models.Model):
    """One level of a change's approval chain: the chain the NEW content requires."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="steps")
    level = models.PositiveSmallIntegerField()
    position = models.CharField(max_length=20)
    is_external = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(blank=True)

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["change", "level"], name="uniq_change_step_level")
        ]


class ChangeEvent(ChoiceLabelsMixin, AppendOnlyModel):
    """Append-only history of a change request; the case's timeline shows it among its own."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.PROTECT, related_name="events")
    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="change_events"
    )
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=20, choices=ChangeState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ChangeState.choices, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self):
        return change_event_label(self.action)

    @property
    def event_key(self) -> str:
        """How the timeline marks it (data-event), apart from the case's own moves."""
        return f"change_{self.action}"


class ContentVersion(AppendOnlyModel):
    """One version of a case's content, kept readable after a change replaced it. Version 1 is
    the content as first approved (written when the first change is proposed)."""

    delegation = models.ForeignKey(
        "visits.Delegation", on_delete=models.PROTECT, related_name="content_versions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    change = models.OneToOneField(
        ChangeRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="result"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delegation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "number"], name="uniq_content_version_number"
            )
        ]
