"""The country picker of the forms: destinations only (China itself is not one; Hong Kong, Macao
and Taiwan are regions of China and named so), sorted as a reader of the page's language expects
(by pinyin in Chinese), each option carrying what a clerk may type to find it: the Chinese name,
its pinyin and initials, the English name and the code (waiban/core/static/waiban/country_search.js
filters on it)."""

import functools

from django import forms
from django.utils import translation
from django_countries import countries
from pypinyin import Style, lazy_pinyin

HOME = "CN"


def _pinyin(name: str) -> tuple[str, str]:
    syllables = lazy_pinyin(name)
    return "".join(syllables), "".join(s[:1] for s in syllables)


def destination_choices() -> list[tuple[str, str]]:
    """(code, name) of every destination in the active language, in that language's order."""
    return list(_destinations(translation.get_language() or ""))


@functools.cache
def _destinations(language: str) -> tuple[tuple[str, str], ...]:
    # The names are fixed for a language (settings' overrides included): sorted once.
    rows = [(code, str(name)) for code, name in countries if code != HOME]
    if language.lower().startswith("zh"):
        rows.sort(key=lambda row: (lazy_pinyin(row[1], style=Style.TONE3), row[0]))
    else:
        rows.sort(key=lambda row: (row[1].casefold(), row[0]))
    return tuple(rows)


@functools.cache
def search_words(code: str) -> str:
    """What finds ``code`` in any page language: its Chinese name, pinyin and initials, its
    English name, its code."""
    with translation.override("zh-hans"):
        chinese = str(dict(countries).get(code, ""))
    with translation.override("en"):
        english = str(dict(countries).get(code, ""))
    full, initials = _pinyin(chinese)
    return " ".join([chinese, full, initials, english, code]).lower()


class CountrySelect(forms.Select):
    """A select whose options carry their search words, enhanced by country_search.js."""

    def __init__(self, attrs=None):
        super().__init__({"data-country-search": "", **(attrs or {})})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-search"] = search_words(str(value))
        return option

    class Media:
        js = ["waiban/country_search.js"]
