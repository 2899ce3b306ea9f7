"""The checks of DESIGN.md §4; importing this package registers them, in display order."""

from waiban.rules.checks import papers, people, trip  # noqa: F401
