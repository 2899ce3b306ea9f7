"""Delegation states and the table of allowed transitions (DESIGN.md §2)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.accounts.roles import Role


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PRE_REVIEW = "pre_review", _("Pre-review")
    RETURNED = "returned", _("Returned for correction")
    UNDER_REVIEW = "under_review", _("Under review")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled after approval")


OPEN_STATES = {State.PRE_REVIEW, State.UNDER_REVIEW, State.PENDING_APPROVAL}
EDITABLE_STATES = {State.DRAFT, State.RETURNED}
FINAL_STATES = {State.APPROVED, State.REFUSED, State.WITHDRAWN, State.CANCELLED}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None  # None: decided by the service (an approval may stay pending)
    role: str
    label: str


def _t(action, sources, target, role, label):
    return Transition(action, frozenset(sources), target, role, label)


TRANSITIONS = {
    t.action: t
    for t in [
        _t("submit", {State.DRAFT}, State.PRE_REVIEW, Role.UNIT_CLERK, _("Submit")),
        _t("resubmit", {State.RETURNED}, State.PRE_REVIEW, Role.UNIT_CLERK, _("Resubmit")),
        _t(
            "withdraw",
            {State.DRAFT, State.PRE_REVIEW, State.RETURNED},
            State.WITHDRAWN,
            Role.UNIT_CLERK,
            _("Withdraw"),
        ),
        _t(
            "return",
            {State.PRE_REVIEW},
            State.RETURNED,
            Role.WINDOW_CLERK,
            _("Return for correction"),
        ),
        _t("accept", {State.PRE_REVIEW}, State.UNDER_REVIEW, Role.WINDOW_CLERK, _("Accept")),
        _t("review", {State.UNDER_REVIEW}, State.PENDING_APPROVAL, Role.REVIEWER, _("Pass review")),
        _t("approve", {State.PENDING_APPROVAL}, None, Role.APPROVER, _("Approve")),
        _t("refuse", {State.PENDING_APPROVAL}, State.REFUSED, Role.APPROVER, _("Refuse")),
        _t("cancel", {State.APPROVED}, State.CANCELLED, Role.UNIT_CLERK, _("Cancel the trip")),
    ]
}

# What each waiting state expects next, for the clerk's timeline.
NEXT_STEP = {
    State.DRAFT: _(
        "The clerk completes the application, the unit head confirms, the clerk submits."
    ),
    State.PRE_REVIEW: _(
        "The window checks the materials: accept, or return with one correction list."
    ),
    State.RETURNED: _("The clerk fixes every item of the correction notice and resubmits."),
    State.UNDER_REVIEW: _("The office reviews the application."),
    State.PENDING_APPROVAL: _("The approvers decide, level by level."),
}


# How each history event reads on the timeline.
EVENT_LABELS = {
    "commit": _("Unit head confirmed the commitment"),
    "submit": _("Submitted"),
    "resubmit": _("Resubmitted after correction"),
    "withdraw": _("Withdrawn"),
    "return": _("Returned with a one-time correction notice"),
    "accept": _("Accepted at the window"),
    "review": _("Review passed"),
    "approve": _("Approved at this level"),
    "refuse": _("Refused"),
    "cancel": _("Trip cancelled; its documents revoked"),
}
