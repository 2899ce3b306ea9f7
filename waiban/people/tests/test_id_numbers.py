import datetime as dt

import pytest

from waiban.people.forms import PersonForm
from waiban.people.idnumber import IdNumberError, check_character, parse_id_number
from waiban.testing.ids import make_id_number


def form_data(**overrides):
    data = {
        "name_zh": "张伟",
        "surname_pinyin": "ZHANG",
        "given_name_pinyin": "WEI",
        "sex": "M",
        "birth_date": "1985-03-07",
        "id_number": make_id_number(birth=dt.date(1985, 3, 7), sex="M", area="450103"),
        "post": "处长",
        "rank": "division_full",
        "secret_level": "none",
        "phone": "138 0013 8000",
    }
    data.update(overrides)
    return data


def test_a_wrong_check_character_is_refused_with_a_message_about_it():
    good = make_id_number(birth=dt.date(1985, 3, 7), sex="M", area="450103")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(IdNumberError, match="check character"):
        parse_id_number(wrong)


def test_a_lowercase_x_check_character_is_accepted_and_stored_as_capital_x():
    first17 = next(
        f"45010319850307{n:03d}"
        for n in range(1000)
        if check_character(f"45010319850307{n:03d}") == "X"
    )
    assert parse_id_number(first17 + "x").number == first17 + "X"


def test_a_15_digit_old_card_number_is_converted_to_18_digits():
    info = parse_id_number("450103850307123")
    assert info.number == "45010319850307123" + check_character("45010319850307123")
    assert info.birth_date == dt.date(1985, 3, 7)
    assert info.sex == "M"  # the last digit of an old number carries the sex


def test_a_number_whose_birth_date_does_not_exist_is_refused():
    first17 = "45010319850230123"  # 30 February
    with pytest.raises(IdNumberError, match="not a real date"):
        parse_id_number(first17 + check_character(first17))


def test_an_unknown_area_code_is_only_a_warning():
    info = parse_id_number(make_id_number(birth=dt.date(1985, 3, 7), sex="F", area="990101"))
    assert info.sex == "F"
    assert any("990101" in w for w in info.warnings)


def test_the_form_marks_the_sex_when_it_does_not_match_the_id_number():
    form = PersonForm(data=form_data(sex="F"))
    assert not form.is_valid()
    assert "sex" in form.errors and "id_number" not in form.errors


def test_the_form_marks_the_birth_date_when_it_does_not_match_the_id_number():
    form = PersonForm(data=form_data(birth_date="1985-03-08"))
    assert not form.is_valid()
    assert "1985-03-07" in form.errors["birth_date"][0]


def test_the_form_normalises_a_15_digit_number_and_the_phone():
    form = PersonForm(data=form_data(id_number="450103850307123"))
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["id_number"]) == 18
    assert form.cleaned_data["phone"] == "13800138000"


def test_the_form_suggests_pinyin_when_the_surname_is_left_empty():
    form = PersonForm(data=form_data(name_zh="单雪梅", surname_pinyin="", given_name_pinyin=""))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["surname_pinyin"], form.cleaned_data["given_name_pinyin"]) == (
        "SHAN",
        "XUEMEI",
    )
