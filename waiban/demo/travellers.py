"""The scale path's people: hundreds of thousands of travellers spread over the units.

Each unit gets a share of the total by its kind's typical size (a university registers far more
travellers than a county bureau), with its leadership posts first (so the region's leaders are
provincial-level 省部级, a department's 厅局级), then middle managers and staff. The rows carry
what ``person_create`` stores: the ID number and the phone encrypted with ``crypto.encrypt``
(which is what ``EncryptedTextField`` writes) and their blind indexes from ``blind_index``.

On PostgreSQL the rows go in with COPY, chunk by chunk, each chunk its own transaction;
elsewhere ``bulk_create`` writes them (the field encrypts, as for any save).
"""

import random
from collections.abc import Iterator

from django.db import connection, transaction
from django.utils import timezone

from waiban.accounts.models import Unit
from waiban.core.crypto import blind_index, encrypt
from waiban.demo.identities import IdentityMaker
from waiban.demo.province import KINDS, UnitSpec, catalog_specs, unit_specs
from waiban.demo.rows import write_rows
from waiban.people.models import Person, SecretLevel

PERSON_FIELDS = [
    "unit", "name_zh", "surname_pinyin", "given_name_pinyin", "sex", "birth_date", "id_number",
    "id_number_hash", "post", "rank", "secret_level", "phone", "phone_hash",
    "is_teaching_research", "in_leadership_team", "is_active", "created_at", "updated_at",
]  # fmt: skip
CHUNK = 20000
SIZE_SPREAD = 0.35  # sigma of the log-normal factor on a unit's size: no two units alike


def _shares(rng: random.Random, units: list[tuple[Unit, UnitSpec, int]], total: int) -> list[int]:
    """How many people to add to each unit for ``total`` in all, split by the kinds' typical
    sizes; a unit without people gets at least its leadership and a few staff."""
    weights = [
        spec.scale * KINDS[spec.kind].size * rng.lognormvariate(0, SIZE_SPREAD)
        for _unit, spec, _existing in units
    ]
    whole = sum(weights) or 1.0
    counts = []
    for (_unit, spec, existing), weight in zip(units, weights, strict=True):
        share = round(total * weight / whole)
        counts.append(max(share - existing, 0 if existing else KINDS[spec.kind].leader_count + 4))
    short = total - sum(counts) - sum(existing for _u, _s, existing in units)
    if short > 0 and any(counts):  # what rounding left over goes to the biggest unit
        biggest = max(range(len(counts)), key=counts.__getitem__)
        counts[biggest] += short
    return counts


def _posts(rng: random.Random, spec: UnitSpec, count: int, *, leaders: bool):
    """(post, rank, teaching/research, senior) for ``count`` people, the leadership first."""
    kind = KINDS[spec.kind]
    made = 0
    if leaders:
        for post, rank, how_many in kind.leaders:
            for _ in range(how_many):
                if made < count:
                    made += 1
                    yield post.format(title=spec.title), rank, False, True
    middle = made + round((count - made) * kind.middle_share)
    while made < count:
        post, rank, *teaching = rng.choice(kind.middle if made < middle else kind.staff)
        made += 1
        yield post.format(dept=rng.choice(kind.depts)), rank, bool(teaching and teaching[0]), False


def _secret_level(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return SecretLevel.GENERAL
    return SecretLevel.IMPORTANT if roll < 0.12 else SecretLevel.NONE


def _people(rng, maker: IdentityMaker, units, counts) -> Iterator[dict]:
    for (unit, spec, existing), count in zip(units, counts, strict=True):
        for post, rank, teaching, senior in _posts(rng, spec, count, leaders=not existing):
            data = maker.make(
                region=spec.region,
                min_age=42 if senior else 23,
                max_age=59,
                male_share=0.8 if senior else 0.55,
            )
            data.update(
                unit_id=unit.pk,
                post=post,
                rank=rank,
                is_teaching_research=teaching,
                in_leadership_team=senior,
                secret_level=_secret_level(rng),
            )
            yield data


def _row(data: dict, now) -> tuple:
    """A person as ``person_create`` saves it: the values encrypted as the fields would, the
    hashes as the service computes them."""
    return (
        data["unit_id"], data["name_zh"], data["surname_pinyin"], data["given_name_pinyin"],
        data["sex"], data["birth_date"], encrypt(data["id_number"]),
        blind_index(data["id_number"]), data["post"], data["rank"], data["secret_level"],
        encrypt(data["phone"]), blind_index(data["phone"]), data["is_teaching_research"],
        data["in_leadership_team"],
        True, now, now,
    )  # fmt: skip


def _write(chunk: list[dict]) -> None:
    if connection.vendor == "postgresql":
        now = timezone.now()
        write_rows(Person, PERSON_FIELDS, [_row(data, now) for data in chunk])
    else:
        Person.objects.bulk_create(
            [
                Person(
                    **data,
                    id_number_hash=blind_index(data["id_number"]),
                    phone_hash=blind_index(data["phone"]),
                )
                for data in chunk
            ]
        )


def add_people(rng: random.Random, total: int) -> int:
    """People for every unit, ``total`` in the table in all (more when the units' leadership
    alone takes more); returns how many were added."""
    specs = {spec.name: spec for spec in unit_specs()} | catalog_specs()
    existing: dict[int, int] = {}
    for unit_id in Person.objects.values_list("unit_id", flat=True):
        existing[unit_id] = existing.get(unit_id, 0) + 1
    units = [
        (unit, specs[unit.name], existing.get(unit.pk, 0))
        for unit in Unit.objects.order_by("id")
        if unit.name in specs
    ]
    if total <= sum(existing.values()) and all(existing.get(u.pk) for u, _s, _e in units):
        return 0  # a small run: the showcase people are enough
    counts = _shares(rng, units, total)
    if not any(counts):
        return 0
    # the showcase people's numbers are taken (a few hundred, decrypted by the field)
    taken = Person.objects.values_list("id_number", flat=True)
    maker = IdentityMaker(rng, taken=taken)
    added, chunk = 0, []
    for data in _people(rng, maker, units, counts):
        chunk.append(data)
        if len(chunk) == CHUNK:
            with transaction.atomic():
                _write(chunk)
            added, chunk = added + len(chunk), []
    if chunk:
        with transaction.atomic():
            _write(chunk)
        added += len(chunk)
    return added
