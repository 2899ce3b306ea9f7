"""The clerk finds a case by its number, words of its title or a traveller's name; only among
the unit's own cases, and odd input finds nothing rather than failing."""

import pytest
from django.urls import reverse

from waiban.testing.factories import DelegationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles(client, q):
    response = client.get(reverse("visits:list"), {"q": q})
    assert response.status_code == 200
    return {row["title"] for row in response.context["rows"]}


def test_search_by_number_title_or_traveller(client, unit, clerk, authority):
    berlin = DelegationFactory(
        unit=unit, created_by=clerk, submitted=True, title="赴德国经贸考察团"
    )
    tokyo = DelegationFactory(unit=unit, created_by=clerk, title="赴日本学习交流团")
    other_unit = UnitFactory(authority=authority)
    DelegationFactory(
        unit=other_unit,
        created_by=UserFactory(role="unit_clerk", unit=other_unit),
        title="赴德国投资促进团",
    )
    client.force_login(clerk)
    assert _titles(client, "德国") == {berlin.title}  # never another unit's
    assert _titles(client, berlin.case_number) == {berlin.title}
    traveller = tokyo.members.first().person.name_zh
    assert tokyo.title in _titles(client, traveller)
    for odd in ["%", "_", "'\"", "\x00"[:0] + "a" * 60, "999999999999999999999"]:
        assert _titles(client, odd) <= {berlin.title, tokyo.title}


def test_state_badges_say_who_must_act(client, unit, clerk):
    DelegationFactory(unit=unit, created_by=clerk)  # the unit's move
    DelegationFactory(unit=unit, created_by=clerk, submitted=True)  # the office's
    client.force_login(clerk)
    html = client.get(reverse("visits:list")).content.decode()
    assert 'class="badge text-bg-warning" data-state="draft"' in html
    assert 'class="badge text-bg-primary" data-state="pre_review"' in html
    # The traffic light carries words, not only a colour.
    assert '<span class="visually-hidden">' in html
