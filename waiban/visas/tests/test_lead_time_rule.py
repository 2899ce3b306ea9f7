"""The lead-time rule counts the embassy's own lead time where the regime table says a member
needs a visa (waiban/rules/checks/papers.py)."""

import datetime as dt

from django.utils import translation

from waiban.rules.engine import render
from waiban.rules.facts import facts_from_delegation
from waiban.rules.tests.helpers import EveryDayCalendar, facts, run
from waiban.visas.models import Embassy, VisaBatch
from waiban.visas.tests.conftest import three_country_trip


def _hits(delegation, as_of):
    the_facts = facts_from_delegation(
        delegation, as_of=as_of, history_years=0, calendar=EveryDayCalendar()
    )
    return [h for h in run("lead-time", the_facts) if h.message_key == "lead-time-visa"]


def test_a_trip_too_close_for_the_embassy_is_warned_naming_it(unit, regimes):
    delegation = three_country_trip(unit, state="draft", days_ahead=12)
    hits = _hits(delegation, delegation.departure_date - dt.timedelta(days=12))
    # Germany's consulate takes 15 days, Ireland's embassy 20: both too close; Thailand exempt.
    assert {h.data["country"] for h in hits} == {"DE", "IE"}
    germany = next(h for h in hits if h.data["country"] == "DE")
    assert germany.figures["days"] == 15
    with translation.override("en"):
        text = render("lead-time-visa", {**germany.figures, "source": "FAO"})
    assert "Germany" in text and "广州" in text


def test_enough_time_gives_no_visa_warning(unit, regimes):
    delegation = three_country_trip(unit, state="draft", days_ahead=60)
    assert _hits(delegation, delegation.departure_date - dt.timedelta(days=60)) == []


def test_the_learnt_lead_time_counts(unit, regimes, visa_officer):
    germany = Embassy.objects.get(country="DE")
    for _n in range(3):
        other = three_country_trip(unit, members=1)
        VisaBatch.objects.create(
            delegation=other,
            embassy=germany,
            state="back",
            sent_on=dt.date(2026, 1, 1),
            back_on=dt.date(2026, 2, 10),  # 40 days
            created_by=visa_officer,
        )
    delegation = three_country_trip(unit, state="draft", days_ahead=30)
    hits = _hits(delegation, delegation.departure_date - dt.timedelta(days=30))
    assert next(h for h in hits if h.data["country"] == "DE").figures["days"] == 40


def test_facts_without_visa_data_judge_as_before():
    # A snapshot that did not read the table (None) gives only the working-day finding.
    assert [h.message_key for h in run("lead-time", facts(calendar=EveryDayCalendar()))] == []
