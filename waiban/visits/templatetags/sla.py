"""The traffic light of a case's time limit; a tag, not an include, because lists draw 50."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def sla_light(case_or_colour):
    """The light of a case (anything with ``.sla``) or of a colour given as text."""
    if isinstance(case_or_colour, str):
        colour = case_or_colour
    else:
        colour = getattr(case_or_colour, "sla", "")
    if not colour:
        return ""
    title = {
        "red": _("Overdue"),
        "amber": _("Due within one working day"),
    }.get(colour, _("On time"))
    # The words go with the colour (for screen readers and for those who cannot tell the
    # colours apart).
    return format_html(
        '<span class="sla sla-{}" title="{}" data-sla="{}"><span class="visually-hidden">{}</span>'
        "</span>",
        colour,
        title,
        colour,
        title,
    )
