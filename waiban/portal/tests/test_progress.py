"""The public progress query: no personal data, and never stale after the case moves."""

import pytest
from django.urls import reverse

from waiban.testing.factories import DelegationFactory
from waiban.visits import workflow

pytestmark = pytest.mark.django_db


def test_the_public_card_shows_the_new_state_as_soon_as_the_case_moves(
    client, clerk, unit, staff, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        delegation = workflow.delegation_submit(delegation=delegation, actor=clerk)
    url = reverse("portal:progress") + f"?case={delegation.case_number}"
    assert 'data-state="pre_review"' in client.get(url).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        workflow.delegation_accept(delegation=delegation, actor=staff["window_clerk"])
    assert 'data-state="under_review"' in client.get(url).content.decode()


def test_the_public_card_names_no_traveller(client, clerk, unit):
    delegation = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    html = client.get(reverse("portal:progress") + f"?case={delegation.case_number}").content
    for member in delegation.members.all():
        assert member.person.name_zh not in html.decode()


def test_an_unknown_number_says_so_beside_the_field(client, db):
    html = client.get(reverse("portal:progress") + "?case=2026-9999999").content.decode()
    assert "invalid-feedback" in html
