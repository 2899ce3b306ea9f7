"""The public progress card of a case: what anyone with the case number may learn."""

from waiban.visits.models import Delegation
from waiban.visits.states import NEXT_STEP, PUBLIC_ACTIONS


# What the public may learn from a case number: where it is and what happened when (the
# transitions the table marks public); no names, no personal data, no reasons.
def progress_of(number: str) -> dict | None:
    """The card's data for a case number, or None when no case has it (two queries)."""
    delegation = (
        Delegation.objects.filter(case_number=number)
        .select_related("unit")
        .only("case_number", "state", "deadline", "unit__name")
        .first()
    )
    if delegation is None:
        return None
    # delegation_id too: the related manager reads it on every row it returns (to attach the
    # case), and a deferred one costs a query per event.
    events = delegation.events.filter(action__in=PUBLIC_ACTIONS).only(
        "action", "at", "delegation_id"
    )
    return {
        "delegation": delegation,
        "events": list(events),
        "next_step": NEXT_STEP.get(delegation.state),
    }
