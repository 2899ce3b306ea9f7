"""The machine-readable zone of a passport (ICAO 9303 part 4, TD3: two lines of 44 characters).

Written here rather than taken from fastmrz (AGPL). Check digits: weights 7-3-1 repeating,
'<' = 0, digits as themselves, A-Z = 10-35, the sum modulo 10.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.core.errors import ServiceError

LINE = 44
_ALLOWED = re.compile(r"^[A-Z0-9<]{44}$")


def char_value(char: str) -> int:
    if char == "<":
        return 0
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(char)


def check_digit(field: str) -> str:
    weights = (7, 3, 1)
    return str(sum(char_value(c) * weights[i % 3] for i, c in enumerate(field)) % 10)


@dataclass(frozen=True)
class MRZ:
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    number: str
    nationality: str
    birth_date: dt.date | None
    sex: str
    expiry_date: dt.date | None
    personal_number: str

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given_names}".strip()


def _date(yymmdd: str, *, future: bool) -> dt.date | None:
    """Six digits to a date; the century is guessed: birth dates in the past, expiry ahead."""
    try:
        yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
        today = timezone.localdate()
        year = 2000 + yy
        if not future and year > today.year:
            year -= 100
        if future and year > today.year + 50:
            year -= 100
        return dt.date(year, mm, dd)
    except ValueError:
        return None


def _normalise(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").replace("\r", "").split("\n")]
    lines = [line.replace(" ", "") for line in lines if line.strip()]
    if len(lines) == 1 and len(lines[0]) == 2 * LINE:  # a scanner that drops the line break
        lines = [lines[0][:LINE], lines[0][LINE:]]
    return lines


def mrz_parse(text: str) -> MRZ:
    """Parse and verify a TD3 MRZ; a ServiceError names exactly what is wrong."""
    lines = _normalise(text)
    if len(lines) != 2:
        raise ServiceError(
            "mrz_lines",
            _("The MRZ must have two lines; %(count)d were given.") % {"count": len(lines)},
            field="mrz",
        )
    for i, line in enumerate(lines, start=1):
        if len(line) != LINE:
            raise ServiceError(
                "mrz_length",
                _("Line %(line)d of the MRZ has %(count)d characters instead of 44.")
                % {"line": i, "count": len(line)},
                field="mrz",
            )
        if any("a" <= c <= "z" for c in line):
            # A printed MRZ is upper case: lower case means it was typed, or a scanner's
            # setting changed it, and an "o" for a "0" would slip through as a letter.
            raise ServiceError(
                "mrz_lower_case",
                _(
                    "Line %(line)d of the MRZ has lower-case letters: type it exactly as printed, "
                    "in capitals (or re-scan it)."
                )
                % {"line": i},
                field="mrz",
            )
        if not _ALLOWED.match(line):
            raise ServiceError(
                "mrz_characters",
                _("Line %(line)d of the MRZ may only contain A–Z, 0–9 and “<”.") % {"line": i},
                field="mrz",
            )
    first, second = lines
    if first[0] != "P":
        raise ServiceError(
            "mrz_not_passport",
            _("This MRZ is not a passport's (it must start with P)."),
            field="mrz",
        )
    checks = [
        (_("passport number"), second[0:9], second[9]),
        (_("birth date"), second[13:19], second[19]),
        (_("expiry date"), second[21:27], second[27]),
        (_("personal number"), second[28:42], second[42]),
        (
            _("whole line"),
            second[0:10] + second[13:20] + second[21:43],
            second[43],
        ),
    ]
    for label, field, digit in checks:
        if check_digit(field) != digit:
            raise ServiceError(
                "mrz_check_digit",
                _(
                    "The check digit of the %(field)s does not match: re-type or re-scan the "
                    "second line."
                )
                % {"field": label},
                field="mrz",
                params={"field": str(label)},
            )
    for label, digits, future in (
        (_("birth date"), second[13:19], False),
        (_("expiry date"), second[21:27], True),
    ):
        if _date(digits, future=future) is None:
            raise ServiceError(
                "mrz_date",
                _(
                    "The %(field)s in the MRZ, “%(digits)s” (YYMMDD), is not a real date: "
                    "re-type or re-scan the second line."
                )
                % {"field": label, "digits": digits},
                field="mrz",
            )
    surname, _sep, given = first[5:].partition("<<")
    return MRZ(
        document_code=first[0:2].rstrip("<"),
        issuing_state=first[2:5].rstrip("<"),
        surname=surname.replace("<", " ").strip(),
        given_names=given.replace("<", " ").strip(),
        number=second[0:9].rstrip("<"),
        nationality=second[10:13].rstrip("<"),
        birth_date=_date(second[13:19], future=False),
        sex=second[20].replace("<", ""),
        expiry_date=_date(second[21:27], future=True),
        personal_number=second[28:42].rstrip("<"),
    )
