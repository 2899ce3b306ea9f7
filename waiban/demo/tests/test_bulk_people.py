"""The scale path's people (travellers.py) and how delegations draw on them (pool.py)."""

import io
import statistics
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

from waiban.accounts.models import Unit, User
from waiban.accounts.roles import Role
from waiban.core.crypto import blind_index, decrypt
from waiban.demo import catalog
from waiban.demo.pool import SENIORITY
from waiban.people.idnumber import parse_id_number
from waiban.people.models import Person, Rank
from waiban.people.pinyin import suggest_pinyin
from waiban.people.selectors import person_list
from waiban.visits.models import Delegation, DelegationMember

pytestmark = pytest.mark.django_db

DELEGATIONS = 2000


@pytest.fixture
def seeded():
    call_command(
        "seed_demo", "--delegations", str(DELEGATIONS), "--seed", "11", stdout=io.StringIO()
    )


def test_a_bulk_run_adds_people_as_the_person_service_would_store_them(seeded):
    people = list(Person.objects.order_by("id"))
    assert len(people) >= DELEGATIONS // 2
    assert Unit.objects.count() == len(catalog.UNITS) + (DELEGATIONS - 100) // 100
    showcase_units = {name for _key, name, *_rest in catalog.UNITS}
    numbers = [person.id_number for person in people]
    assert len(set(numbers)) == len(numbers)
    for person in people:
        info = parse_id_number(person.id_number)
        assert (info.birth_date, info.sex) == (person.birth_date, person.sex), person.id_number
        if person.unit.name not in showcase_units:
            assert not info.warnings, person.id_number  # a birthplace code of the birth year
        assert person.id_number_hash == blind_index(person.id_number)
        assert person.phone_hash == blind_index(person.phone) != ""
        assert (person.surname_pinyin, person.given_name_pinyin) == suggest_pinyin(person.name_zh)
        assert person.post and person.rank in Rank.values

    # the columns hold Fernet tokens of the values, as EncryptedTextField writes them
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, id_number, phone FROM people_person")
        stored = {pk: (id_number, phone) for pk, id_number, phone in cursor.fetchall()}
    for person in people:
        id_token, phone_token = stored[person.pk]
        assert id_token != person.id_number and phone_token != person.phone
        assert (decrypt(id_token), decrypt(phone_token)) == (person.id_number, person.phone)

    # the unit's clerk finds each one by ID number (the blind index), as on the people page
    clerks = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT_CLERK).order_by("-id")}
    for person in people[::25]:
        found = person_list(user=clerks[person.unit_id], query=person.id_number.lower())
        assert [p.pk for p in found] == [person.pk]

    ranks = Counter(person.rank for person in people)
    assert ranks[Rank.PROVINCIAL_FULL] + ranks[Rank.PROVINCIAL_DEPUTY] > 0
    assert ranks[Rank.BUREAU_FULL] + ranks[Rank.BUREAU_DEPUTY] > 0
    assert ranks[Rank.OTHER] > len(people) / 3  # most travellers hold no leading post
    assert any(person.is_teaching_research for person in people)
    per_unit = Counter(person.unit_id for person in people)
    assert min(per_unit[unit.pk] for unit in Unit.objects.all()) >= 2


def test_bulk_members_come_from_their_unit_led_by_the_most_senior_and_travel_a_few_times(seeded):
    units = dict(Delegation.objects.values_list("id", "unit_id"))
    leaders = dict(Delegation.objects.values_list("id", "leader_id"))
    people = {
        pk: (unit, rank) for pk, unit, rank in Person.objects.values_list("id", "unit_id", "rank")
    }
    members: dict[int, list] = {}
    for delegation_id, person_id, role in DelegationMember.objects.order_by("position").values_list(
        "delegation_id", "person_id", "role"
    ):
        members.setdefault(delegation_id, []).append((person_id, role))
    for delegation_id, rows in members.items():
        assert all(people[pk][0] == units[delegation_id] for pk, _role in rows)
        assert len({pk for pk, _role in rows}) == len(rows)
    bulk = [d for d in members if d > max(members) - (DELEGATIONS - 100)]
    for delegation_id in bulk:
        rows = members[delegation_id]
        assert rows[0] == (leaders[delegation_id], "leader")
        seniority = [SENIORITY[people[pk][1]] for pk, _role in rows]
        assert seniority[0] == min(seniority)

    trips = Counter(DelegationMember.objects.values_list("person_id", flat=True))
    per_person = sorted(trips.get(pk, 0) for pk in people)
    assert statistics.median(per_person) <= 10
    assert sum(n <= 10 for n in per_person) > 0.7 * len(per_person)
    assert per_person[0] == 0 and per_person[-1] < 100  # some never went, nobody lives abroad
