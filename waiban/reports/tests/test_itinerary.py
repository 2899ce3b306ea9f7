"""The clerk enters the itinerary as travelled; what differs from the approved one is computed
and shown on the case page, counted as the stay-days rule counts."""

import datetime as dt

import pytest
from django.urls import reverse

from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.reports import services
from waiban.reports.deviations import compare
from waiban.reports.tests.conftest import as_approved
from waiban.rules.engine import REGISTRY
from waiban.rules.facts import Stop
from waiban.visits.states import State

pytestmark = pytest.mark.django_db

STAY = REGISTRY["stay-days"].params
D = dt.date(2026, 5, 1)


def _stop(country, city, start, end, **kw):
    return Stop(country, city, D + dt.timedelta(days=start), D + dt.timedelta(days=end), **kw)


def _post(case, stops):
    data = {
        "stops-TOTAL_FORMS": str(len(stops)),
        "stops-INITIAL_FORMS": "0",
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "20",
    }
    for i, s in enumerate(stops):
        for key, value in s.items():
            if isinstance(value, bool):
                if value:
                    data[f"stops-{i}-{key}"] = "on"
            else:
                data[f"stops-{i}-{key}"] = str(value)
    return data


def _codes(comparison):
    return {d.code for d in comparison.deviations}


def test_as_approved_has_no_deviation():
    stops = (_stop("DE", "柏林", 0, 3), _stop("FR", "巴黎", 3, 6))
    result = compare(stops, stops, stay_params=STAY)
    assert result.deviations == () and result.actual_days == 7


def test_an_extra_day_and_an_extra_country_are_found():
    approved = (_stop("DE", "柏林", 0, 3), _stop("FR", "巴黎", 3, 6))
    actual = (_stop("DE", "柏林", 0, 3), _stop("FR", "巴黎", 3, 5), _stop("BE", "布鲁塞尔", 5, 7))
    result = compare(approved, actual, stay_params=STAY)
    assert _codes(result) == {"extra-country", "more-days"}
    assert result.actual_days == 8 and result.approved_days == 7


def test_a_stop_not_made_and_an_earlier_departure_are_found():
    approved = (_stop("DE", "柏林", 0, 3), _stop("FR", "巴黎", 3, 6))
    actual = (_stop("DE", "柏林", -1, 5),)
    assert _codes(compare(approved, actual, stay_params=STAY)) >= {
        "stop-not-made",
        "earlier-departure",
    }


def test_days_over_the_rule_are_found_and_an_airside_transit_is_no_country():
    approved = (_stop("DE", "柏林", 0, 5),)
    actual = (
        _stop("DE", "柏林", 0, 5),
        _stop("AE", "迪拜", 5, 5, is_transit=True, is_airside=True),
    )
    result = compare(approved, actual, stay_params=STAY)
    # One country: 5 days allowed; 6 travelled (departure and return day both count).
    assert _codes(result) == {"over-limit"}
    assert result.actual_limit == 5


def test_the_clerk_enters_an_extra_day_and_the_case_page_shows_it(client, case, clerk, staff):
    stops = as_approved(case)
    stops[-1]["departure_date"] += dt.timedelta(days=1)
    client.force_login(clerk)
    response = client.post(reverse("reports:itinerary", args=[case.pk]), _post(case, stops))
    assert response.status_code == 302
    assert case.actual_stops.count() == 2
    assert AuditEvent.objects.filter(action="delegation.actual_itinerary").count() == 1
    for user in (clerk, staff["reviewer"]):
        client.force_login(user)
        page = client.get(reverse("visits:detail", args=[case.pk])).content.decode()
        assert 'data-deviation="more-days"' in page


def test_a_stop_ending_before_it_starts_is_refused_beside_the_stop(client, case, clerk):
    stops = as_approved(case)
    stops[0]["departure_date"] = stops[0]["arrival_date"] - dt.timedelta(days=1)
    client.force_login(clerk)
    response = client.post(reverse("reports:itinerary", args=[case.pk]), _post(case, stops))
    assert response.status_code == 400
    assert 'data-field-error="departure_date"' in response.content.decode()
    assert stops[1]["city"] in response.content.decode()  # what was typed is kept
    assert not case.actual_stops.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"stops-TOTAL_FORMS": "x"},
        {
            "stops-TOTAL_FORMS": "1",
            "stops-INITIAL_FORMS": "0",
            "stops-0-arrival_date": "2026-13-45",
        },
        {"stops-TOTAL_FORMS": "1", "stops-INITIAL_FORMS": "0", "stops-0-country": "ZZ"},
        {"stops-TOTAL_FORMS": "0", "stops-INITIAL_FORMS": "0"},
    ],
)
def test_bad_itinerary_input_never_gives_a_server_error(client, case, clerk, bad):
    client.force_login(clerk)
    response = client.post(reverse("reports:itinerary", args=[case.pk]), bad)
    assert response.status_code == 400


def test_dates_after_today_are_refused(case, clerk):
    stops = as_approved(case)
    stops[-1]["departure_date"] = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(ServiceError) as error:
        services.actual_itinerary_save(delegation=case, actor=clerk, stops=stops)
    assert error.value.code == "stop_in_future"


def test_only_the_units_clerk_enters_it_and_only_back_home(case, clerk, other_clerk, staff, unit):
    with pytest.raises(PermissionDenied):
        services.actual_itinerary_save(delegation=case, actor=other_clerk, stops=as_approved(case))
    with pytest.raises(PermissionDenied):
        services.actual_itinerary_save(
            delegation=case, actor=staff["reviewer"], stops=as_approved(case)
        )
    case.state = State.TRAVELLING
    case.save()
    with pytest.raises(StateConflict) as error:
        services.actual_itinerary_save(delegation=case, actor=clerk, stops=as_approved(case))
    assert error.value.code == "not_back_home"


def test_the_passport_officer_records_border_stamps(client, case, authority):
    from waiban.accounts.roles import Role
    from waiban.testing.factories import UserFactory

    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
    client.force_login(officer)
    url = reverse("reports:border_dates", args=[case.pk])
    response = client.post(url, {"exit_date": case.departure_date, "entry_date": case.return_date})
    assert response.status_code == 302
    assert case.border_dates.entry_date == case.return_date
    # Entry before exit: refused, nothing changes, no server error.
    bad = {"exit_date": case.return_date, "entry_date": case.departure_date}
    assert client.post(url, bad).status_code == 302
    case.refresh_from_db()
    assert case.border_dates.entry_date == case.return_date
    assert client.post(url, {"exit_date": "garbage"}).status_code == 302
