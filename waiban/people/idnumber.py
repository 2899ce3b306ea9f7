"""Resident identity numbers (居民身份证号码, GB 11643-1999).

python-stdnum's ``cn.ric`` rejects unknown area codes with a misleading checksum error
(DESIGN.md §7), so the check character and the date are validated here and the area code is only
looked up to produce a warning.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from stdnum import exceptions
from stdnum.cn import ric

WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
CHECK_CHARS = "10X98765432"


def check_character(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


@dataclass
class IdNumberInfo:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    warnings: list[str] = field(default_factory=list)


class IdNumberError(ValueError):
    pass


def parse_id_number(raw: str) -> IdNumberInfo:
    """Validate and normalise an ID number; 15-digit numbers are converted to 18 digits."""
    number = "".join((raw or "").split()).upper()
    if len(number) == 15:
        if not number.isdigit():
            raise IdNumberError(_("A 15-digit ID number contains digits only."))
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_character(first17)
    elif len(number) == 18:
        if not number[:17].isdigit() or number[17] not in "0123456789X":
            raise IdNumberError(_("An ID number is 17 digits followed by a digit or X."))
        if check_character(number[:17]) != number[17]:
            raise IdNumberError(
                _("The last character (check character) does not match: please check the number.")
            )
    else:
        raise IdNumberError(_("An ID number has 18 characters (or 15 digits for old cards)."))
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdNumberError(_("The birth date inside the ID number is not a real date.")) from exc
    if birth > dt.date.today() or birth.year < 1900:
        raise IdNumberError(_("The birth date inside the ID number is not plausible."))
    info = IdNumberInfo(number=number, birth_date=birth, sex="M" if int(number[16]) % 2 else "F")
    try:
        ric.get_birth_place(number)
    except exceptions.ValidationError:
        info.warnings.append(
            _("Area code %(code)s is not in the known list; please double-check it.")
            % {"code": number[:6]}
        )
    return info


def birth_province(number: str) -> str:
    """The province of the ID number's area code (the birthplace a passport prints), or "" when
    python-stdnum's table does not know the code. Only the province is read, so a county code
    renamed since the birth year (which ``ric.get_birth_place`` refuses) still has one."""
    from stdnum import numdb

    area = (number or "")[:6]
    if len(area) != 6 or not area.isdigit():
        return ""
    for _part, props in numdb.get("cn/loc").info(area):
        if props.get("province"):
            return props["province"]
    return ""
