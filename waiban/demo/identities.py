"""Believable identities: credit codes, names with passport pinyin, ID numbers, phone numbers."""

import datetime as dt
import random
from collections.abc import Iterable

from stdnum.cn import uscc

from waiban.demo import catalog, province
from waiban.people.pinyin import split_name, suggest_pinyin
from waiban.testing.ids import make_id_number

_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    """Check character of the 9-character organisation code (GB 11714)."""
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make_uscc(*, prefix: str, area: str, rng: random.Random) -> str:
    """An 18-character unified social credit code whose embedded org code is valid too."""
    body = f"{rng.randrange(0, 10**8):08d}"
    first17 = f"{prefix}{area}{body}{_org_code_check(body)}"
    return first17 + uscc.calc_check_digit(first17)


def make_name(rng: random.Random, sex: str) -> str:
    surname = rng.choice(catalog.COMPOUND_SURNAMES) if rng.random() < 0.02 else None
    surname = surname or rng.choice(catalog.SURNAMES)
    chars = catalog.GIVEN_MALE if sex == "M" else catalog.GIVEN_FEMALE
    given = "".join(rng.choice(chars) for _ in range(1 if rng.random() < 0.3 else 2))
    return surname + given


def make_phone(rng: random.Random) -> str:
    return rng.choice(["135", "136", "138", "139", "150", "177", "181", "186", "189", "199"]) + (
        f"{rng.randrange(0, 10**8):08d}"
    )


def make_identity(
    rng: random.Random,
    *,
    areas: list[str],
    taken: set[str],
    min_age=24,
    max_age=60,
    sex: str | None = None,
    name: str | None = None,
):
    """A person's personal data: name, pinyin, sex, birth date and a valid, unused ID number."""
    sex = sex or ("M" if rng.random() < 0.58 else "F")
    name = name or make_name(rng, sex)
    today = dt.date.today()
    birth = today - dt.timedelta(days=rng.randrange(min_age * 365, max_age * 365))
    area = rng.choice(areas) if rng.random() < 0.85 else rng.choice(catalog.OUTSIDE_AREA_CODES)
    while True:
        number = make_id_number(birth=birth, sex=sex, rng=rng, area=area)
        if number not in taken:
            taken.add(number)
            break
    return _identity(name, suggest_pinyin(name), sex, birth, number, make_phone(rng))


def _identity(name, pinyin: tuple[str, str], sex, birth, number, phone) -> dict:
    return {
        "name_zh": name,
        "surname_pinyin": pinyin[0],
        "given_name_pinyin": pinyin[1],
        "sex": sex,
        "birth_date": birth,
        "id_number": number,
        "phone": phone,
    }


class IdentityMaker:
    """``make_identity`` for hundreds of thousands of people.

    The pinyin is looked up once per surname and once per given name: ``suggest_pinyin`` spells
    the two parts separately, so the result is the same as for the whole name. Numbers already
    used are kept as integers (their first 17 digits), and the birthplace code is one in use in
    the birth year, as python-stdnum's check expects (``province.area_codes``).
    """

    def __init__(self, rng: random.Random, *, taken: Iterable[str] = ()):
        self.rng = rng
        self.taken = {int(number[:17]) for number in taken}
        self.today = dt.date.today()
        self._surnames: dict[str, str] = {}
        self._given: dict[str, str] = {}
        self._areas: dict[tuple[str, int], list[str]] = {}
        self._outside = sorted({code[:2] for code in catalog.OUTSIDE_AREA_CODES})

    def _pinyin(self, name: str) -> tuple[str, str]:
        surname, given = split_name(name)
        if surname not in self._surnames:
            self._surnames[surname] = suggest_pinyin(surname + "明")[0]
        if given not in self._given:
            self._given[given] = suggest_pinyin("王" + given)[1]  # 王 is no compound's start
        return self._surnames[surname], self._given[given]

    def _codes(self, region: str, year: int) -> list[str]:
        key = (region, year)
        if key not in self._areas:
            codes = [
                code
                for code, windows in province.area_codes(region[:2])
                if code.startswith(region) and any(a <= year <= b for a, b, _n in windows)
            ]
            if not codes and region != catalog.PROVINCE_CODE[:2]:
                # a city founded after the birth year, or a province without codes for it
                codes = self._codes(
                    region[:2] if len(region) > 2 else catalog.PROVINCE_CODE[:2], year
                )
            self._areas[key] = codes
        return self._areas[key]

    def _area(self, region: str, year: int) -> str:
        """A county-level code of the region in use in ``year``; 15% born elsewhere."""
        if self.rng.random() < 0.15:
            region = self.rng.choice(self._outside)
        return self.rng.choice(self._codes(region, year))

    def make(self, *, region: str, min_age: int, max_age: int, male_share: float) -> dict:
        rng = self.rng
        sex = "M" if rng.random() < male_share else "F"
        name = make_name(rng, sex)
        birth = self.today - dt.timedelta(days=rng.randrange(min_age * 365, max_age * 365))
        area = self._area(region, birth.year)
        while True:
            number = make_id_number(birth=birth, sex=sex, rng=rng, area=area)
            key = int(number[:17])
            if key not in self.taken:
                self.taken.add(key)
                break
        return _identity(name, self._pinyin(name), sex, birth, number, make_phone(rng))
