"""Who hears of a change request's moves (the transitions table's ``tell``), and what it says."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.changes.models import ChangeEvent
from waiban.changes.states import CHANGE_TRANSITIONS, ChangeState, change_event_label
from waiban.notices.registry import Message, notice_workflow
from waiban.visits import notify as case_notify

QUEUE_ROLE = {
    ChangeState.SUBMITTED: Role.WINDOW_CLERK,
    ChangeState.UNDER_REVIEW: Role.REVIEWER,
    ChangeState.PENDING_APPROVAL: Role.APPROVER,
}


def _office(change, role):
    return User.objects.filter(
        is_active=True, role=role, authority_id=change.delegation.authority_id
    )


def next_queue(change):
    state = change.state
    if state == ChangeState.WITHDRAWN:
        # Withdrawn: whoever had it in their queue hears that it is gone.
        last = change.events.order_by("-at", "-id").values_list("from_state", flat=True)
        state = last.first()
    role = QUEUE_ROLE.get(state)
    if role is None:
        return User.objects.none()
    users = _office(change, role)
    if role == Role.APPROVER:
        step = change.steps.filter(level=change.approval_level).first()
        users = users.filter(approver_position=step.position if step else "")
    return users


def passport_officers(change):
    """The passports lent for the trip follow its dates: their officers are told."""
    return _office(change, Role.PASSPORT_OFFICER)


def affected_travellers(change):
    """The travellers of the trip as it was and as it is proposed: a removed member hears that
    they no longer travel, a new one that they do."""
    from waiban.changes.models import ContentVersion

    before = ContentVersion.objects.filter(
        delegation_id=change.delegation_id, number=change.base_version
    ).first()
    people = {m["person"] for m in change.content["members"]}
    people |= {m["person"] for m in (before.content["members"] if before else [])}
    return User.objects.filter(is_active=True, role=Role.TRAVELLER, person_id__in=people)


def describe(event) -> Message:
    case = event.delegation
    label = change_event_label(event.action)
    if event.action == "approve" and event.to_state == ChangeState.APPROVED:
        label = _("Change approved: the new version of the case is in force")
    subject = _("%(case)s %(title)s: %(event)s") % {
        "case": case.case_number,
        "title": case.title,
        "event": label,
    }
    lines = [_("Reason for the change: %(text)s") % {"text": event.change.reason}]
    if event.comment:
        lines.append(_("Comment: %(text)s") % {"text": event.comment})
    sms = _("[Foreign Affairs Office] Case %(case)s: %(event)s. Please log in to see it.") % {
        "case": case.case_number,
        "event": label,
    }
    return Message(
        subject=subject[:200],
        body="\n".join(str(line) for line in lines),
        sms=sms,
        link=reverse("visits:detail", args=[case.pk]),
    )


notice_workflow(
    "change_request",
    table=CHANGE_TRANSITIONS,
    history=ChangeEvent,
    audiences={
        "unit": lambda change: case_notify.unit_clerks(change.delegation),
        "unit_head": lambda change: case_notify.unit_heads(change.delegation),
        "members": affected_travellers,
        "next": next_queue,
        "passport": passport_officers,
    },
    describe=describe,
)
