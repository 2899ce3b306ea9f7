from django import template

from waiban.portal.access import progress_path

register = template.Library()


@register.filter
def progress_link(case_number: str) -> str:
    """The public progress card of a case, opened with its receipt token (for the people who
    may see the receipt anyway: the unit's clerk, the case's travellers)."""
    return progress_path(case_number) if case_number else ""
