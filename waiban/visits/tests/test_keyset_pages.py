"""Lists page by cursor (keyset), never by OFFSET, and every list query can use an index."""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from waiban.portal.access import progress_query
from waiban.testing.factories import DelegationFactory
from waiban.visits import staff_views
from waiban.visits.selectors import (
    UNIT_LIST_SORT,
    WORKBENCH_SORTS,
    keyset_page,
    list_values,
    unit_delegations,
    workbench_queryset,
)

pytestmark = pytest.mark.django_db


def _next(html):
    found = re.search(r'rel="next" href="\?([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _prev(html):
    found = re.search(r'rel="prev" href="\?([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _numbers(html):
    return re.findall(r">(2026-\d{7})<", html)


@pytest.fixture
def queue(clerk, unit):
    """Seven submitted cases: deadlines out of id order, two of them without a deadline."""
    today = timezone.localdate()
    days = [5, 1, None, 3, 1, None, 2]
    cases = []
    for day in days:
        case = DelegationFactory(unit=unit, created_by=clerk, submitted=True, members=1)
        case.deadline = None if day is None else today + dt.timedelta(days=day)
        case.save(update_fields=["deadline"])
        cases.append(case)
    return cases


@pytest.mark.parametrize("sort", list(WORKBENCH_SORTS))
def test_walking_the_workbench_by_cursor_visits_every_case_once_in_order_and_back_again(
    client, staff, queue, sort, monkeypatch
):
    monkeypatch.setattr(staff_views, "PAGE_SIZE", 3)
    client.force_login(staff["window_clerk"])
    url = reverse("visits:workbench")
    html = client.get(url, {"sort": sort}).content.decode()
    pages = [_numbers(html)]
    assert _prev(html) is None
    while query := _next(html):
        assert f"sort={sort}" in query  # the filters travel with the cursor
        html = client.get(f"{url}?{query}").content.decode()
        pages.append(_numbers(html))
    seen = [n for page in pages for n in page]
    expected_order = list(
        workbench_queryset(user=staff["window_clerk"])
        .alias(k=WORKBENCH_SORTS[sort].expression(queue[0].__class__))
        .order_by(*(["-k", "-pk"] if WORKBENCH_SORTS[sort].descending else ["k", "pk"]))
        .values_list("case_number", flat=True)
    )
    assert seen == expected_order
    assert [len(p) for p in pages] == [3, 3, 1]
    back = []
    while query := _prev(html):
        html = client.get(f"{url}?{query}").content.decode()
        back.insert(0, _numbers(html))
    assert back == pages[:-1]


def test_the_clerks_list_pages_newest_first_and_keeps_the_state_filter(clerk, unit):
    for _ in range(5):
        DelegationFactory(unit=unit, created_by=clerk)
    first = keyset_page(
        unit_delegations(user=clerk, state="draft"), UNIT_LIST_SORT, size=2, values=list_values
    )
    assert first.has_next and not first.has_previous
    second = keyset_page(
        unit_delegations(user=clerk, state="draft"),
        UNIT_LIST_SORT,
        size=2,
        after=first.next_cursor,
        values=list_values,
    )
    third = keyset_page(
        unit_delegations(user=clerk, state="draft"),
        UNIT_LIST_SORT,
        size=2,
        after=second.next_cursor,
        values=list_values,
    )
    ids = [d["pk"] for page in (first, second, third) for d in page.object_list]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 5
    assert not third.has_next and third.has_previous


def test_a_mangled_cursor_shows_the_first_page_instead_of_an_error(client, staff, queue):
    client.force_login(staff["window_clerk"])
    for cursor in ("garbage", "2026-13-45~1", "x~y", "~"):
        response = client.get(reverse("visits:workbench"), {"after": cursor})
        assert response.status_code == 200
        assert len(_numbers(response.content.decode())) == len(queue)


def test_the_public_progress_query_stays_within_its_query_budget(
    client, clerk, unit, django_assert_num_queries
):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    for _ in range(2):  # read afresh every time: the case and its events
        with django_assert_num_queries(2):
            client.get(reverse("portal:progress"), progress_query(case.case_number))


def test_the_clerks_list_stays_within_its_query_budget(
    client, clerk, unit, django_assert_max_num_queries
):
    for _ in range(30):
        DelegationFactory(unit=unit, created_by=clerk, members=1)
    client.force_login(clerk)
    client.get(reverse("visits:list"))
    # session, user, the page's rows with their member counts, the notices badge, and the
    # to-do block: one count of the unit's cases by state, one of its passports still out
    with django_assert_max_num_queries(6):
        client.get(reverse("visits:list"))


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN of PostgreSQL plans")
@pytest.mark.parametrize("sort", list(WORKBENCH_SORTS))
@pytest.mark.parametrize("state", ["", "approved", "pre_review"])
def test_every_workbench_order_and_the_clerks_list_can_be_served_by_an_index(
    staff, clerk, unit, queue, sort, state
):
    """With sequential scans priced out, a plan that still reads visits_delegation in full
    means no index fits the query. (On a small test table the planner rightly prefers a
    sequential scan, so the plans at scale are checked by bench/list_plans.py.)"""
    key = WORKBENCH_SORTS[sort]
    order = ["-k", "-pk"] if key.descending else ["k", "pk"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        workbench = (
            workbench_queryset(user=staff["window_clerk"], state=state)
            .alias(k=key.expression(queue[0].__class__))
            .order_by(*order)
            .values("pk")[:51]
        )
        clerk_list = unit_delegations(user=clerk, state=state).order_by("-created_at", "-pk")[:26]
        for plan in (_plan(workbench), _plan(clerk_list)):
            assert "Seq Scan on visits_delegation" not in plan, plan
