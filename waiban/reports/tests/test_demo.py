"""The demo after the trip: reports in every state, published and internal ones, the notices,
and the data cage's findings, so the clerk, the reviewer, another unit's clerk and the
supervisor each have something to try in ``make run``."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from waiban.accounts.models import User
from waiban.reports.models import Anomaly, Disclosure, TripReport
from waiban.reports.selectors import library_search
from waiban.visits.models import Delegation
from waiban.visits.states import State

pytestmark = pytest.mark.django_db


def test_the_demo_has_reports_in_every_state_and_the_cage_has_findings(client):
    call_command("seed_demo", stdout=io.StringIO())
    states = set(TripReport.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "accepted"}
    accepted = TripReport.objects.filter(state="accepted")
    assert accepted.filter(published=True).exists() and accepted.filter(published=False).exists()
    # Every closed trip has its report accepted and both notices recorded.
    for case in Delegation.objects.filter(state=State.CLOSED):
        assert case.trip_report.state == "accepted"
        assert case.disclosures.count() == len(Disclosure.Kind.values)
    clerk = User.objects.get(username="clerk")
    untouched = Delegation.objects.filter(
        unit_id=clerk.unit_id, state=State.BACK_HOME, trip_report__isnull=True
    )
    assert untouched.exists()  # one left for the demo clerk to try
    assert Anomaly.objects.filter(rule="cage-days-over").exists()

    # Another unit's clerk finds a published report by two characters of its title.
    clerk2 = User.objects.get(username="clerk2")
    report = accepted.filter(published=True).exclude(unit_id=clerk2.unit_id).first()
    found = library_search(user=clerk2, query=report.title[4:6])
    assert report.pk in {r.pk for r in found["rows"]} or found["total"] > 20
    client.force_login(User.objects.get(username="supervisor"))
    page = client.get(reverse("reports:anomalies")).content.decode()
    assert 'data-anomaly="cage-days-over"' in page
