"""Country names in Chinese are corrected wherever a country is named (waiban.core.countries)."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django_countries import countries

from waiban.documents.signing import country_names_zh
from waiban.testing.factories import PersonFactory

CORRECTED = {
    "NP": "尼泊尔",
    "BA": "波斯尼亚和黑塞哥维那",
    "WS": "萨摩亚",
    "AS": "美属萨摩亚",
    "HK": "中国香港",
    "MO": "中国澳门",
    "TW": "中国台湾",
    "TJ": "塔吉克斯坦",
    "KR": "韩国",
    "DM": "多米尼克",
}


@pytest.mark.parametrize("code, name", CORRECTED.items())
def test_a_corrected_name_is_used_in_chinese(code, name):
    with translation.override("zh-hans"):
        assert countries.name(code) == name


def test_every_chinese_name_is_chinese_unique_and_without_stray_blanks():
    with translation.override("zh-hans"):
        names = [name for _code, name in countries]
    assert len(names) == len(set(names))
    assert all(name == name.strip() for name in names)
    assert all(re.search("[\u4e00-\u9fff]", name) for name in names)
    assert "尼珀尔" not in names and "香港" not in names and "台湾" not in names


def test_hong_kong_macao_and_taiwan_are_regions_of_china_in_english_too():
    with translation.override("en"):
        assert [countries.name(c) for c in ("HK", "MO", "TW")] == [
            "Hong Kong, China",
            "Macao, China",
            "Taiwan, China",
        ]
        # the names not in the table are django-countries' own
        assert (countries.name("NP"), countries.name("KR")) == ("Nepal", "South Korea")


def test_documents_name_the_corrected_countries():
    assert country_names_zh(["NP", "HK"]) == ["尼泊尔", "中国香港"]


def _option(html, code):
    return re.search(rf'<option value="{code}"[^>]*>([^<]*)</option>', html).group(1)


def _draft(person, stops):
    start = timezone.localdate() + dt.timedelta(days=60)
    data = {
        "title": "出访",
        "task_type": "business_talks",
        "purpose": "经贸洽谈",
        "inviting_organisation": "Org",
        "inviting_organisation_kind": "counterpart",
        "funding_source": "fiscal",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-person": str(person.pk),
        "members-0-role": "leader",
        "stops-TOTAL_FORMS": str(len(stops)),
        "stops-INITIAL_FORMS": "0",
        "budget-air_fare": "30000",
    }
    for i, code in enumerate(stops):
        day = start + dt.timedelta(days=2 * i)
        data.update(
            {
                f"stops-{i}-country": code,
                f"stops-{i}-city": "X",
                f"stops-{i}-arrival_date": day.isoformat(),
                f"stops-{i}-departure_date": (day + dt.timedelta(days=2)).isoformat(),
            }
        )
    return data


@pytest.mark.django_db
def test_the_country_picker_of_the_application_form_shows_the_corrected_names(client, clerk):
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(reverse("visits:create")).content.decode()
    assert {code: _option(html, code) for code in CORRECTED} == CORRECTED
    assert "尼珀尔" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("visits:create")).content.decode()
    assert _option(html, "HK") == "Hong Kong, China"


@pytest.mark.django_db
def test_a_rule_message_names_the_corrected_countries(client, clerk, unit):
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    post = _draft(PersonFactory(unit=unit), ["NP", "BA", "WS", "HK"])
    findings = client.post(reverse("rules:live"), post).json()["findings"]
    [too_many] = [f for f in findings if f["code"] == "country-count"]
    assert "尼泊尔、波斯尼亚和黑塞哥维那、萨摩亚、中国香港" in too_many["message"]
