"""The passport steps of a case in its timeline (waiban.visits.case_page): the passports lent
for the trip and returned, one row per move and day with the holders' names."""

from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.passports.models import PassportEvent
from waiban.visits.case_page import BEFORE_APPROVAL, TimelineStep, timeline_source

LABELS = {"lend": lambda: _("Passports lent"), "return": lambda: _("Passports back in custody")}


@timeline_source
def passport_steps(delegation) -> list[TimelineStep]:
    if delegation.state in BEFORE_APPROVAL:
        return []  # nothing of this stage before the approval: no query
    events = (
        PassportEvent.objects.filter(delegation=delegation, action__in=list(LABELS))
        .select_related("passport__person", "actor")
        .order_by("at", "id")
    )
    grouped = {}
    for event in events:
        key = (event.action, timezone.localdate(event.at))
        grouped.setdefault(key, []).append(event)
    return [
        TimelineStep(
            at=rows[0].at,
            label=LABELS[action](),
            action=f"passport_{action}",
            actor=rows[0].actor,
            comment="、".join(e.passport.person.name_zh for e in rows),
        )
        for (action, _day), rows in grouped.items()
    ]
