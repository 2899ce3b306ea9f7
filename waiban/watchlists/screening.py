"""Screening travellers against the control lists (rule ``watchlist``, DESIGN.md §4).

- the ID number's keyed hash equals an entry's: an exact match, severity ``block``;
- the name matches in any script (simplified, traditional, pinyin, given name transposed) AND the
  birth date is the same: a fuzzy match, severity ``warn``, for a reviewer to decide.

A name alone never matches: 张伟 is one of the most common names in China.

``screen_people`` and ``screen_delegation`` only read (one query for the entries per 500
travellers, whatever the size of the lists) and are what the rules engine calls.
``screening_record`` and ``watchlist_rescreen`` store what they find as ``ScreeningHit`` rows,
once per (case, person, entry): a decided hit stays decided when the lists are screened again.

What a match means is for office staff only: a unit's clerk learns that a member needs review
by the office, never which list or which entry (see the template tags).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q

from waiban.core.audit import audit_record
from waiban.core.crypto import blind_index
from waiban.watchlists.models import ListEntry, MatchKind, ScreeningHit, Severity
from waiban.watchlists.names import person_keys, with_birth

# All a unit may be told about a match (for the rules engine's finding on the clerk's side).

CHUNK = 500  # travellers per entry query: keeps the IN lists of one query reasonable


def rescreen_states() -> set[str]:
    """Cases screened again when a list changes: not yet decided, approved, or abroad now (the
    office must know of a traveller listed while away). Not those back home or closed."""
    from waiban.visits.states import OPEN_STATES, State

    return {*OPEN_STATES, State.APPROVED, State.TRAVELLING}


@dataclass(frozen=True)
class ScreeningMatch:
    """One traveller matching one entry. ``status`` is the stored decision when known."""

    person_id: int
    kind: str  # MatchKind: "exact" | "fuzzy"
    severity: str  # Severity: "block" | "warn"
    entry_id: int
    list_kind: str  # ListKind; for office staff only, never shown to a unit
    status: str = ""  # ScreeningHit.Status, "" when this match is not stored for a case

    @property
    def needs_review(self) -> bool:
        return self.status in ("", ScreeningHit.Status.OPEN, ScreeningHit.Status.CONFIRMED)


@dataclass(frozen=True)
class PersonKeys:
    person_id: int
    id_hash: str
    birth_date: dt.date | None
    name_keys: frozenset[str]  # zh and pinyin keys joined to the birth date (names.with_birth)


def keys_for(
    *,
    person_id,
    name_zh,
    surname_pinyin="",
    given_name_pinyin="",
    birth_date=None,
    id_number_hash="",
) -> PersonKeys:
    zh, pinyin = person_keys(
        name_zh=name_zh, surname_pinyin=surname_pinyin, given_name_pinyin=given_name_pinyin
    )
    joined = {with_birth(k, birth_date) for k in zh | pinyin} - {""}
    return PersonKeys(person_id, id_number_hash or "", birth_date, frozenset(joined))


def person_screening_keys(person) -> PersonKeys:
    """Keys of a Person (saved or not: an unsaved one's hash is computed from its number)."""
    id_hash = getattr(person, "id_number_hash", "") or ""
    if not id_hash and getattr(person, "id_number", ""):
        from waiban.people.idnumber import IdNumberError, parse_id_number

        try:
            id_hash = blind_index(parse_id_number(person.id_number).number)
        except IdNumberError:
            id_hash = ""
    return keys_for(
        person_id=person.pk,
        name_zh=person.name_zh,
        surname_pinyin=person.surname_pinyin,
        given_name_pinyin=person.given_name_pinyin,
        birth_date=person.birth_date,
        id_number_hash=id_hash,
    )


def match_entries(people: Iterable[PersonKeys], entries: Iterable[dict]) -> list[ScreeningMatch]:
    """Pure: which of ``entries`` (dicts: id, id_number_hash, zh_birth_key, pinyin_birth_key,
    list_kind) each traveller matches. An exact match hides a fuzzy one of the same pair."""
    by_hash = defaultdict(list)
    by_name = defaultdict(list)
    for p in people:
        if p.id_hash:
            by_hash[p.id_hash].append(p)
        for key in p.name_keys:
            by_name[key].append(p)
    found: dict[tuple, ScreeningMatch] = {}
    for e in entries:
        if e["id_number_hash"]:
            for p in by_hash.get(e["id_number_hash"], ()):
                found[(p.person_id, e["id"])] = ScreeningMatch(
                    p.person_id,
                    MatchKind.EXACT.value,
                    Severity.BLOCK.value,
                    e["id"],
                    e["list_kind"],
                )
        for key in {e["zh_birth_key"], e["pinyin_birth_key"]} - {""}:
            for p in by_name.get(key, ()):
                found.setdefault(
                    (p.person_id, e["id"]),
                    ScreeningMatch(
                        p.person_id,
                        MatchKind.FUZZY.value,
                        Severity.WARN.value,
                        e["id"],
                        e["list_kind"],
                    ),
                )
    return sorted(
        found.values(), key=lambda m: (m.person_id or 0, m.kind != MatchKind.EXACT, m.entry_id)
    )


def candidate_entries(people: list[PersonKeys]) -> list[dict]:
    """The active entries that may match these travellers: one query, three indexed IN lists."""
    hashes = sorted({p.id_hash for p in people if p.id_hash})
    names = sorted({k for p in people for k in p.name_keys})
    if not hashes and not names:
        return []

    condition = Q(pk__in=[])
    if hashes:
        condition |= Q(id_number_hash__in=hashes)
    if names:
        condition |= Q(zh_birth_key__in=names) | Q(pinyin_birth_key__in=names)
    return list(
        ListEntry.objects.filter(condition, is_active=True, control_list__is_active=True)
        .order_by()
        .values("id", "id_number_hash", "zh_birth_key", "pinyin_birth_key")
        .annotate(list_kind=F("control_list__kind"))
    )


def screen_keys(people: Iterable[PersonKeys]) -> list[ScreeningMatch]:
    people = list(people)
    matches = []
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        matches.extend(match_entries(chunk, candidate_entries(chunk)))
    return matches


def screen_people(*, people) -> list[ScreeningMatch]:
    """Matches of these Person objects against every active list (nothing is stored)."""
    return screen_keys(person_screening_keys(p) for p in people)


def _member_keys(delegation_ids) -> tuple[dict[int, PersonKeys], dict[int, set[int]]]:
    """Keys of the members of these cases and which cases each person is in (one query; the
    encrypted ID number is not even read, its hash is enough)."""
    from waiban.visits.models import DelegationMember

    rows = DelegationMember.objects.filter(delegation_id__in=delegation_ids).values_list(
        "delegation_id",
        "person_id",
        "person__name_zh",
        "person__surname_pinyin",
        "person__given_name_pinyin",
        "person__birth_date",
        "person__id_number_hash",
    )
    keys: dict[int, PersonKeys] = {}
    cases: dict[int, set[int]] = defaultdict(set)
    for delegation_id, person_id, name, surname, given, birth, id_hash in rows:
        cases[person_id].add(delegation_id)
        if person_id not in keys:
            keys[person_id] = keys_for(
                person_id=person_id,
                name_zh=name,
                surname_pinyin=surname,
                given_name_pinyin=given,
                birth_date=birth,
                id_number_hash=id_hash,
            )
    return keys, cases


def screen_delegation(*, delegation) -> list[ScreeningMatch]:
    """Matches of a case's members, with the stored decision of each (three queries)."""
    keys, _cases = _member_keys([delegation.pk])
    matches = screen_keys(keys.values())
    if not matches:
        return []
    stored = {
        (person_id, entry_id): status
        for person_id, entry_id, status in ScreeningHit.objects.filter(
            delegation_id=delegation.pk
        ).values_list("person_id", "entry_id", "status")
    }
    return [
        ScreeningMatch(
            m.person_id,
            m.kind,
            m.severity,
            m.entry_id,
            m.list_kind,
            stored.get((m.person_id, m.entry_id), ""),
        )
        for m in matches
    ]


def _store(triples: list[tuple[int, ScreeningMatch]], *, actor=None) -> list[ScreeningHit]:
    """Store (case, match) pairs not stored yet; returns the new hits. Idempotent."""
    if not triples:
        return []
    existing = set(
        ScreeningHit.objects.filter(
            delegation_id__in={d for d, _ in triples}, entry_id__in={m.entry_id for _, m in triples}
        ).values_list("delegation_id", "person_id", "entry_id")
    )
    new = []
    seen = set()
    for delegation_id, m in triples:
        key = (delegation_id, m.person_id, m.entry_id)
        if key in existing or key in seen:
            continue
        seen.add(key)
        new.append(
            ScreeningHit(
                delegation_id=delegation_id,
                person_id=m.person_id,
                entry_id=m.entry_id,
                kind=m.kind,
                severity=m.severity,
            )
        )
    if not new:
        return []
    with transaction.atomic():
        # ignore_conflicts: a concurrent screening of the same case stored it first.
        ScreeningHit.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        stored = list(
            ScreeningHit.objects.filter(
                delegation_id__in={h.delegation_id for h in new},
                entry_id__in={h.entry_id for h in new},
            )
        )
        stored = [h for h in stored if (h.delegation_id, h.person_id, h.entry_id) in seen]
        for hit in stored:
            audit_record(
                actor=actor,
                action="watchlists.hit_found",
                obj=hit,
                new={
                    "delegation": hit.delegation_id,
                    "person": hit.person_id,
                    "entry": hit.entry_id,
                    "kind": hit.kind,
                    "severity": hit.severity,
                },
            )
    return stored


def screening_record(*, delegation, actor=None, matches=None) -> list[ScreeningHit]:
    """Screen one case and store new hits (for the workflow to call on submission).

    ``matches``: the members' matches when the caller has just screened them, in the same
    transaction (the rules do, at submission); None screens the members here."""
    if matches is None:
        keys, _cases = _member_keys([delegation.pk])
        matches = screen_keys(keys.values())
    return _store([(delegation.pk, m) for m in matches], actor=actor)


def watchlist_rescreen(*, actor=None, delegation_ids=None) -> list[ScreeningHit]:
    """Screen every case not yet closed again (after a list changed); store the new hits.

    ``delegation_ids`` limits it to some cases. Runs after the list's own transaction: a failure
    here leaves the new list in place, and running it again (management command
    ``watchlist_rescreen``) finds the same hits once.
    """
    from waiban.visits.models import Delegation

    cases = Delegation.objects.filter(state__in=rescreen_states())
    if delegation_ids is not None:
        cases = cases.filter(pk__in=delegation_ids)
    keys, person_cases = _member_keys(cases.values("pk"))
    triples = [
        (delegation_id, m)
        for m in screen_keys(keys.values())
        for delegation_id in sorted(person_cases[m.person_id])
    ]
    return _store(triples, actor=actor)
