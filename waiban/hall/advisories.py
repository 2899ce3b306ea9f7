"""Travel advisories in force on a day, for the public page and a case's destinations."""

from django.db.models import Q, Subquery
from django.utils import timezone

from waiban.hall.models import TravelAdvisory


def advisories_in_force(countries=None, *, day=None):
    day = day or timezone.localdate()
    rows = TravelAdvisory.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
    )
    if countries is not None:
        rows = rows.filter(country__in=countries)
    return list(rows.order_by("country", "-valid_from"))


def advisories_for_case(delegation):
    """One query: the advisories in force whose country is one of the case's stops."""
    if delegation is None or not getattr(delegation, "pk", None):
        return []
    from waiban.visits.models import ItineraryStop

    stops = ItineraryStop.objects.filter(delegation_id=delegation.pk).values("country")
    return advisories_in_force(Subquery(stops))
