"""Case announcements (办件公告): the decided cases, anonymised: the case number, the unit (if
the office publishes unit names: HALL_ANNOUNCE_UNIT_NAMES), the service item, when it was
submitted and decided, and the result. Never a person, a title or a destination."""

from django.conf import settings
from django.db.models import OuterRef, Subquery

from waiban.visits.models import Delegation, DelegationEvent
from waiban.visits.states import State

DECIDED = {State.APPROVED, State.TRAVELLING, State.BACK_HOME, State.CLOSED, State.REFUSED}
LIMIT = 100


def announced_cases():
    decision = DelegationEvent.objects.filter(
        delegation=OuterRef("pk"), to_state__in=[State.APPROVED, State.REFUSED]
    ).order_by("-at")
    rows = (
        Delegation.objects.filter(state__in=DECIDED)
        .annotate(decided_at=Subquery(decision.values("at")[:1]))
        .exclude(decided_at=None)
        .select_related("unit")
        .order_by("-decided_at")
        .only("case_number", "state", "submitted_at", "unit__name")[:LIMIT]
    )
    show_unit = getattr(settings, "HALL_ANNOUNCE_UNIT_NAMES", True)
    return [
        {
            "number": case.case_number,
            "unit": case.unit.name if show_unit else "",
            "submitted": case.submitted_at,
            "decided": case.decided_at,
            "approved": case.state != State.REFUSED,
        }
        for case in rows
    ]
