"""The clerk sees where the application stands (a step bar) and, on the submit button, what is
still missing instead of a refusal after clicking."""

import re

import pytest
from django.urls import reverse

from waiban.testing.factories import DelegationFactory

pytestmark = pytest.mark.django_db


def _steps(html):
    return dict(re.findall(r'data-step="(\w+)" data-done="(\d)"', html))


def test_an_unconfirmed_draft_shows_the_commitment_as_the_next_step_and_a_disabled_submit(
    client, unit, clerk
):
    draft = DelegationFactory(unit=unit, created_by=clerk, committed_at=None)
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    steps = _steps(html)
    assert steps["members"] == "1" and steps["commitment"] == "0"
    assert re.search(r'data-step="commitment"[^>]*aria-current="step"', html)
    assert re.search(r'data-action="submit"[^>]*disabled', html)
    assert "The unit head has not confirmed" in html.split('data-testid="submit-missing"')[1]


def test_a_complete_draft_has_every_step_done_and_submit_enabled(client, unit, clerk):
    draft = DelegationFactory(unit=unit, created_by=clerk)
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    steps = _steps(html)
    assert all(done == "1" for key, done in steps.items() if key != "submit")
    assert re.search(r'data-step="submit"[^>]*aria-current="step"', html)
    assert not re.search(r'data-action="submit"[^>]*disabled', html)
