"""The frequency finding names every earlier trip it counts, by case number and dates."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from waiban.rules.engine import render
from waiban.rules.models import Finding
from waiban.testing.factories import DelegationFactory, PersonFactory
from waiban.visits.models import DelegationMember

pytestmark = pytest.mark.django_db


def _earlier_trip(unit, person, days_ago):
    today = timezone.localdate()
    trip = DelegationFactory(
        unit=unit,
        approved=True,
        case_number=f"2025-09{days_ago:05d}",  # apart from the numbers submissions take
        departure_date=today - dt.timedelta(days=days_ago + 5),
        return_date=today - dt.timedelta(days=days_ago),
    )
    DelegationMember.objects.create(
        delegation=trip,
        person=person,
        role="member",
        position=9,
        rank_at_submission="bureau_deputy",
    )
    return trip


def test_the_clerk_and_the_reviewer_read_every_trip_counted(client, clerk, unit, staff):
    head = PersonFactory(unit=unit, rank="bureau_deputy", post="副厅长")
    earlier = [_earlier_trip(unit, head, 300), _earlier_trip(unit, head, 100)]
    draft = DelegationFactory(unit=unit, created_by=clerk)
    DelegationMember.objects.create(delegation=draft, person=head, role="member", position=9)
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert 'data-finding="frequency" data-severity="warn"' in html
    assert "already has 2 approved trip(s)" in html
    for trip in earlier:
        assert f"{trip.case_number}, {trip.departure_date} to {trip.return_date}" in html

    key = f"frequency:{head.pk}"
    draft.refresh_from_db()
    response = client.post(
        reverse("visits:action", args=[draft.pk, "submit"]),
        {"version": draft.version, f"justify-{key}": "任期内首次出访该国，确需成行。"},
    )
    assert response.status_code == 302
    stored = Finding.objects.get(delegation=draft, rule="frequency")
    assert [t["trip"] for t in stored.params["trips"]] == [t.case_number for t in earlier]
    assert [t["case_number"] for t in stored.data["trips"]] == [t.case_number for t in earlier]

    client.force_login(staff["reviewer"])
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    for trip in earlier:
        assert f"{trip.case_number}, {trip.departure_date} to {trip.return_date}" in html


def test_a_finding_stored_when_only_the_latest_trip_was_named_still_reads_well():
    stored = {
        "name": "李明",
        "rank": "bureau_deputy",
        "count": 1,
        "years": 2,
        "max": 1,
        "trip": "2025-0000007",
        "departure": "2025-05-01",
        "return": "2025-05-06",
        "source": "川委办〔2013〕14号",
    }
    with translation.override("en"):
        message = render("frequency", stored)
    assert "2025-0000007, 2025-05-01 to 2025-05-06 (川委办〔2013〕14号)" in message
    assert "%(" not in message
