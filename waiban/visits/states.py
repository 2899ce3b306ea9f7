"""The whole life of a visit, one state machine (DESIGN.md §2): the states and the table of
transitions from which the case page's buttons, the action dispatch, the timeline and the
public progress page are all derived. A new transition is a row here (naming its service), the
service function (``delegation_<action>``, in workflow.py, approval.py or trip.py) and its
tests."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from waiban.accounts.roles import Role
from waiban.core.transitions import SYSTEM, Transition, transitions_table


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PRE_REVIEW = "pre_review", _("Pre-review")
    SENT_BACK = "sent_back", _("Sent back for correction")
    UNDER_REVIEW = "under_review", _("Under review")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled after approval")
    TRAVELLING = "travelling", _("Travelling")
    BACK_HOME = "back_home", _("Back home")
    CLOSED = "closed", _("Closed")


OPEN_STATES = frozenset({State.PRE_REVIEW, State.UNDER_REVIEW, State.PENDING_APPROVAL})
EDITABLE_STATES = frozenset({State.DRAFT, State.SENT_BACK})
# A trip is authorised from its approval until it is closed (Delegation.is_authorised).
AUTHORISED_STATES = frozenset({State.APPROVED, State.TRAVELLING, State.BACK_HOME})
# Trips that were authorised, whether ahead, under way, just back or closed: what the frequency
# rule counts and what the passport and document panels keep showing.
TRIP_STATES = AUTHORISED_STATES | {State.CLOSED}
FINAL_STATES = frozenset({State.REFUSED, State.WITHDRAWN, State.CANCELLED, State.CLOSED})

UNIT = frozenset({Role.UNIT_CLERK})


def _t(action, sources, target, roles, label, **kwargs) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label, **kwargs)


TRANSITIONS = transitions_table(
    _t(
        "commit",
        EDITABLE_STATES,
        None,  # the state stays: the commitment is a precondition of submitting
        {Role.UNIT_HEAD},
        _("Confirm the unit's commitment"),
        service="waiban.visits.workflow.delegation_commit",
        done=_("Commitment confirmed."),
        timeline=_("Unit head confirmed the commitment"),
        style="success",
        tell=("unit",),
    ),
    _t(
        "submit",
        {State.DRAFT},
        State.PRE_REVIEW,
        UNIT,
        _("Submit"),
        service="waiban.visits.workflow.delegation_submit",
        done=_("Submitted."),
        timeline=_("Submitted"),
        public=True,
        extra={"justifications": True},
        tell=("next",),
    ),
    _t(
        "resubmit",
        {State.SENT_BACK},
        State.PRE_REVIEW,
        UNIT,
        _("Resubmit"),
        service="waiban.visits.workflow.delegation_resubmit",
        done=_("Resubmitted."),
        timeline=_("Resubmitted after correction"),
        public=True,
        text="comment",
        extra={"justifications": True, "explanations": True},
        tell=("next",),
    ),
    _t(
        "send_back",
        {State.PRE_REVIEW},
        State.SENT_BACK,
        {Role.WINDOW_CLERK},
        _("Send back for correction"),
        service="waiban.visits.workflow.delegation_send_back",
        done=_("Sent back with the correction notice."),
        timeline=_("Sent back with a one-time correction notice"),
        public=True,
        style="warning",
        extra={"own_form": True},  # the correction items have a form of their own
        tell=("unit", "unit_head"),
    ),
    _t(
        "accept",
        {State.PRE_REVIEW},
        State.UNDER_REVIEW,
        {Role.WINDOW_CLERK},
        _("Accept"),
        service="waiban.visits.workflow.delegation_accept",
        done=_("Accepted."),
        timeline=_("Accepted at the window"),
        public=True,
        text="comment",
        style="success",
        tell=("unit", "next"),
    ),
    _t(
        "review",
        {State.UNDER_REVIEW},
        State.PENDING_APPROVAL,
        {Role.REVIEWER},
        _("Pass review"),
        service="waiban.visits.workflow.delegation_review",
        done=_("Review passed; the case goes to approval."),
        timeline=_("Review passed"),
        public=True,
        text="opinion",
        style="success",
        tell=("next",),
    ),
    _t(
        "approve",
        {State.PENDING_APPROVAL},
        None,  # the next level, or approved after the last one
        {Role.APPROVER},
        _("Approve"),
        service="waiban.visits.approval.delegation_approve",
        done=_("Approved."),
        timeline=_("Approved at this level"),
        public=True,
        text="opinion",
        style="success",
        extra={"external_document_number": True},
        tell=("unit", "unit_head", "members", "next"),
    ),
    _t(
        "refuse",
        {State.PENDING_APPROVAL},
        State.REFUSED,
        {Role.APPROVER},
        _("Refuse"),
        service="waiban.visits.approval.delegation_refuse",
        done=_("Refused."),
        timeline=_("Refused"),
        public=True,
        text="opinion",
        style="outline-danger",
        tell=("unit", "unit_head"),
    ),
    _t(
        "depart",
        {State.APPROVED},
        State.TRAVELLING,
        {Role.UNIT_CLERK, Role.PASSPORT_OFFICER, SYSTEM},
        _("The delegation has left"),
        service="waiban.visits.trip.delegation_depart",
        done=_("The delegation is recorded as travelling."),
        timeline=_("Departed"),
        public=True,
        style="outline-primary",
        tell=("unit",),
    ),
    _t(
        "come_back",
        {State.TRAVELLING},
        State.BACK_HOME,
        {Role.UNIT_CLERK, Role.PASSPORT_OFFICER, SYSTEM},
        _("The delegation is back"),
        service="waiban.visits.trip.delegation_come_back",
        done=_("The delegation is recorded as back home."),
        timeline=_("Back home"),
        public=True,
        style="outline-primary",
        tell=("unit", "members", "next"),
    ),
    _t(
        "close",
        {State.BACK_HOME},
        State.CLOSED,
        {Role.REVIEWER, SYSTEM},
        _("Close the case"),
        service="waiban.visits.trip.delegation_close",
        done=_("The case is closed."),
        timeline=_("Closed"),
        public=True,
        style="outline-secondary",
        tell=("unit",),
    ),
    _t(
        "cancel",
        {State.APPROVED},
        State.CANCELLED,
        UNIT,
        _("Cancel the trip"),
        service="waiban.visits.trip.delegation_cancel",
        done=_("The trip is cancelled and its documents are revoked."),
        timeline=_("Trip cancelled; its documents revoked"),
        public=True,
        text="reason",
        style="outline-danger",
        confirm=_("Cancel this approved trip? Its approval documents will be revoked."),
        tell=("unit_head", "members", "office"),
    ),
    _t(
        "withdraw",
        {State.DRAFT, State.PRE_REVIEW, State.SENT_BACK},
        State.WITHDRAWN,
        UNIT,
        _("Withdraw"),
        service="waiban.visits.workflow.delegation_withdraw",
        done=_("Withdrawn."),
        timeline=_("Withdrawn"),
        public=True,
        style="outline-secondary",
        confirm=_("Withdraw this application?"),
        tell=("unit_head",),
    ),
)

# What each waiting state expects next, for the timeline and the public progress page.
NEXT_STEP = {
    State.DRAFT: _(
        "The clerk completes the application, the unit head confirms, the clerk submits."
    ),
    State.PRE_REVIEW: _(
        "The window checks the materials: accept, or send back with one correction list."
    ),
    State.SENT_BACK: _("The clerk fixes every item of the correction notice and resubmits."),
    State.UNDER_REVIEW: _("The office reviews the application."),
    State.PENDING_APPROVAL: _("The approvers decide, level by level."),
    State.APPROVED: _("Passports and visas are prepared; the delegation leaves on its date."),
    State.TRAVELLING: _("The delegation is abroad; it is back on its return date."),
    State.BACK_HOME: _(
        "The passports go back into custody within 7 days, the trip report is accepted and "
        "the public notices are recorded; the case is then closed."
    ),
}

# Who must act next in each state, for the state badges: the unit (warning colour), the office
# (blue), nobody because the trip goes ahead (green), nobody any more (grey).
UNIT_ACTS = frozenset({State.DRAFT, State.SENT_BACK, State.BACK_HOME})
OFFICE_ACTS = OPEN_STATES
STATE_BADGE = {
    **{state: "text-bg-warning" for state in UNIT_ACTS},
    **{state: "text-bg-primary" for state in OFFICE_ACTS},
    State.APPROVED: "text-bg-success",
    State.TRAVELLING: "text-bg-success",
}


def state_badge(state: str) -> str:
    return STATE_BADGE.get(state, "text-bg-secondary")


PUBLIC_ACTIONS = frozenset(t.action for t in TRANSITIONS.values() if t.public)


def event_label(action: str):
    """How a history row reads on the timeline (actions no longer in the table read as
    themselves)."""
    transition = TRANSITIONS.get(action)
    return transition.timeline if transition else action
