"""Who hears of a case's moves (the audiences named by the transitions table's ``tell``), and
what the notice says."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.notices.registry import Message, notice_message, notice_workflow
from waiban.visits.models import DelegationEvent
from waiban.visits.states import AUTHORISED_STATES, NEXT_STEP, TRANSITIONS, State, event_label

# The office role whose queue a case enters in each state.
QUEUE_ROLE = {
    State.PRE_REVIEW: Role.WINDOW_CLERK,
    State.UNDER_REVIEW: Role.REVIEWER,
    State.PENDING_APPROVAL: Role.APPROVER,
    State.APPROVED: Role.PASSPORT_OFFICER,
    State.BACK_HOME: Role.PASSPORT_OFFICER,
}


def _active(**filters):
    return User.objects.filter(is_active=True, **filters)


def unit_clerks(case):
    return _active(role=Role.UNIT_CLERK, unit_id=case.unit_id)


def unit_heads(case):
    return _active(role=Role.UNIT_HEAD, unit_id=case.unit_id)


def travellers(case):
    """The members with an account, once the trip is theirs to make (approved or later)."""
    if case.state not in AUTHORISED_STATES and case.state != State.CANCELLED:
        return User.objects.none()
    return _active(role=Role.TRAVELLER, person__memberships__delegation=case).distinct()


def next_queue(case):
    """The office staff who must act next: the queue the case has just entered; for an
    approval, the position of its current level only."""
    role = QUEUE_ROLE.get(case.state)
    if role is None:
        return User.objects.none()
    users = _active(role=role, authority_id=case.authority_id)
    if role == Role.APPROVER:
        step = case.approval_steps.filter(level=case.approval_level).first()
        users = users.filter(approver_position=step.position if step else "")
    return users


def office_reviewers(case):
    return _active(role=Role.REVIEWER, authority_id=case.authority_id)


def describe(event) -> Message:
    case = event.delegation
    label = event_label(event.action)
    if event.action == "approve" and event.to_state == State.APPROVED:
        label = _("Approved: the trip may go ahead")
    name = case.case_number or _("(draft)")
    subject = _("%(case)s %(title)s: %(event)s") % {
        "case": name,
        "title": case.title,
        "event": label,
    }
    lines = []
    if event.comment:
        lines.append(_("Comment: %(text)s") % {"text": event.comment})
    if case.deadline and case.state in QUEUE_ROLE and case.state != State.APPROVED:
        lines.append(_("The office's time limit: %(date)s.") % {"date": case.deadline})
    if case.state in NEXT_STEP:
        lines.append(_("Next: %(step)s") % {"step": NEXT_STEP[case.state]})
    sms = _("[Foreign Affairs Office] Case %(case)s: %(event)s. Please log in to see it.") % {
        "case": name,
        "event": label,
    }
    return Message(
        subject=subject[:200],
        body="\n".join(str(line) for line in lines),
        sms=sms,
        link=reverse("visits:detail", args=[case.pk]),
    )


notice_workflow(
    "delegation",
    table=TRANSITIONS,
    history=DelegationEvent,
    audiences={
        "unit": unit_clerks,
        "unit_head": unit_heads,
        "members": travellers,
        "next": next_queue,
        "office": office_reviewers,
    },
    describe=describe,
)


def cases_remind_deadlines(*, today=None, calendar=None) -> int:
    """The daily reminder before a case turns amber: the staff whose queue holds it are told
    once per stage that its time limit is one working day away (or today). Returns the notices
    newly queued."""
    from django.db import transaction
    from django.utils import timezone

    from waiban.core.calendar import WorkingCalendar
    from waiban.notices.routing import channels_for, notices_queue
    from waiban.visits.models import Delegation
    from waiban.visits.states import OPEN_STATES

    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar()
    horizon = calendar.add_working_days(today, 1)
    queued = 0
    cases = Delegation.objects.filter(
        state__in=OPEN_STATES, deadline__gte=today, deadline__lte=horizon
    ).order_by("deadline", "pk")
    for case in cases:
        users = next_queue(case).select_related("notice_preference")
        channels = channels_for("delegation", "deadline_near", "next")
        with transaction.atomic():
            queued += notices_queue(
                ref=f"case-due:{case.pk}:{case.state}:{case.deadline.isoformat()}",
                recipients={user: channels for user in users},
                builder="case_due",
                args={"case_id": case.pk},
            )
    return queued


@notice_message("case_due")
def case_due_message(*, case_id):
    from waiban.visits.models import Delegation

    case = Delegation.objects.filter(pk=case_id).first()
    if case is None:
        return None
    figures = {"case": case.case_number, "title": case.title, "date": case.deadline}
    return Message(
        subject=_("%(case)s %(title)s: the office's time limit is %(date)s") % figures,
        body=_(
            "Case %(case)s (%(title)s) waits in your queue; the office's time limit for this "
            "stage is %(date)s."
        )
        % figures,
        sms=_("[Foreign Affairs Office] Case %(case)s: time limit %(date)s.") % figures,
        link=reverse("visits:detail", args=[case.pk]),
    )
