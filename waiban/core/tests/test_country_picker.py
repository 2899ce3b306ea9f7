"""The country picker: destinations in pinyin order, China not offered, each findable by its
Chinese name, pinyin, initials, English name or code."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _options(html):
    select = html.split('name="stops-0-country"', 1)[1].split("</select>", 1)[0]
    return re.findall(
        r'<option value="(\w*)"(?: data-search="([^"]*)")?[^>]*>([^<]*)</option>', select
    )


def test_the_clerks_picker_is_in_pinyin_order_without_china_and_searchable(client, clerk, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(clerk)
    options = _options(client.get(reverse("visits:create")).content.decode())
    codes = [code for code, _words, _name in options if code]
    assert "CN" not in codes
    names = {code: name for code, _words, name in options}
    assert codes.index("AL") < codes.index("DE") < codes.index("FR") < codes.index("JP")
    assert names["HK"] == "中国香港" and names["NP"] == "尼泊尔"
    words = {code: search for code, search, _name in options}
    assert {"德国", "deguo", "dg", "germany", "de"} <= set(words["DE"].split())
    assert "zhongguoxianggang" in words["HK"] and "hong kong, china" in words["HK"]


def test_in_english_the_order_is_alphabetical(client, clerk):
    client.force_login(clerk)
    options = _options(client.get(reverse("visits:create")).content.decode())
    names = [name for code, _words, name in options if code]
    assert names == sorted(names, key=str.casefold)
