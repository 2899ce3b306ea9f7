"""The content of a delegation: who goes, where, when, for what and at what cost."""

import datetime as dt
import random
from decimal import Decimal

from waiban.demo import catalog
from waiban.people.models import RankGroup, rank_group
from waiban.visits.models import InvitingKind

_COUNTRY_NAMES = {
    code: name for region in catalog.DESTINATIONS.values() for code, name, _ in region
}


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def pick_members(rng: random.Random, people: list, *, bureau_leader: bool, must_include=None):
    """Leader first, 1-5 members after, sometimes the last one as interpreter (≤ 6 in all)."""
    bureau = [p for p in people if rank_group(p.rank) == RankGroup.BUREAU]
    seniors = [p for p in people[: max(3, len(people) // 2)] if p not in bureau]
    leader = rng.choice(bureau) if bureau_leader and bureau else rng.choice(seniors or people)
    others = [p for p in people if p != leader and p not in bureau]
    size = min(len(others), rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]))
    members = rng.sample(others, size)
    if must_include is not None and must_include != leader and must_include not in members:
        members[-1:] = [must_include]
    result = [{"person": leader, "role": "leader"}]
    result += [{"person": p, "role": "member"} for p in members]
    if len(result) > 2 and rng.random() < 0.25:
        result[-1]["role"] = "interpreter"
    return result


def pick_itinerary(rng: random.Random, departure: dt.date) -> tuple[str, list[dict]]:
    """1-3 countries of one region within the stay-day limits (5, 8, 10 days)."""
    region = weighted(rng, catalog.REGION_WEIGHTS)
    count = rng.choices([1, 2, 3], weights=[5, 4, 1])[0]
    choices = catalog.DESTINATIONS[region]
    countries = rng.sample(choices, min(count, len(choices)))
    total_days = {1: rng.randint(3, 5), 2: rng.randint(5, 8), 3: rng.randint(7, 10)}[len(countries)]
    # split the days over the countries; departure and arrival days count (DESIGN.md §4)
    cuts = sorted(rng.sample(range(1, total_days - 1), len(countries) - 1))
    bounds = [0, *cuts, total_days - 1]
    stops = []
    for i, (code, _name, cities) in enumerate(countries):
        stops.append(
            {
                "country": code,
                "city": rng.choice(cities),
                "arrival_date": departure + dt.timedelta(days=bounds[i]),
                "departure_date": departure + dt.timedelta(days=bounds[i + 1]),
            }
        )
    return region, stops


def budget_for(rng: random.Random, region: str, stops: list[dict], size: int) -> dict:
    nights = (stops[-1]["departure_date"] - stops[0]["arrival_date"]).days
    air = catalog.AIR_FARE[region] * (1 + 0.3 * (len(stops) - 1)) * rng.uniform(0.9, 1.2)
    lodging = catalog.LODGING[region] * nights * rng.uniform(0.8, 1.0)
    meals = catalog.MEALS[region] * (nights + 1)

    def money(value):
        return Decimal(round(value * size, -2))

    budget = {"air_fare": money(air), "lodging": money(lodging), "meals": money(meals)}
    if rng.random() < 0.4:
        budget["misc"] = Decimal(rng.randrange(5, 40) * 100)
    return budget


def host_kind(host: str) -> str:
    """The kind a clerk would choose for a demo host (none is an agency or a mission)."""
    if any(word in host for word in ("大学", "学院", "研究院")):
        return InvitingKind.UNIVERSITY
    if any(word in host for word in ("公司", "集团")):
        return InvitingKind.COMPANY
    return InvitingKind.COUNTERPART


def describe(rng: random.Random, short_name: str, stops: list[dict]) -> dict:
    task_type = weighted(rng, catalog.TASK_WEIGHTS)
    suffixes, purpose = catalog.TASKS[task_type]
    countries = list(dict.fromkeys(s["country"] for s in stops))
    host = rng.choice(catalog.HOSTS[countries[0]])
    return {
        "title": f"{short_name}赴{'、'.join(_COUNTRY_NAMES[c] for c in countries)}{rng.choice(suffixes)}",
        "task_type": task_type,
        "purpose": purpose.format(host=host),
        "inviting_organisation": host,
        "inviting_organisation_kind": host_kind(host),
    }


def country_name(code: str) -> str:
    return _COUNTRY_NAMES.get(code, code)
