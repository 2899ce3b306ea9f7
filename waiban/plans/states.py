"""Annual plan states and the table of allowed transitions.

draft ──submit──► submitted ──opinion──► under_joint_review ──approve──► approved
  ▲                   │                        │
  └── returned ◄──────┴───────return───────────┘   (the clerk fixes the items and submits again)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.accounts.roles import Role
from waiban.core.transitions import Transition, transitions_table


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_JOINT_REVIEW = "under_joint_review", _("Under joint review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned to the unit")


# The unit edits its items only while the plan is in its hands.
EDITABLE_PLAN_STATES = {PlanState.DRAFT, PlanState.RETURNED}

# Who uses the plan pages at all; every other role gets a 404.
PLAN_ROLES = {Role.UNIT_CLERK, Role.UNIT_HEAD, Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR}


def _t(action, sources, target, roles, label, tell=()):
    return Transition(action, frozenset(sources), target, frozenset(roles), label, tell=tell)


PLAN_TRANSITIONS = transitions_table(
    _t(
        "submit",
        {PlanState.DRAFT, PlanState.RETURNED},
        PlanState.SUBMITTED,
        {Role.UNIT_CLERK},
        _("Submit the plan"),
        tell=("office",),
    ),
    # The first opinion opens the joint review; later ones keep it there.
    _t(
        "opinion",
        {PlanState.SUBMITTED, PlanState.UNDER_JOINT_REVIEW},
        PlanState.UNDER_JOINT_REVIEW,
        {Role.REVIEWER, Role.SUPERVISOR},
        _("Record an opinion"),
        tell=("approvers",),
    ),
    _t(
        "approve",
        {PlanState.UNDER_JOINT_REVIEW},
        PlanState.APPROVED,
        {Role.APPROVER},
        _("Approve the totals"),
        tell=("unit", "unit_head"),
    ),
    _t(
        "return",
        {PlanState.SUBMITTED, PlanState.UNDER_JOINT_REVIEW},
        PlanState.RETURNED,
        {Role.APPROVER},
        _("Return to the unit"),
        tell=("unit", "unit_head"),
    ),
)

EVENT_LABELS = {
    "create": _("Plan started"),
    "submit": _("Submitted"),
    "opinion": _("Opinion recorded"),
    "approve": _("Totals approved"),
    "return": _("Returned to the unit"),
}
