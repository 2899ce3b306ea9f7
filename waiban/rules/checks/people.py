"""Who travels: how often each member has been abroad, and leaders of one team together."""

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext_lazy

from waiban.rules.checks.trip import CENTRAL_2013
from waiban.rules.engine import Hit, rule
from waiban.rules.facts import shift_years
from waiban.rules.models import Severity


def limit_for(member, limits):
    """The first limit that applies to the member's rank (and post, when keywords are given)."""
    for limit in limits:
        if member.rank not in limit["ranks"]:
            continue
        keywords = limit.get("post_keywords") or []
        if keywords and not any(k in member.post for k in keywords):
            continue
        return limit
    return None


@rule(
    "frequency",
    title=gettext_lazy("Trip frequency"),
    severity=Severity.WARN,
    source="山东省2013年规定; 川委办〔2013〕14号",
    params={
        "limits": [
            {
                "ranks": ["bureau_full"],
                "post_keywords": ["厅长", "局长", "市长", "主任", "书记"],
                "max_trips": 1,
                "years": 1,
            },
            # ... or, alternatively, 2 trips per term of office: counted from ``term_start``,
            # which the office sets (as a new rule version) when a term begins.
            {"ranks": ["bureau_full", "bureau_deputy"], "max_trips": 1, "years": 2, "per_term": 2},
        ],
        "exempt_teaching_research": True,
        "term_start": "",
    },
    messages={
        "frequency": gettext_lazy(
            "%(name)s (%(rank)s) already has %(count)d approved trip(s) within %(years)d year(s) of this one, the limit being %(max)d: %(trips)s (%(source)s)."
        )
    },
    note="'2 trips per term' applies once the office sets term_start (ISO date) in a version.",
)
def frequency(facts, params):
    if facts.departure is None:
        return
    trips = defaultdict(list)
    for trip in facts.history:
        trips[trip.person_id].append(trip)
    for member in facts.members:
        if member.is_teaching_research and params["exempt_teaching_research"]:
            continue
        limit = limit_for(member, params["limits"])
        if limit is None:
            continue
        start = shift_years(facts.departure, -limit["years"])
        end = shift_years(facts.return_date, limit["years"])
        colliding = [
            t
            for t in trips[member.person_id]
            if t.rank in limit["ranks"] and t.return_date >= start and t.departure <= end
        ]
        if len(colliding) >= limit["max_trips"] and not _within_term(
            trips[member.person_id], limit, params.get("term_start"), facts.departure
        ):
            yield Hit(
                "frequency",
                {
                    "name": member.name,
                    "rank": member.rank,
                    "count": len(colliding),
                    "years": limit["years"],
                    "max": limit["max_trips"],
                    # every trip counted, named in the message (engine.render)
                    "trips": [
                        {
                            "trip": t.case_number or t.title,
                            "departure": t.departure.isoformat(),
                            "return": t.return_date.isoformat(),
                        }
                        for t in colliding
                    ],
                },
                {
                    "person": member.person_id,
                    "trips": [
                        {"delegation": t.delegation_id, "case_number": t.case_number}
                        for t in colliding
                    ],
                },
                subject=str(member.person_id),
            )


def _within_term(trips, limit, term_start, departure) -> bool:
    """The alternative allowance: this trip is still within ``per_term`` trips since the term
    began. Without a recorded term start only the years rule applies."""
    if not term_start or "per_term" not in limit:
        return False
    start = dt.date.fromisoformat(term_start)
    if departure < start:
        return False
    earlier = [t for t in trips if t.rank in limit["ranks"] and t.departure >= start]
    return len(earlier) + 1 <= limit["per_term"]


@rule(
    "same-leadership",
    title=gettext_lazy("Same leadership team"),
    severity=Severity.WARN,
    source=CENTRAL_2013,
    params={"max_together": 1},
    messages={
        "same-leadership": gettext_lazy(
            "%(names)s are all members of the leadership team of %(team)s and should not travel together (%(source)s)."
        )
    },
)
def same_leadership(facts, params):
    """Members ticked as on their unit's leadership team, grouped by unit: a unit has one team."""
    teams = defaultdict(list)
    for member in facts.members:
        if member.leadership_unit_id is not None:
            teams[member.leadership_unit_id].append(member)
    for unit_id, members in teams.items():
        if len(members) > params["max_together"]:
            yield Hit(
                "same-leadership",
                {"names": "、".join(m.name for m in members), "team": members[0].leadership_unit},
                {"people": [m.person_id for m in members]},
                subject=str(unit_id),
            )
