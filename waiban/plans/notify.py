"""Who hears of an annual plan's moves, and what the notice says."""

from django.urls import reverse
from django.utils.translation import gettext as _

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.notices.registry import Message, notice_workflow
from waiban.plans.models import PlanEvent
from waiban.plans.states import PLAN_TRANSITIONS


def _unit_role(role):
    return lambda plan: User.objects.filter(is_active=True, role=role, unit_id=plan.unit_id)


def _office_role(role):
    return lambda plan: User.objects.filter(
        is_active=True, role=role, authority_id=plan.unit.authority_id
    )


def describe(event) -> Message:
    plan = event.plan
    figures = {"unit": plan.unit.name, "year": plan.year, "event": event.label}
    subject = _("Annual plan %(year)s of %(unit)s: %(event)s") % figures
    body = subject
    if event.comment:
        body += "\n" + _("Comment: %(text)s") % {"text": event.comment}
    return Message(
        subject=subject[:200],
        body=body,
        sms=_("[Foreign Affairs Office] Annual plan %(year)s: %(event)s.") % figures,
        link=reverse("plans:detail", args=[plan.pk]),
    )


notice_workflow(
    "plan",
    table=PLAN_TRANSITIONS,
    history=PlanEvent,
    audiences={
        "unit": _unit_role(Role.UNIT_CLERK),
        "unit_head": _unit_role(Role.UNIT_HEAD),
        "office": _office_role(Role.REVIEWER),
        "approvers": _office_role(Role.APPROVER),
    },
    describe=describe,
)
