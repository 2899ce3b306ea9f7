"""What a delegation needs before it can be submitted. Each problem names the field to fix.

Substantive rules (group size, stay days, frequency, ...) are a separate engine; these are only
the completeness checks that make a submission reviewable at all.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.visits.models import Attachment, FundingSource


def _has_invitation(delegation) -> bool:
    return Attachment.objects.filter(
        delegation_id=delegation.pk, kind=Attachment.Kind.INVITATION, is_current=True
    ).exists()


def submission_problems(delegation) -> list[dict]:
    problems = []

    def add(field, message):
        problems.append({"field": field, "message": message})

    members = list(delegation.members.all())
    stops = list(delegation.stops.all())
    if not members:
        add("members", _("Add at least one member."))
    if not delegation.leader_id:
        add("leader", _("Choose the delegation leader."))
    elif delegation.leader_id not in {m.person_id for m in members}:
        add("leader", _("The leader must be one of the members."))
    if not stops:
        add("stops", _("Add the itinerary: at least one country and city."))
    if not delegation.budget_lines.exists() and delegation.funding_source != FundingSource.HOST:
        add("budget", _("No budget, no trip: enter the budget lines."))
    if not _has_invitation(delegation):
        add("invitation", _("Upload the invitation letter."))
    if not delegation.inviting_organisation:
        add("inviting_organisation", _("Name the inviting organisation."))
    if not delegation.inviting_organisation_kind:
        add(
            "inviting_organisation_kind",
            _("Say what kind of organisation invites (edit the application)."),
        )
    if not delegation.committed_at:
        add("commitment", _("The unit head has not confirmed the unit's commitment yet."))
    return problems


# The application's steps as the clerk sees them (the step bar), and which problems of
# ``submission_problems`` belong to each: a step is done when none of its problems is left.
STEPS = [
    ("task", gettext_lazy("Basic facts"), {"inviting_organisation", "inviting_organisation_kind"}),
    ("members", gettext_lazy("Members"), {"members", "leader"}),
    ("stops", gettext_lazy("Itinerary"), {"stops"}),
    ("budget", gettext_lazy("Budget"), {"budget"}),
    ("materials", gettext_lazy("Materials"), {"invitation"}),
    ("commitment", gettext_lazy("Commitment"), {"commitment"}),
    ("submit", gettext_lazy("Submit"), set()),
]


def application_steps(problems) -> list[dict]:
    """Each step with ``done``; the first step not done is ``current`` (submit once all are)."""
    missing = {p["field"] for p in problems}
    steps = []
    current_found = False
    for key, label, fields in STEPS:
        done = key != "submit" and not (fields & missing)
        current = not done and not current_found
        current_found = current_found or current
        steps.append({"key": key, "label": label, "done": done, "current": current})
    return steps
