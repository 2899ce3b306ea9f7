import datetime as dt

import pytest

from waiban.core.errors import ServiceError
from waiban.passports.mrz import check_digit, mrz_parse

SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


def test_it_reads_the_icao_specimen():
    mrz = mrz_parse(SPECIMEN)
    assert mrz.number == "L898902C3"
    assert mrz.surname == "ERIKSSON"
    assert mrz.given_names == "ANNA MARIA"
    assert mrz.issuing_state == "UTO"
    assert mrz.birth_date == dt.date(1974, 8, 12)
    assert mrz.expiry_date == dt.date(2012, 4, 15)
    assert mrz.sex == "F"
    assert mrz.personal_number == "ZE184226B"


def test_check_digits_weigh_7_3_1_with_letters_from_10():
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("<<<<") == "0"


def test_it_accepts_the_two_lines_run_together():
    assert mrz_parse(SPECIMEN.replace("\n", "")).number == "L898902C3"


def test_it_refuses_lower_case_naming_the_line():
    # Issue 14: an MRZ is printed in capitals; lower case was typed, and is refused.
    with pytest.raises(ServiceError) as error:
        mrz_parse(SPECIMEN.lower())
    assert error.value.code == "mrz_lower_case"
    assert "Line 1" in error.value.message


def test_it_refuses_an_impossible_date_even_with_a_right_check_digit():
    first, second = SPECIMEN.split("\n")
    birth = "741332"  # the 32nd of the 13th month
    second = second[:13] + birth + check_digit(birth) + second[20:43]
    second += check_digit(second[0:10] + second[13:20] + second[21:43])
    with pytest.raises(ServiceError) as error:
        mrz_parse(first + "\n" + second)
    assert error.value.code == "mrz_date"
    assert "741332" in error.value.message


@pytest.mark.parametrize(
    "position, label",
    [(9, "passport number"), (19, "birth date"), (27, "expiry date"), (42, "personal number")],
)
def test_it_names_the_field_whose_check_digit_does_not_match(position, label):
    first, second = SPECIMEN.split("\n")
    wrong = str((int(second[position]) + 1) % 10)
    corrupted = second[:position] + wrong + second[position + 1 :]
    with pytest.raises(ServiceError) as error:
        mrz_parse(f"{first}\n{corrupted}")
    assert error.value.code == "mrz_check_digit"
    assert label in error.value.message


def test_a_mistyped_number_fails_its_check_digit():
    first, second = SPECIMEN.split("\n")
    with pytest.raises(ServiceError) as error:
        mrz_parse(f"{first}\nL898902C4" + second[9:])
    assert error.value.code == "mrz_check_digit"


def test_the_composite_check_digit_catches_a_change_the_others_miss():
    first, second = SPECIMEN.split("\n")
    with pytest.raises(ServiceError) as error:
        mrz_parse(f"{first}\n{second[:43]}1")
    assert "whole line" in error.value.message


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "mrz_lines"),
        (SPECIMEN.split("\n")[0], "mrz_lines"),
        (SPECIMEN + "<", "mrz_length"),
        (SPECIMEN.replace("ERIKSSON", "ERIKSSO$"), "mrz_characters"),
        (SPECIMEN.replace("P<UTO", "I<UTO"), "mrz_not_passport"),
    ],
)
def test_a_malformed_mrz_gets_a_clear_message(text, code):
    with pytest.raises(ServiceError) as error:
        mrz_parse(text)
    assert error.value.code == code
    assert error.value.field == "mrz"
