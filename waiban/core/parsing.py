"""Numbers read from a query string or a raw form field, where no form field does it.

Only plain ASCII digits count, and only within the range the value is compared with: a
database id (a bigint), or a range the caller names. ``str.isdigit`` is not enough ("²" is a
digit to it but not to ``int``), and an id past the bigint range makes the database driver
fail instead of finding nothing. Anything else reads as "not given"; the caller decides what
that means (a filter that is ignored, a page that is not found).
"""

import re

ID_MAX = 2**63 - 1  # the largest value of a bigint primary key

_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(value, *, low: int, high: int) -> int | None:
    """``value`` as an int when it is a whole number from ``low`` to ``high``, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if not _DIGITS.fullmatch(digits):
        return None
    number = -int(digits) if negative else int(digits)
    return number if low <= number <= high else None


def parse_id(value) -> int | None:
    """A row id (1 or more, within the bigint range), or None."""
    return parse_int(value, low=1, high=ID_MAX)
