"""Name keys for fuzzy screening: one spelling-independent key per way a name can be written.

A control list is typed by other offices in whatever script they use: 张伟, 張偉 (traditional,
e.g. from Hong Kong or Taiwan records) or ZHANG WEI (passport pinyin), sometimes with the given
name's characters transposed (张伟明 / 张明伟). Two keys cover these cases:

- ``zh_key``: the name in simplified characters, surname first, the given name's characters
  sorted, so that 張偉明, 张伟明 and 张明伟 share one key;
- ``pinyin_key``: the name's pinyin syllables, sorted, so that 张伟明, ZHANG WEIMING,
  Weiming ZHANG and 章玮明 (a homophone) share one key.

Sorting throws away order on purpose: a key only narrows the candidates, and a fuzzy match also
needs the same birth date before a reviewer is asked to look (DESIGN.md §4, ``watchlist``).
Both keys are computed by the same functions on the list side and on the traveller side, so
whatever pypinyin reads for a character, it reads it the same way on both sides.
"""

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from waiban.people.pinyin import split_name, suggest_pinyin

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
# Separators people put inside names: spaces, the middle dots of minority and foreign names,
# hyphens, apostrophes (XI'AN), commas (ZHANG, WEI).
_SEPARATORS = re.compile(r"[\s·•・‧∙.\-‐'’,，、/]+")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def clean(name: str) -> str:
    """NFKC (full-width letters to ASCII), trimmed; the name otherwise as written."""
    return unicodedata.normalize("NFKC", name or "").strip()


def _cjk_part(name: str) -> str:
    return "".join(_CJK.findall(name))


def _latin_tokens(name: str) -> list[str]:
    """Latin words of a name, capitals without accents; ü and v as the passport's YU."""
    text = clean(name).upper().replace("Ü", "YU").replace("U:", "YU")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _CJK.sub(" ", text)
    tokens = [t for t in _SEPARATORS.split(text) if t]
    return ["".join(ch for ch in t if "A" <= ch <= "Z") for t in tokens if t.isascii()]


@lru_cache(maxsize=1)
def _syllable_set() -> frozenset[str]:
    """Every pinyin syllable pypinyin knows, spelt as on a passport (LYU, NYU)."""
    syllables = set()
    for code in pinyin_dict:
        for reading in lazy_pinyin(chr(code), style=Style.NORMAL, v_to_u=False, errors="ignore"):
            syllables.add(reading.upper().replace("V", "YU"))
    return frozenset(s for s in syllables if s.isalpha() and s.isascii())


def segment(word: str) -> list[str]:
    """``WEIMING`` -> ``["WEI", "MING"]``: fewest syllables, longest first on a tie.

    A word that is not pinyin (a foreign name) is kept whole.
    """
    word = word.upper().replace("V", "YU")
    syllables = _syllable_set()
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for start in range(n - 1, -1, -1):
        for end in range(min(n, start + 6), start, -1):  # no syllable is longer than 6
            rest = best[end]
            if rest is not None and word[start:end] in syllables:
                if best[start] is None or len(rest) + 1 < len(best[start]):
                    best[start] = [word[start:end], *rest]
    return best[0] if best[0] is not None else [word]


def _pinyin_key_from_words(words: list[str]) -> str:
    syllables = [s for w in words if w for s in segment(w)]
    return " ".join(sorted(syllables))


def zh_key(name: str) -> str:
    """张伟明, 張偉明, 张明伟 -> ``张伟明``-like key (surname + sorted given characters); "" if no
    Chinese characters."""
    chars = to_simplified(_cjk_part(clean(name)))
    if not chars:
        return ""
    surname, given = split_name(chars)
    return surname + "".join(sorted(given))


def pinyin_key(name: str) -> str:
    """张伟明, ZHANG WEIMING, Weiming Zhang -> ``MING WEI ZHANG``; "" for an empty name.

    Chinese characters are read the way the people registry suggests passport spellings
    (surname readings such as 单 SHAN); Latin letters are cut into syllables.
    """
    cleaned = clean(name)
    chars = to_simplified(_cjk_part(cleaned))
    if chars:
        surname, given = suggest_pinyin(chars)
        return _pinyin_key_from_words([surname, given])
    return _pinyin_key_from_words(_latin_tokens(cleaned))


def with_birth(key: str, birth) -> str:
    """``张伟|19650505``: a name key joined to the birth date, the unit a fuzzy match needs."""
    return f"{key}|{birth:%Y%m%d}" if key and birth else ""


@lru_cache(maxsize=20_000)
def person_keys(*, name_zh: str, surname_pinyin: str = "", given_name_pinyin: str = ""):
    """(zh keys, pinyin keys) of a traveller: from the Chinese name and the recorded pinyin,
    which the clerk may have corrected (a polyphonic surname). A pure function of the names,
    remembered: every submission and every re-screening asks again for the same people, and
    reading a name in pinyin is the slow part."""
    zh = frozenset({zh_key(name_zh)} - {""})
    pinyin = {pinyin_key(name_zh)}
    recorded = f"{surname_pinyin or ''} {given_name_pinyin or ''}".strip()
    if recorded:
        pinyin.add(pinyin_key(recorded))
    return zh, frozenset(pinyin - {""})
