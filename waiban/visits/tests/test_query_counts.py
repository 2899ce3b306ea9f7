"""Lists and the case page run a fixed number of queries, however many rows there are (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from waiban.testing.factories import DelegationFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "who, url_name", [("window_clerk", "visits:workbench"), ("clerk", "visits:list")]
)
def test_a_list_costs_the_same_number_of_queries_for_two_cases_as_for_twenty(
    client, clerk, unit, staff, who, url_name
):
    user = clerk if who == "clerk" else staff[who]
    client.force_login(user)
    for _ in range(2):
        DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    few = _queries(client, reverse(url_name))
    for _ in range(18):
        DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    assert _queries(client, reverse(url_name)) == few


def test_the_case_page_costs_the_same_for_two_members_as_for_six(client, clerk, unit, staff):
    client.force_login(staff["window_clerk"])
    small = DelegationFactory(unit=unit, created_by=clerk, submitted=True, members=2)
    large = DelegationFactory(unit=unit, created_by=clerk, submitted=True, members=6)
    small_url = reverse("visits:detail", args=[small.pk])
    large_url = reverse("visits:detail", args=[large.pk])
    assert _queries(client, small_url) == _queries(client, large_url)


def test_the_case_page_stays_within_its_query_budget(client, clerk, unit, staff):
    """The session, the user, the case and each of its parts and panels, read once."""
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True, members=6)
    client.force_login(staff["window_clerk"])
    assert _queries(client, reverse("visits:detail", args=[case.pk])) <= CASE_PAGE_BUDGET


def test_the_workbench_stays_within_its_query_budget(client, clerk, unit, staff):
    for _ in range(5):
        DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    client.force_login(staff["window_clerk"])
    # session, user, the page's rows with their member counts, the overdue badge, the notices
    # badge (the units of the filter are reference data), the to-do block's two counts (cases,
    # change requests)
    assert _queries(client, reverse("visits:workbench")) <= 7


def test_the_clerks_list_stays_within_its_query_budget(client, clerk, unit):
    for _ in range(5):
        DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    client.force_login(clerk)
    # session, user, the page's rows with their member counts, the notices badge
    assert _queries(client, reverse("visits:list")) <= 6  # with the to-do block's two counts


CASE_PAGE_BUDGET = 11
