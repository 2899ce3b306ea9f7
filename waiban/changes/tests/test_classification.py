"""Each change is classified field by field: administrative or material (DESIGN.md §8)."""

import copy

from waiban.changes.content import classify
from waiban.changes.tests.conftest import shifted, with_country
from waiban.testing.factories import PersonFactory


def fields(changes):
    return {c["field"]: c["material"] for c in changes}


def test_a_corrected_post_is_administrative(current):
    new = copy.deepcopy(current)
    new["members"][1]["post"] = "副处长"
    assert fields(classify(current, new)) == {"post": False}


def test_a_corrected_city_spelling_and_a_reworded_title_are_administrative(current):
    new = copy.deepcopy(current)
    new["stops"][0]["city"] = "柏林市"
    new["title"] = current["title"] + "（更正）"
    assert fields(classify(current, new)) == {"city": False, "title": False}


def test_moved_dates_and_a_new_country_are_material(current):
    new = with_country(shifted(current, 3), "IT", "罗马")
    assert fields(classify(current, new)) == {"dates": True, "countries": True}


def test_a_new_member_and_a_new_leader_are_material(current, approved_case):
    person = PersonFactory(unit=approved_case.unit)
    new = copy.deepcopy(current)
    new["members"][0]["role"] = "member"
    new["members"].insert(
        0,
        {"person": person.pk, "name": person.name_zh, "role": "leader", "post": "局长", "rank": ""},
    )
    assert fields(classify(current, new)) == {"member_added": True, "leader": True}


def test_the_budget_up_is_material_and_down_administrative(current):
    up, down = copy.deepcopy(current), copy.deepcopy(current)
    up["budget"]["misc"] = "500"
    down["budget"]["meals"] = "1000"
    assert fields(classify(current, up)) == {"budget_up": True}
    assert fields(classify(current, down)) == {"budget": False}
