"""The shared library: Chinese full text (a 2-character query finds its substring, traditional
finds simplified), facets, and who sees which report."""

import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.reports.selectors import library_search
from waiban.reports.tests.conftest import accepted_report, back_home_case
from waiban.testing.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(unit, clerk, reviewer, authority):
    """Two published reports of two units and one kept internal."""
    bavaria = accepted_report(
        back_home_case(unit, clerk),
        clerk,
        reviewer,
        title="巴伐利亚州经贸合作考察报告",
        counterparts="巴伐利亚州经济部 部长",
    )
    other_unit = UnitFactory(authority=authority, name="省教育厅")
    other_clerk = UserFactory(role=Role.UNIT_CLERK, unit=other_unit)
    exchange = accepted_report(
        back_home_case(other_unit, other_clerk, task_type="training"),
        other_clerk,
        reviewer,
        title="赴法国高校交流报告",
        counterparts="巴黎第一大学 国际处处长",
    )
    secret = accepted_report(
        back_home_case(other_unit, other_clerk),
        other_clerk,
        reviewer,
        publish=False,
        title="内部谈判报告",
    )
    return {"bavaria": bavaria, "exchange": exchange, "secret": secret, "other_clerk": other_clerk}


def _ids(user, **filters):
    return {r.pk for r in library_search(user=user, **filters)["rows"]}


def test_a_two_character_query_finds_its_substring(library, clerk):
    assert _ids(clerk, query="伐利") == {library["bavaria"].pk}
    assert _ids(clerk, query="巴伐利亚") == {library["bavaria"].pk}  # 3+: the index
    assert _ids(clerk, query="巴") == {library["bavaria"].pk, library["exchange"].pk}


def test_traditional_finds_simplified_and_every_term_must_match(library, clerk):
    assert _ids(clerk, query="巴伐利亞") == {library["bavaria"].pk}
    assert _ids(clerk, query="經貿 考察") == {library["bavaria"].pk}
    assert _ids(clerk, query="经贸 高校") == set()


def test_countries_counterparts_and_unit_are_searched(library, clerk):
    assert library["exchange"].pk in _ids(clerk, query="国际处")
    assert _ids(clerk, query="教育厅") == {library["exchange"].pk}
    # The countries by their Chinese names and codes.
    assert library["bavaria"].pk in _ids(clerk, query="德国")


def test_internal_reports_stay_with_their_unit_and_the_office(library, clerk, reviewer):
    assert library["secret"].pk not in _ids(clerk)
    assert library["secret"].pk in _ids(library["other_clerk"])
    assert library["secret"].pk in _ids(reviewer)


def test_facets_count_within_the_other_filters(library, clerk, unit):
    found = library_search(user=clerk)
    units = {f["unit_id"]: f["n"] for f in found["facets"]["unit"]}
    assert units[unit.pk] == 1
    countries = {f["country"]: f["n"] for f in found["facets"]["country"]}
    assert countries["DE"] == 2
    assert _ids(clerk, unit=unit.pk) == {library["bavaria"].pk}
    year = library["bavaria"].year
    assert {f["year"] for f in found["facets"]["year"]} == {year}
    kinds = {f["task_type"]: f["n"] for f in found["facets"]["task_type"]}
    assert kinds == {"business_talks": 1, "training": 1}
    assert _ids(clerk, task_type="training") == {library["exchange"].pk}
    assert _ids(clerk, country="FR", query="高校") == {library["exchange"].pk}


def test_another_unit_finds_a_report_through_the_page_and_reads_it(library, client):
    client.force_login(library["other_clerk"])
    page = client.get(reverse("reports:library"), {"q": "伐利"}).content.decode()
    assert f'data-report="{library["bavaria"].pk}"' in page
    detail = client.get(reverse("reports:detail", args=[library["bavaria"].pk]))
    assert detail.status_code == 200
    assert 'data-action="' not in detail.content.decode()  # nothing to do on another's report


def test_an_unpublished_report_of_another_unit_is_not_found(library, client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("reports:detail", args=[library["secret"].pk])).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"q": '"; DROP TABLE x; --'},
        {"q": "a" * 500},
        {"q": "NEAR(巴 伐) OR *"},
        {"year": "abc", "unit": "-1", "page": "x", "country": "ZZZZ"},
        {"unit": "99999999999999999999"},
        {"task_type": "nope", "page": "0"},
    ],
)
def test_odd_queries_never_give_a_server_error(library, client, clerk, query):
    client.force_login(clerk)
    assert client.get(reverse("reports:library"), query).status_code == 200


def test_the_vendor_index_exists_and_follows_the_reports(library):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM reports_search WHERE reports_search MATCH '\"巴伐利\"'"
            )
            assert [row[0] for row in cursor.fetchall()] == [library["bavaria"].pk]
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'reports_search_trgm'"
            )
            assert "gin_trgm_ops" in cursor.fetchone()[0]
