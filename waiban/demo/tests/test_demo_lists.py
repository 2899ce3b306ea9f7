"""The demo's control lists: the office sees a stopped case and its hits, the unit sees only that
the office will check the application."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from waiban.accounts.models import User
from waiban.visits.states import State
from waiban.watchlists.models import ScreeningHit

pytestmark = pytest.mark.django_db


def test_the_demo_stops_one_case_of_the_clerks_unit_and_tells_the_unit_nothing_of_the_list(
    client, settings
):
    settings.LANGUAGE_CODE = "zh-hans"  # the unit reads Chinese
    call_command("seed_demo", stdout=io.StringIO())
    clerk, reviewer = User.objects.get(username="clerk"), User.objects.get(username="reviewer")
    open_hits = ScreeningHit.objects.filter(status=ScreeningHit.Status.OPEN)
    exact = open_hits.get(kind="exact")
    assert exact.delegation.state == State.PENDING_APPROVAL
    assert exact.delegation.unit_id == clerk.unit_id
    assert open_hits.filter(kind="fuzzy", delegation__state=State.UNDER_REVIEW).exists()
    assert ScreeningHit.objects.filter(status=ScreeningHit.Status.CLEARED).exists()
    # Nothing back home or closed is screened again.
    assert not ScreeningHit.objects.filter(
        delegation__state__in=[State.BACK_HOME, State.CLOSED]
    ).exists()

    client.force_login(reviewer)
    queue = client.get(reverse("watchlists:hits")).content.decode()
    assert exact.entry.control_list.name in queue

    client.force_login(clerk)
    page = client.get(reverse("visits:detail", args=[exact.delegation_id])).content.decode()
    for secret in (exact.entry.control_list.name, "不准出境", "名单", exact.entry.source):
        assert secret not in page
    assert "本申请须经外办核查" in page  # all the unit learns
