import datetime as dt

import pytest

from waiban.core.crypto import blind_index
from waiban.core.models import AuditEvent
from waiban.people.models import Person
from waiban.testing.factories import DelegationFactory, PersonFactory
from waiban.testing.ids import make_id_number
from waiban.visits.models import DelegationMember
from waiban.visits.states import State
from waiban.watchlists.models import ScreeningHit
from waiban.watchlists.screening import screen_delegation, screen_people, watchlist_rescreen
from waiban.watchlists.tests.helpers import import_list

BIRTH = dt.date(1965, 5, 5)  # outside the factories' random birth dates


def _zhang_wei(unit, **kwargs):
    return PersonFactory(
        unit=unit,
        name_zh=kwargs.pop("name_zh", "张伟"),
        surname_pinyin="ZHANG",
        given_name_pinyin=kwargs.pop("given", "WEI"),
        sex="M",
        birth_date=BIRTH,
        **kwargs,
    )


def _case(unit, person, **traits):
    delegation = DelegationFactory(unit=unit, members=2, **traits)
    DelegationMember.objects.create(delegation=delegation, person=person, role="member", position=9)
    return delegation


@pytest.mark.django_db
def test_an_exact_id_number_match_blocks_whatever_the_name(staff, unit):
    person = _zhang_wei(unit)
    import_list(staff["reviewer"], [["李四", "", person.id_number, "", ""]])

    [hit] = screen_people(people=[person])

    assert (hit.person_id, hit.kind, hit.severity, hit.list_kind) == (
        person.pk,
        "exact",
        "block",
        "not_allowed_to_exit",
    )


@pytest.mark.django_db
def test_an_old_15_digit_number_on_the_list_matches_the_18_digit_number(staff, unit):
    person = _zhang_wei(unit, id_number=make_id_number(birth=BIRTH, sex="M", area="450103"))
    old = person.id_number[:6] + person.id_number[8:17]
    assert len(old) == 15
    import_list(staff["reviewer"], [["张伟", "", old, "", ""]])

    assert [h.kind for h in screen_people(people=[person])] == ["exact"]


@pytest.mark.django_db
@pytest.mark.parametrize("listed", ["張偉", "ZHANG WEI", "Wei Zhang"])
def test_a_name_in_another_script_with_the_same_birth_date_warns(staff, unit, listed):
    person = _zhang_wei(unit)
    import_list(staff["reviewer"], [[listed, "1965-05-05", "", "", ""]])

    [hit] = screen_people(people=[person])

    assert (hit.kind, hit.severity) == ("fuzzy", "warn")


@pytest.mark.django_db
def test_transposed_given_names_with_the_same_birth_date_warn(staff, unit):
    person = _zhang_wei(unit, name_zh="张伟明", given="WEIMING")
    import_list(staff["reviewer"], [["張明偉", "1965/05/05", "", "", ""]])

    assert [h.severity for h in screen_people(people=[person])] == ["warn"]


@pytest.mark.django_db
def test_the_same_name_with_a_different_birth_date_does_not_match(staff, unit):
    person = _zhang_wei(unit)
    import_list(
        staff["reviewer"],
        [["张伟", "1965-05-06", "", "", ""], ["ZHANG WEI", "1975-05-05", "", "", ""]],
    )

    assert screen_people(people=[person]) == []


@pytest.mark.django_db
def test_a_name_without_a_birth_date_never_matches(staff, unit):
    person = _zhang_wei(unit)
    report = import_list(staff["reviewer"], [["张伟", "", "", "", ""]])

    assert screen_people(people=[person]) == []
    assert "cannot match anybody" in report.warnings[0].message


@pytest.mark.django_db
def test_an_unsaved_traveller_typed_into_the_form_is_screened_by_its_number(staff, unit):
    number = make_id_number(birth=BIRTH, sex="F")
    import_list(staff["reviewer"], [["王芳", "", number, "", ""]])
    typed = Person(unit=unit, name_zh="王芳", birth_date=BIRTH, id_number=number)

    [hit] = screen_people(people=[typed])

    assert hit.kind == "exact" and hit.person_id is None


@pytest.mark.django_db
def test_entries_left_out_of_a_new_version_no_longer_match(staff, unit):
    person = _zhang_wei(unit)
    first = import_list(staff["reviewer"], [["张伟", "1965-05-05", "", "", ""]])
    control_list = first.list_import.control_list
    import_list(staff["reviewer"], [["王芳", "1970-01-01", "", "", ""]], control_list=control_list)

    assert screen_people(people=[person]) == []
    entry = control_list.entries.get(name="张伟")
    assert entry.is_active is False and entry.removed_in.version == 2


@pytest.mark.django_db
def test_screening_a_delegation_takes_three_queries_whatever_the_list_size(
    staff, unit, django_assert_max_num_queries
):
    person = _zhang_wei(unit)
    delegation = _case(unit, person, submitted=True)
    rows = [[f"某人{i}", "1980-01-01", "", "", ""] for i in range(300)]
    import_list(staff["reviewer"], [*rows, ["張偉", "1965-05-05", "", "", ""]])

    with django_assert_max_num_queries(3):
        hits = screen_delegation(delegation=delegation)

    assert [(h.person_id, h.severity) for h in hits] == [(person.pk, "warn")]


@pytest.mark.django_db
def test_re_screening_after_an_import_adds_a_hit_for_an_open_case_and_not_a_closed_one(staff, unit):
    person = _zhang_wei(unit)
    open_cases = [_case(unit, person, submitted=True), _case(unit, person, approved=True)]
    closed = [
        _case(unit, person, submitted=True, state=State.REFUSED),
        _case(unit, person, submitted=True, state=State.WITHDRAWN),
    ]

    report = import_list(staff["reviewer"], [["张伟", "", person.id_number, "", ""]])

    assert report.new_hits == 2
    hit_cases = set(ScreeningHit.objects.values_list("delegation_id", flat=True))
    assert hit_cases == {d.pk for d in open_cases}
    assert not hit_cases & {d.pk for d in closed}
    assert ScreeningHit.objects.filter(severity="block", status="open").count() == 2
    assert AuditEvent.objects.filter(action="watchlists.hit_found").count() == 2


@pytest.mark.django_db
def test_re_screening_again_does_not_duplicate_hits_nor_reopen_decided_ones(staff, unit):
    person = _zhang_wei(unit)
    delegation = _case(unit, person, under_review=True)
    first = import_list(staff["reviewer"], [["张伟", "1965-05-05", "", "", ""]])
    ScreeningHit.objects.filter(delegation=delegation).update(status="cleared")

    second = import_list(
        staff["reviewer"],
        [["张伟", "1965-05-05", "", "新备注", ""]],
        control_list=first.list_import.control_list,
    )

    assert (first.new_hits, second.new_hits, watchlist_rescreen()) == (1, 0, [])
    assert list(ScreeningHit.objects.values_list("status", flat=True)) == ["cleared"]
    assert [h.status for h in screen_delegation(delegation=delegation)] == ["cleared"]


@pytest.mark.django_db
def test_the_list_keeps_only_a_keyed_hash_of_the_id_number(staff, unit):
    person = _zhang_wei(unit)
    report = import_list(staff["reviewer"], [["张伟", "", person.id_number.lower(), "", ""]])

    entry = report.list_import.control_list.entries.get()
    assert entry.id_number_hash == blind_index(person.id_number)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM watchlists_listentry")
        stored = repr(cursor.fetchall())
    assert person.id_number not in stored
