"""The travellers of each unit, entered through the same service a clerk uses."""

import random

from waiban.demo import catalog
from waiban.demo.identities import make_identity
from waiban.demo.organisation import Organisation
from waiban.people.models import Person, SecretLevel
from waiban.people.services import person_create

# Demo accounts that are also people of the demo unit (same name, so the story holds together).
DEMO_UNIT_NAMED = {"head": ("unithead", "M"), "staff": ("traveller", "F")}


def _posts(kind: str, n: int, rng: random.Random) -> list[tuple[str, str, bool, str]]:
    """(post, rank, teaching/research, tier) for n people, most senior first."""
    spec = catalog.POSTS[kind]
    deputies = max(1, n // 12)
    middle = round(n * 0.35)
    tiers = ["head"] + ["deputy"] * deputies + ["middle"] * middle
    tiers += ["staff"] * (n - len(tiers))
    result = []
    for tier in tiers:
        post, rank, *teaching = rng.choice(spec[tier])
        post = post.format(dept=rng.choice(spec["depts"]))
        result.append((post, rank, bool(teaching and teaching[0]), tier))
    return result


def create_people(org: Organisation, rng: random.Random) -> dict[str, list[Person]]:
    taken: set[str] = set()
    people: dict[str, list[Person]] = {}
    for key, *_rest, kind, count in catalog.UNITS:
        unit = org.units[key]
        authority_code = unit.authority.code
        areas = catalog.AREA_CODES[authority_code]
        named = dict(DEMO_UNIT_NAMED) if key == catalog.DEMO_UNIT else {}
        people[key] = []
        for post, rank, teaching, tier in _posts(kind, count, rng):
            senior = tier in ("head", "deputy")
            username, sex = named.pop(tier, (None, None))
            data = make_identity(
                rng,
                areas=areas,
                taken=taken,
                min_age=42 if senior else 24,
                max_age=59,
                sex=sex,
                name=org.accounts[username].full_name if username else None,
            )
            roll = rng.random()
            data.update(
                post=post,
                rank=rank,
                is_teaching_research=teaching,
                # the head and deputies: two of them on one draft show the same-leadership rule
                in_leadership_team=senior,
                secret_level=SecretLevel.GENERAL
                if roll < 0.1
                else SecretLevel.IMPORTANT
                if roll < 0.12
                else SecretLevel.NONE,
            )
            people[key].append(person_create(actor=org.clerks[key], unit=unit, data=data))
    return people
