"""The public progress query: no personal data, and never stale after the case moves."""

import pytest
from django.urls import reverse

from waiban.portal.access import progress_path, progress_query
from waiban.testing.factories import DelegationFactory
from waiban.visits import workflow

pytestmark = pytest.mark.django_db


def test_the_public_card_shows_the_new_state_as_soon_as_the_case_moves(
    client, clerk, unit, staff, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        delegation = workflow.delegation_submit(delegation=delegation, actor=clerk)
    url = progress_path(delegation.case_number)
    assert 'data-state="pre_review"' in client.get(url).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        workflow.delegation_accept(delegation=delegation, actor=staff["window_clerk"])
    assert 'data-state="under_review"' in client.get(url).content.decode()


def test_the_public_card_names_no_traveller(client, clerk, unit):
    delegation = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    html = client.get(reverse("portal:progress"), progress_query(delegation.case_number)).content
    for member in delegation.members.all():
        assert member.person.name_zh not in html.decode()


def test_an_unknown_number_says_so_beside_the_field(client, db):
    query = {"case": "2026-9999999", "code": "ABCD-EFGH"}
    html = client.get(reverse("portal:progress"), query).content.decode()
    assert "invalid-feedback" in html


def test_each_visitor_of_a_kept_page_gets_their_own_token_and_can_switch_language(clerk, unit):
    import re

    from django.test import Client

    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    url = progress_path(case.case_number)
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get(url).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        response = visitor.post(
            reverse("set_language"),
            {"language": "zh-hans", "next": url, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_a_logged_in_visitor_never_gets_the_page_kept_for_anonymous_ones(client, clerk, unit):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    url = progress_path(case.case_number)
    assert 'data-testid="current-user"' not in client.get(url).content.decode()
    client.force_login(clerk)
    assert 'data-testid="current-user"' in client.get(url).content.decode()
    client.logout()
    assert 'data-testid="current-user"' not in client.get(url).content.decode()
