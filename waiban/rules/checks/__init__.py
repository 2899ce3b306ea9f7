"""The checks of DESIGN.md §4; importing this package registers them, in display order."""

from waiban.rules.checks import (  # noqa: F401
    papers,
    passports,  # noqa: F401
    people,
    trip,
)
