"""Nothing about a control list reaches the unit: not the list's name or source, not a possible
match, not which member. The clerk and the unit head see at most "the office will check this
application", and only while an exact match is not cleared; the reviewer sees everything."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.core.errors import ServiceError
from waiban.portal.access import progress_query
from waiban.rules.tests.test_live import _form
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.visits import workflow
from waiban.watchlists.tests.helpers import import_list

pytestmark = pytest.mark.django_db

LIST_NAME = "外逃人员名单"
SOURCE = "公安机关通报"
SECRETS = (LIST_NAME, SOURCE, "外逃", "Fugitive", "possible", "Possible", "match", "fuzzy")
NOTICE = "The office will check this application"


@pytest.fixture
def cases(unit, clerk, staff):
    """A submitted case with a possible name match, and a draft refused by an exact match."""
    possible = DelegationFactory(unit=unit, created_by=clerk)
    person = possible.members.first().person
    person.name_zh = "张伟"
    person.save()
    exact = DelegationFactory(unit=unit, created_by=clerk)
    listed = exact.members.order_by("position").last().person
    import_list(
        staff["reviewer"],
        [
            ("張偉", person.birth_date.isoformat(), "", "", ""),
            ("某某", "", listed.id_number, "", ""),
        ],
        kind="fugitive",
        name=LIST_NAME,
    )
    possible = workflow.delegation_submit(delegation=possible, actor=clerk)
    with pytest.raises(ServiceError):
        workflow.delegation_submit(delegation=exact, actor=clerk)
    return {"possible": possible, "exact": exact, "listed": listed}


def _unit_pages(client, user, cases):
    client.force_login(user)
    possible, exact = cases["possible"], cases["exact"]
    pages = {
        "list": client.get(reverse("visits:list")),
        "possible case": client.get(reverse("visits:detail", args=[possible.pk])),
        "exact case": client.get(reverse("visits:detail", args=[exact.pk])),
    }
    if user.role == "unit_clerk":
        pages["receipt"] = client.get(reverse("visits:receipt", args=[possible.pk]))
        pages["edit form"] = client.get(reverse("visits:edit", args=[exact.pk]))
        people = [m.person for m in exact.members.all()]
        day = timezone.localdate() + dt.timedelta(days=45)
        data = _form(people, [("DE", "柏林", day, day + dt.timedelta(days=3))])
        pages["live panel"] = client.post(
            reverse("rules:live"), {**data, "delegation": str(exact.pk)}
        )
    client.logout()
    pages["progress"] = client.get(reverse("portal:progress"), progress_query(possible.case_number))
    return {name: response.content.decode() for name, response in pages.items()}


@pytest.mark.parametrize("role", ["unit_clerk", "unit_head"])
def test_no_unit_page_names_the_list_the_source_a_possible_match_or_the_member(
    client, unit, clerk, cases, role
):
    user = clerk if role == "unit_clerk" else UserFactory(role=role, unit=unit)
    pages = _unit_pages(client, user, cases)
    listed = cases["listed"].name_zh
    for name, html in pages.items():
        for secret in SECRETS:
            assert secret not in html, (name, secret)
    # The possible match is the reviewer's alone; the exact one says only that the office checks.
    assert NOTICE not in pages["possible case"]
    assert NOTICE in pages["exact case"]
    assert f"{listed} needs" not in pages["exact case"]
    if role == "unit_clerk":
        assert NOTICE in pages["live panel"] and listed not in pages["live panel"]


def test_the_reviewer_sees_both_hits_with_their_list(client, cases, staff):
    client.force_login(staff["reviewer"])
    html = client.get(reverse("watchlists:hits")).content.decode()
    assert html.count("data-hit=") == 2 and LIST_NAME in html
