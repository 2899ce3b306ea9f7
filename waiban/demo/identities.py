"""Believable identities: credit codes, names with passport pinyin, ID numbers, phone numbers."""

import datetime as dt
import random

from stdnum.cn import uscc

from waiban.demo import catalog
from waiban.people.pinyin import suggest_pinyin
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
    surname, given = suggest_pinyin(name)
    return {
        "name_zh": name,
        "surname_pinyin": surname,
        "given_name_pinyin": given,
        "sex": sex,
        "birth_date": birth,
        "id_number": number,
        "phone": make_phone(rng),
    }
