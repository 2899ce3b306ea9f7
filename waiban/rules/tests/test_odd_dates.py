"""Reversed and impossible dates: one clear error beside the field on the form, and nothing
nonsensical (no negative day count, no 5xx) in the live panel or the saved findings."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.rules.selectors import draft_findings
from waiban.rules.tests.test_live import _form
from waiban.testing.factories import DelegationFactory, PersonFactory
from waiban.visits.models import Delegation, ItineraryStop

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() + dt.timedelta(days=45)


def _days(n):
    return DAY + dt.timedelta(days=n)


def _field_errors(html):
    return re.findall(r'data-field-error="([^"]+)">([^<]*)<', html)


def _numbers(value):
    """Every number in a finding's data, however deeply nested."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [n for item in value for n in _numbers(item)]
    return []


def _assert_sensible(findings):
    for finding in findings:
        assert all(n >= 0 for n in _numbers(finding["data"])), finding
        # A minus sign before a number that is not part of a date (2027-01-15).
        assert not re.search(r"(?<![\d-])-\d", finding["message"]), finding


REVERSED = {
    # The second stop ends before it starts; the trip's last day is before its first.
    "stop": [("DE", "柏林", _days(0), _days(2)), ("FR", "巴黎", _days(6), _days(2))],
    "trip": [("DE", "柏林", _days(5), _days(1))],
}


@pytest.mark.parametrize("case", sorted(REVERSED))
def test_a_reversed_stop_gets_one_plain_error_beside_its_departure_and_keeps_the_typing(
    client, clerk, unit, case
):
    people = [PersonFactory(unit=unit) for _ in range(2)]
    data = _form(people, REVERSED[case])
    client.force_login(clerk)
    response = client.post(reverse("visits:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert _field_errors(html) == [
        ("departure_date", "The departure from this stop is before the arrival.")
    ]
    reversed_stop = REVERSED[case][-1]
    assert reversed_stop[1] in html
    assert f'value="{reversed_stop[2].isoformat()}"' in html
    assert f'value="{reversed_stop[3].isoformat()}"' in html
    assert not Delegation.objects.exists()


@pytest.mark.parametrize("case", sorted(REVERSED))
def test_the_live_panel_skips_a_reversed_stop_and_shows_no_negative_day_count(
    client, clerk, unit, case
):
    people = [PersonFactory(unit=unit) for _ in range(2)]
    client.force_login(clerk)
    response = client.post(reverse("rules:live"), _form(people, REVERSED[case]))
    assert response.status_code == 200
    findings = response.json()["findings"]
    _assert_sensible(findings)
    assert not {"stay-days", "business-share"} & {f["code"] for f in findings if f["data"]}


def test_a_saved_stop_that_ends_before_it_starts_counts_for_no_rule(clerk, unit):
    # Only the admin can save one; the rules leave it out instead of counting a fourth country.
    draft = DelegationFactory(unit=unit, created_by=clerk, departure_date=_days(0))
    for position, country in [(2, "IT"), (3, "ES")]:
        ItineraryStop.objects.create(
            delegation=draft,
            position=position,
            country=country,
            city=country,
            arrival_date=_days(20),
            departure_date=_days(-20),
            business_days=0,
        )
    findings = [f.as_json() for f in draft_findings(Delegation.objects.get(pk=draft.pk))]
    _assert_sensible(findings)
    assert "country-count" not in {f["code"] for f in findings}
    assert "stay-days" not in {f["code"] for f in findings}


@pytest.mark.parametrize(
    "arrival,departure",
    [("0001-01-01", "0001-01-03"), ("9999-12-29", "9999-12-31"), ("0001-01-01", "9999-12-31")],
)
def test_a_date_in_year_1_or_9999_is_refused_beside_the_field_and_the_live_panel_answers(
    client, clerk, unit, arrival, departure
):
    people = [PersonFactory(unit=unit) for _ in range(2)]
    data = _form(people, [("DE", "柏林", DAY, _days(2))])
    data.update({"stops-0-arrival_date": arrival, "stops-0-departure_date": departure})
    client.force_login(clerk)

    live = client.post(reverse("rules:live"), data)
    assert live.status_code == 200
    _assert_sensible(live.json()["findings"])

    response = client.post(reverse("visits:create"), data)
    assert response.status_code == 200
    errors = _field_errors(response.content.decode())
    assert errors and {message for _field, message in errors} == {
        "Enter a date between the years 2000 and 2100."
    }
    assert {field for field, _message in errors} <= {"arrival_date", "departure_date"}
    assert f'value="{arrival}"' in response.content.decode()
    assert not Delegation.objects.exists()
