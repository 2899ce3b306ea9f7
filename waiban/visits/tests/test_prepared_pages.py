"""The pages' statements are compiled once per process (waiban.core.prepared) under keys that
hold whoever's scope they were built for: a statement compiled for one office, unit or user
never answers for another."""

import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.testing.factories import AuthorityFactory, DelegationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _office_with_a_case(title):
    authority = AuthorityFactory()
    unit = UnitFactory(authority=authority)
    clerk = UserFactory(role=Role.UNIT_CLERK, unit=unit)
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True, title=title)
    return UserFactory(role=Role.WINDOW_CLERK, authority=authority), clerk, case


@pytest.mark.parametrize(
    "page, who", [("visits:workbench", "window clerk"), ("visits:list", "unit clerk")]
)
def test_two_offices_or_units_with_the_same_filters_each_see_only_their_own(client, page, who):
    nanning = _office_with_a_case("南宁团组")
    guilin = _office_with_a_case("桂林团组")
    pick = 0 if who == "window clerk" else 1
    for user, own, other in (
        (nanning[pick], nanning[2], guilin[2]),
        (guilin[pick], guilin[2], nanning[2]),
    ):
        client.force_login(user)
        html = client.get(reverse(page)).content.decode()
        assert own.title in html and other.title not in html


def test_a_case_seen_by_its_office_is_still_a_404_for_another(client):
    nanning, _, case = _office_with_a_case("南宁团组")
    guilin, _, _ = _office_with_a_case("桂林团组")
    url = reverse("visits:detail", args=[case.pk])
    client.force_login(nanning)
    assert client.get(url).status_code == 200
    client.force_login(guilin)
    assert client.get(url).status_code == 404


def test_each_request_is_answered_as_its_own_user(client):
    """One statement reads the user of every request: each page names its own user."""
    first, second = (UserFactory(role=Role.REVIEWER, authority=AuthorityFactory()) for _ in "ab")
    for user in (first, second, first):
        client.force_login(user)
        html = client.get(reverse("visits:workbench")).content.decode()
        assert str(user) in html
