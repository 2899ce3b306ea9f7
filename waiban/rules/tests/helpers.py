"""Small builders of rule facts for the tests."""

import datetime as dt

from waiban.rules.engine import REGISTRY
from waiban.rules.facts import Facts, Member, PastTrip, Stop

START = dt.date(2026, 9, 1)


def members(n, **kwargs):
    return tuple(Member(person_id=i + 1, name=f"成员{i + 1}", **kwargs) for i in range(n))


def itinerary(countries, days, start=START, **stop_kwargs):
    """``countries`` share ``days`` (both ends counted); each stop starts where the last ended."""
    n = len(countries)
    cuts = [start + dt.timedelta(days=round(i * (days - 1) / n)) for i in range(n)]
    cuts.append(start + dt.timedelta(days=days - 1))
    return tuple(
        Stop(country=c, city="X", arrival=cuts[i], departure=cuts[i + 1], **stop_kwargs)
        for i, c in enumerate(countries)
    )


def facts(**kwargs):
    kwargs.setdefault("members", members(3))
    kwargs.setdefault("stops", itinerary(["DE"], 3))
    kwargs.setdefault("budget_total", 1000)
    kwargs.setdefault("inviting_organisation", "Org")
    kwargs.setdefault("inviting_kind", "counterpart")
    kwargs.setdefault("as_of", START - dt.timedelta(days=60))
    return Facts(**kwargs)


def run(code, the_facts, **params):
    rule = REGISTRY[code]
    return list(rule.check(the_facts, {**rule.params, **params}) or ())


def trip(person_id, returned, *, days=5, rank="bureau_deputy", n=1):
    return PastTrip(
        person_id=person_id,
        delegation_id=100 + n,
        case_number=f"2025-{n:07d}",
        title="earlier trip",
        departure=returned - dt.timedelta(days=days - 1),
        return_date=returned,
        rank=rank,
    )


class EveryDayCalendar:
    """Every day is a working day: lead-time arithmetic without holidays."""

    def working_days_between(self, start, end):
        return (end - start).days
