"""Everything the case page shows: facts, timeline, what comes next, and the user's actions.

The page (visits/detail.html with the parts in visits/case/: the header, the main column with
the other apps' panels, the viewer's buttons and forms, the timeline) is drawn from the
database on every visit: an approver signs on what it shows.
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.accounts.roles import Role
from waiban.core.calendar import WorkingCalendar
from waiban.visits.completeness import application_steps, submission_problems
from waiban.visits.correction_check import item_changed
from waiban.visits.corrections import TARGET_LABELS
from waiban.visits.deadlines import sla_colour
from waiban.visits.forms import AttachmentForm, CorrectionFormSet, OpinionForm
from waiban.visits.states import EDITABLE_STATES, NEXT_STEP, TRANSITIONS, State, state_badge
from waiban.visits.trip import closing_problems

# Other apps' steps of a case, shown in its timeline beside its own moves (the passports lent
# and returned, the visas): functions(delegation) -> TimelineStep rows, a query or two each,
# registered by the apps' ready() with ``timeline_source``.
TIMELINE_SOURCES = []
# The states before any passport or visa step can have happened.
BEFORE_APPROVAL = frozenset(
    {
        State.DRAFT,
        State.PRE_REVIEW,
        State.SENT_BACK,
        State.UNDER_REVIEW,
        State.PENDING_APPROVAL,
        State.REFUSED,
        State.WITHDRAWN,
    }
)


@dataclass(frozen=True)
class TimelineStep:
    at: object
    label: str
    action: str
    actor: object = None
    comment: str = ""
    from_state: str = ""
    to_state: str = ""


def timeline_source(function):
    if function not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(function)
    return function


def available_transitions(user, delegation) -> list:
    """The moves of the transitions table this user may make on this case now, in the table's
    order: the buttons. The services check again; this only avoids dead buttons."""
    found = []
    for transition in TRANSITIONS.values():
        if delegation.state not in transition.sources or not transition.allows(user.role):
            continue
        if transition.action == "commit" and delegation.committed_at:
            continue
        if transition.action in ("approve", "refuse") and not _decides_this_level(user, delegation):
            continue
        found.append(transition)
    return found


def _decides_this_level(user, delegation) -> bool:
    step = delegation.approval_steps.filter(level=delegation.approval_level).first()
    return step is not None and step.position == user.approver_position


UNIT_STEP_ROLES = {Role.UNIT_CLERK}


class CaseFacts:
    """The case's own rows, each read the first time a template asks for it."""

    def __init__(self, delegation):
        self.delegation = delegation

    @cached_property
    def members(self):
        return list(self.delegation.members.select_related("person"))

    @cached_property
    def stops(self):
        return list(self.delegation.stops.all())

    @cached_property
    def attachments(self):
        current = self.delegation.attachments.filter(is_current=True)
        return list(current.select_related("uploaded_by"))

    @cached_property
    def events(self):
        """The case's moves, its change requests' steps and the steps other apps register
        (TIMELINE_SOURCES: visas, passports), in the order they happened."""
        from waiban.changes.models import ChangeEvent
        from waiban.changes.panel import may_have_changes

        own = list(self.delegation.events.select_related("actor"))
        others = [step for source in TIMELINE_SOURCES for step in source(self.delegation)]
        if may_have_changes(self.delegation):
            others += ChangeEvent.objects.filter(delegation=self.delegation).select_related(
                "actor", "change"
            )
        if not others:
            return own
        return sorted([*own, *others], key=lambda e: e.at)

    @cached_property
    def budget_lines(self):
        return list(self.delegation.budget_lines.all())

    @cached_property
    def budget_total(self):
        return sum((line.amount for line in self.budget_lines), 0)

    @cached_property
    def notice(self):
        return self.delegation.corrections.prefetch_related("items").first()

    @cached_property
    def notice_items(self):
        """The notice's items; while the case is sent back, whether each has changed since."""
        items = self.notice.items.all() if self.notice else []
        open_notice = self.notice is not None and self.notice.resolved_at is None
        return [
            {
                "pk": i.pk,
                "key": i.target,
                "target": TARGET_LABELS.get(i.target, i.target),
                "message": i.message,
                "changed": item_changed(self.delegation, i) if open_notice else i.changed,
                "explanation": i.explanation,
            }
            for i in items
        ]

    @cached_property
    def approval_steps(self):
        return list(self.delegation.approval_steps.select_related("decided_by"))

    @cached_property
    def current_step(self):
        level = self.delegation.approval_level
        return next((s for s in self.approval_steps if s.level == level), None)


def case_context(
    request, delegation, *, action_form=None, correction_formset=None, attachment_form=None
) -> dict:
    user = request.user
    calendar = WorkingCalendar()
    today = timezone.localdate()
    delegation.sla = sla_colour(
        state=delegation.state, deadline=delegation.deadline, today=today, calendar=calendar
    )
    transitions = available_transitions(user, delegation)
    editable = delegation.state in EDITABLE_STATES
    facts = CaseFacts(delegation)
    if request.method == "POST" and delegation.state == "sent_back":
        # A refused resubmission: the explanations typed are shown again, not lost.
        for item in facts.notice_items:
            item["typed_explanation"] = request.POST.get(f"explain-{item['pk']}", "")
    problems = submission_problems(delegation) if user.role == Role.UNIT_CLERK and editable else []
    context = {
        "delegation": delegation,
        "facts": facts,
        "next_step": NEXT_STEP.get(delegation.state),
        "state_badge": state_badge(delegation.state),
        "transitions": transitions,
        "actions": [t.action for t in transitions],
        "asks_text": any(t.text for t in transitions if not t.extra.get("own_form")),
        "closing_problems": closing_problems(delegation)
        if any(t.action == "close" for t in transitions)
        else [],
        "problems": problems,
        "steps": application_steps(problems) if user.role in UNIT_STEP_ROLES and editable else [],
        "can_edit": user.role == Role.UNIT_CLERK and editable,
        "attachment_form": attachment_form or AttachmentForm(),
        "action_form": action_form or OpinionForm(initial={"version": delegation.version}),
        "correction_formset": correction_formset or CorrectionFormSet(prefix="items", initial=[{}]),
        "calendar_has_data": calendar.knows_year(today.year),
        "show_private": user.role == Role.UNIT_CLERK,
        "title": _("Case"),
    }
    return context
