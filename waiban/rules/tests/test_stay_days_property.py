"""Property-based tests of stay-day counting (departure and return day both count)."""

import datetime as dt
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from waiban.rules.facts import Stop, counted_countries, stay_days
from waiban.rules.tests.helpers import facts, run

COUNTRIES = ["DE", "FR", "IT", "ES", "KE", "BR", "JP", "US"]


@st.composite
def itineraries(draw):
    """A continuous itinerary: each stop starts on the day the previous one ends."""
    start = draw(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)))
    lengths = draw(st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=6))
    stops, day = [], start
    for length in lengths:
        end = day + dt.timedelta(days=length)
        stops.append(Stop(draw(st.sampled_from(COUNTRIES)), "X", day, end))
        day = end
    return tuple(stops)


@given(itineraries())
def test_stay_days_run_from_departure_to_return_both_included(stops):
    assert stay_days(stops) == (stops[-1].departure - stops[0].arrival).days + 1
    assert stay_days(stops) >= 1


@given(itineraries(), st.data())
def test_splitting_a_stop_in_one_country_changes_neither_days_nor_countries(stops, data):
    i = data.draw(st.integers(min_value=0, max_value=len(stops) - 1))
    stop = stops[i]
    length = (stop.departure - stop.arrival).days
    cut = stop.arrival + dt.timedelta(days=data.draw(st.integers(0, length)))
    split = (*stops[:i], replace(stop, departure=cut), replace(stop, arrival=cut), *stops[i + 1 :])
    assert stay_days(split) == stay_days(stops)
    assert counted_countries(split) == counted_countries(stops)


@given(itineraries(), st.sampled_from(["NL", "AE", "QA"]), st.booleans())
def test_a_transit_adds_a_country_unless_airside_and_never_adds_a_day(stops, hub, airside):
    last = stops[-1]
    transit = Stop(hub, "hub", last.departure, last.departure, is_transit=True, is_airside=airside)
    extended = (*stops, transit)
    assert stay_days(extended) == stay_days(stops)
    extra = 0 if airside or hub in counted_countries(stops) else 1
    assert len(counted_countries(extended)) == len(counted_countries(stops)) + extra


@given(itineraries())
def test_the_stay_days_rule_fires_exactly_when_the_days_exceed_the_limit(stops):
    from waiban.rules.checks.trip import stay_limit
    from waiban.rules.engine import REGISTRY

    params = REGISTRY["stay-days"].params
    countries = counted_countries(stops)
    limit, _extra = stay_limit(len(countries), params, countries)
    fired = bool(run("stay-days", facts(stops=stops)))
    assert fired == (stay_days(stops) > limit)
