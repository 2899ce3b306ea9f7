"""Everything the case page shows: facts, timeline, what comes next, and the user's actions."""

from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.roles import Role
from waiban.core.calendar import WorkingCalendar
from waiban.visits.completeness import submission_problems
from waiban.visits.corrections import TARGET_LABELS
from waiban.visits.deadlines import sla_colour
from waiban.visits.forms import AttachmentForm, CorrectionFormSet, OpinionForm
from waiban.visits.states import EDITABLE_STATES, NEXT_STEP, State


def available_actions(user, delegation) -> list[str]:
    """Which buttons to show. The services check again; this only avoids dead buttons."""
    state = delegation.state
    actions = []
    if user.role == Role.UNIT_CLERK:
        if state == State.DRAFT:
            actions += ["submit", "withdraw"]
        elif state == State.RETURNED:
            actions += ["resubmit", "withdraw"]
        elif state == State.PRE_REVIEW:
            actions += ["withdraw"]
        elif state == State.APPROVED:
            actions += ["cancel"]
    elif user.role == Role.UNIT_HEAD and state in EDITABLE_STATES and not delegation.committed_at:
        actions.append("commit")
    elif user.role == Role.WINDOW_CLERK and state == State.PRE_REVIEW:
        actions += ["accept", "return"]
    elif user.role == Role.REVIEWER and state == State.UNDER_REVIEW:
        actions.append("review")
    elif user.role == Role.APPROVER and state == State.PENDING_APPROVAL:
        step = delegation.approval_steps.filter(level=delegation.approval_level).first()
        if step and step.position == user.approver_position:
            actions += ["approve", "refuse"]
    return actions


def case_context(request, delegation, *, action_form=None, correction_formset=None) -> dict:
    user = request.user
    calendar = WorkingCalendar()
    today = timezone.localdate()
    delegation.sla = sla_colour(
        state=delegation.state, deadline=delegation.deadline, today=today, calendar=calendar
    )
    actions = available_actions(user, delegation)
    budget_lines = list(delegation.budget_lines.all())
    notice = delegation.corrections.prefetch_related("items").first()
    steps = list(delegation.approval_steps.select_related("decided_by"))
    current_step = next((s for s in steps if s.level == delegation.approval_level), None)
    return {
        "delegation": delegation,
        "members": delegation.members.select_related("person"),
        "stops": delegation.stops.all(),
        "budget_lines": budget_lines,
        "budget_total": sum((line.amount for line in budget_lines), 0),
        "attachments": delegation.attachments.filter(is_current=True).select_related("uploaded_by"),
        "events": delegation.events.select_related("actor"),
        "next_step": NEXT_STEP.get(delegation.state),
        "approval_steps": steps,
        "current_step": current_step,
        "notice": notice,
        "notice_items": [
            {"target": TARGET_LABELS.get(i.target, i.target), "message": i.message}
            for i in (notice.items.all() if notice else [])
        ],
        "actions": actions,
        "problems": submission_problems(delegation)
        if user.role == Role.UNIT_CLERK and delegation.state in EDITABLE_STATES
        else [],
        "can_edit": user.role == Role.UNIT_CLERK and delegation.state in EDITABLE_STATES,
        "attachment_form": AttachmentForm(),
        "action_form": action_form or OpinionForm(initial={"version": delegation.version}),
        "correction_formset": correction_formset or CorrectionFormSet(prefix="items", initial=[{}]),
        "calendar_has_data": calendar.knows_year(today.year),
        "show_private": user.role == Role.UNIT_CLERK,
        "title": _("Case"),
    }
