"""A clerk starts a new application from an earlier one: everything but the dates is filled in,
nothing is saved until they save, and another unit's case cannot be copied."""

import re

import pytest
from django.urls import reverse

from waiban.testing.factories import DelegationFactory, UnitFactory, UserFactory
from waiban.visits.models import Delegation

pytestmark = pytest.mark.django_db


def test_the_form_starts_from_the_earlier_case_without_its_dates(client, unit, clerk):
    earlier = DelegationFactory(unit=unit, created_by=clerk, approved=True, members=2)
    client.force_login(clerk)
    page = client.get(reverse("visits:detail", args=[earlier.pk])).content.decode()
    assert f"?copy={earlier.pk}" in page
    before = Delegation.objects.count()
    form = client.get(reverse("visits:create"), {"copy": earlier.pk})
    html = form.content.decode()
    assert form.status_code == 200 and 'data-testid="copied-from"' in html
    assert earlier.title in html and earlier.purpose in html
    for member in earlier.members.all():
        assert f'value="{member.person_id}" selected' in html
    stop = earlier.stops.first()
    first_stop = html.split('name="stops-0-country"')[1].split("</select>")[0]
    assert re.search(rf'<option value="{stop.country.code}"[^>]*selected', first_stop)
    assert earlier.departure_date.isoformat() not in html
    assert Delegation.objects.count() == before  # nothing saved


@pytest.mark.parametrize("copy", ["999999999", "abc", "-1", "99999999999999999999"])
def test_an_unknown_case_is_not_found(client, clerk, copy):
    client.force_login(clerk)
    assert client.get(reverse("visits:create"), {"copy": copy}).status_code == 404


def test_another_units_case_cannot_be_copied(client, unit, clerk, authority):
    other = UnitFactory(authority=authority)
    theirs = DelegationFactory(unit=other, created_by=UserFactory(role="unit_clerk", unit=other))
    client.force_login(clerk)
    assert client.get(reverse("visits:create"), {"copy": theirs.pk}).status_code == 404
