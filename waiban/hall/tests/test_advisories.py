import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.hall.models import TravelAdvisory
from waiban.testing.factories import DelegationFactory
from waiban.visits.models import ItineraryStop

pytestmark = pytest.mark.django_db


def _advisory(country, **kwargs):
    today = timezone.localdate()
    return TravelAdvisory.objects.create(
        country=country,
        title=kwargs.pop("title", "注意安全"),
        source="外交部领事司",
        valid_from=kwargs.pop("valid_from", today - dt.timedelta(days=1)),
        **kwargs,
    )


def test_the_public_page_lists_the_advisories_in_force(client):
    _advisory("DE", title="罢工影响交通")
    _advisory("FR", title="已过期", valid_to=timezone.localdate() - dt.timedelta(days=1))
    page = client.get(reverse("hall:advisories"))
    text = page.content.decode()
    assert page.status_code == 200 and "罢工影响交通" in text and "已过期" not in text


def test_the_case_shows_the_advisories_of_its_stops(client, clerk, unit):
    case = DelegationFactory(unit=unit, created_by=clerk)
    day = case.departure_date
    ItineraryStop.objects.create(
        delegation=case, country="DE", city="柏林", arrival_date=day, departure_date=day
    )
    _advisory("DE", title="罢工影响交通")
    _advisory("JP", title="台风")
    client.force_login(clerk)
    text = client.get(reverse("visits:edit", args=[case.pk])).content.decode()
    assert 'data-advisory="DE"' in text and "台风" not in text
