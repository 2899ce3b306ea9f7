"""Valid identity numbers and credit codes for tests and demo data."""

import datetime as dt
import random

from stdnum.cn import uscc

from waiban.people.idnumber import check_character

AREA_CODES = ["450103", "450102", "450203", "450305", "450821", "110101", "310104", "440106"]


def make_id_number(
    *, birth: dt.date, sex: str, rng: random.Random | None = None, area: str | None = None
) -> str:
    rng = rng or random
    seq = rng.randrange(0, 50) * 2 + (1 if sex == "M" else 0)
    first17 = f"{area or rng.choice(AREA_CODES)}{birth:%Y%m%d}{rng.randrange(0, 10)}{seq:02d}"[:17]
    # the 17th digit carries the sex: odd for men, even for women
    first17 = first17[:16] + str((int(first17[16]) // 2) * 2 + (1 if sex == "M" else 0))
    return first17 + check_character(first17)


def make_uscc(n: int) -> str:
    body = f"12450000{n:09d}"[:17]
    return body + uscc.calc_check_digit(body)
