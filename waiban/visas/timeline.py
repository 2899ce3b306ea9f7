"""The visa steps of a case in its timeline (waiban.visits.case_page): each batch's moves and
results, named with the embassy; never a passport or visa number."""

from waiban.visas.models import VisaBatchEvent
from waiban.visits.case_page import BEFORE_APPROVAL, TimelineStep, timeline_source


@timeline_source
def visa_steps(delegation) -> list[TimelineStep]:
    if delegation.state in BEFORE_APPROVAL:
        return []  # nothing of this stage before the approval: no query
    events = VisaBatchEvent.objects.filter(batch__delegation=delegation).select_related(
        "batch__embassy", "actor"
    )
    return [
        TimelineStep(
            at=e.at,
            label=f"{e.label} · {e.batch.embassy.name}",
            action=f"visa_{e.action}",
            actor=e.actor,
            comment=e.comment,
        )
        for e in events
    ]
