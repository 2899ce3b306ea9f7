import pytest
from django.urls import reverse

from waiban.people.pinyin import suggest_pinyin


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("单雪梅", ("SHAN", "XUEMEI")),
        ("曾国藩", ("ZENG", "GUOFAN")),
        ("吕小红", ("LYU", "XIAOHONG")),
        ("欧阳修", ("OUYANG", "XIU")),
        ("司马光", ("SIMA", "GUANG")),
        ("诸葛亮", ("ZHUGE", "LIANG")),
    ],
)
def test_the_suggestion_uses_the_surname_reading_and_passport_spelling(name, expected):
    assert suggest_pinyin(name) == expected


def test_a_u_umlaut_in_the_given_name_is_written_yu():
    assert suggest_pinyin("王女")[1] == "NYU"


def test_the_pinyin_endpoint_answers_the_clerk_with_json(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("people:pinyin"), {"name": "单雪梅"})
    assert response.json() == {"surname": "SHAN", "given": "XUEMEI"}


def test_the_pinyin_endpoint_is_not_there_for_someone_logged_out(client, db):
    response = client.get(reverse("people:pinyin"), {"name": "单雪梅"})
    assert response.status_code == 302
