"""A change request's life (DESIGN.md §2, "change request"): proposed by the unit's clerk,
confirmed by the unit head, then either recorded at the window (administrative) or accepted,
reviewed and approved at the levels the new content requires (material). Buttons, dispatch,
timeline and notices are derived from this table, as for the case itself."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.accounts.roles import Role
from waiban.core.transitions import Transition, transitions_table


class ChangeState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting the unit head")
    SUBMITTED = "submitted", _("At the window")
    UNDER_REVIEW = "under_review", _("Under review")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved and in force")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# At most one request per case is in one of these states (a database constraint).
OPEN_CHANGE_STATES = frozenset(
    {
        ChangeState.PROPOSED,
        ChangeState.SUBMITTED,
        ChangeState.UNDER_REVIEW,
        ChangeState.PENDING_APPROVAL,
    }
)
# Who may refuse at each stage (one "refuse" row; the service checks the pair).
REFUSER_OF_STATE = {
    ChangeState.SUBMITTED: Role.WINDOW_CLERK,
    ChangeState.UNDER_REVIEW: Role.REVIEWER,
    ChangeState.PENDING_APPROVAL: Role.APPROVER,
}


def _t(action, sources, target, roles, label, **kwargs) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label, **kwargs)


CHANGE_TRANSITIONS = transitions_table(
    _t(
        "propose",
        set(),  # creates the request: no state before it
        ChangeState.PROPOSED,
        {Role.UNIT_CLERK},
        _("Propose a change"),
        service="waiban.changes.services.change_request_propose",
        timeline=_("Change proposed by the unit"),
        tell=("unit_head",),
    ),
    _t(
        "confirm",
        {ChangeState.PROPOSED},
        ChangeState.SUBMITTED,
        {Role.UNIT_HEAD},
        _("Confirm the change"),
        service="waiban.changes.services.change_request_confirm",
        done=_("Change confirmed and sent to the office."),
        timeline=_("Change confirmed by the unit head"),
        style="success",
        tell=("unit", "next"),
    ),
    _t(
        "record",
        {ChangeState.SUBMITTED},
        ChangeState.APPROVED,
        {Role.WINDOW_CLERK},
        _("Record the correction"),
        service="waiban.changes.services.change_request_record",
        done=_("Correction recorded; the documents are re-issued."),
        timeline=_("Administrative correction recorded at the window"),
        text="comment",
        style="success",
        extra={"administrative_only": True},
        tell=("unit", "unit_head", "members", "passport"),
    ),
    _t(
        "accept",
        {ChangeState.SUBMITTED},
        ChangeState.UNDER_REVIEW,
        {Role.WINDOW_CLERK},
        _("Accept the change for review"),
        service="waiban.changes.services.change_request_accept",
        done=_("Change accepted for review."),
        timeline=_("Change accepted at the window"),
        text="comment",
        style="success",
        extra={"material_only": True},
        tell=("unit", "next"),
    ),
    _t(
        "review",
        {ChangeState.UNDER_REVIEW},
        ChangeState.PENDING_APPROVAL,
        {Role.REVIEWER},
        _("Pass the change's review"),
        service="waiban.changes.services.change_request_review",
        done=_("Review passed; the change goes to approval."),
        timeline=_("Change review passed"),
        text="opinion",
        style="success",
        tell=("next",),
    ),
    _t(
        "approve",
        {ChangeState.PENDING_APPROVAL},
        None,  # the next level, or approved after the last one
        {Role.APPROVER},
        _("Approve the change"),
        service="waiban.changes.services.change_request_approve",
        done=_("Change approved at this level."),
        timeline=_("Change approved at this level"),
        text="opinion",
        style="success",
        tell=("unit", "unit_head", "members", "passport", "next"),
    ),
    _t(
        "refuse",
        set(REFUSER_OF_STATE),
        ChangeState.REFUSED,
        set(REFUSER_OF_STATE.values()),
        _("Refuse the change"),
        service="waiban.changes.services.change_request_refuse",
        done=_("Change refused; the case stays as it was."),
        timeline=_("Change refused; the case stays as it was"),
        text="opinion",
        style="outline-danger",
        tell=("unit", "unit_head"),
    ),
    _t(
        "withdraw",
        OPEN_CHANGE_STATES,  # the unit may give up its own request until it is decided
        ChangeState.WITHDRAWN,
        {Role.UNIT_CLERK},
        _("Withdraw the change"),
        service="waiban.changes.services.change_request_withdraw",
        done=_("Change withdrawn."),
        timeline=_("Change withdrawn"),
        style="outline-secondary",
        confirm=_("Withdraw this change request?"),
        tell=("unit_head", "next"),
    ),
)


def change_event_label(action: str):
    transition = CHANGE_TRANSITIONS.get(action)
    return transition.timeline if transition else action
