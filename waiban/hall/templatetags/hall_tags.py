from django import template

from waiban.hall.advisories import advisories_for_case

register = template.Library()


@register.inclusion_tag("hall/_case_advisories.html")
def travel_advisories(delegation):
    """The advisories in force for the countries of a case's itinerary (none: nothing shown)."""
    return {"advisories": advisories_for_case(delegation)}
