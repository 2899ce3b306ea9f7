"""Issue 14: lending checks the document against the trip."""

import datetime as dt

import pytest
from django.utils import timezone

from waiban.core.errors import ServiceError
from waiban.passports.loans import passport_lend
from waiban.passports.states import Kind
from waiban.passports.tests.helpers import make_passport
from waiban.testing.factories import DelegationFactory
from waiban.visits.models import ItineraryStop

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip(unit):
    return DelegationFactory(unit=unit, approved=True)  # Germany and France


def _holder(trip):
    return trip.members.select_related("person__unit").first().person


def _lend(passport, officer, trip):
    return passport_lend(passport=passport, actor=officer, delegation=trip, taken_by="李专办")


def test_a_permit_is_not_lent_for_a_trip_to_europe(trip, officer):
    permit = make_passport(_holder(trip), kind=Kind.HK_MACAO_PERMIT, number="CA1234567")
    with pytest.raises(ServiceError) as error:
        _lend(permit, officer, trip)
    assert error.value.code == "wrong_kind"


def test_a_passport_is_not_lent_for_a_trip_only_to_hong_kong(unit, officer):
    trip = DelegationFactory(unit=unit, approved=True)
    trip.stops.update(country="HK")
    with pytest.raises(ServiceError) as error:
        _lend(make_passport(_holder(trip)), officer, trip)
    assert error.value.code == "wrong_kind"
    permit = make_passport(_holder(trip), kind=Kind.HK_MACAO_PERMIT, number="CA7654321")
    assert _lend(permit, officer, trip).delegation == trip


def test_nothing_is_lent_for_a_trip_that_is_over(unit, officer):
    past = timezone.localdate() - dt.timedelta(days=20)
    trip = DelegationFactory(unit=unit, approved=True, departure_date=past)
    ItineraryStop.objects.filter(delegation=trip).update(
        arrival_date=past, departure_date=past + dt.timedelta(days=3)
    )
    with pytest.raises(ServiceError) as error:
        _lend(make_passport(_holder(trip)), officer, trip)
    assert error.value.code == "trip_over"


def test_one_person_gets_one_document_per_trip(trip, officer):
    holder = _holder(trip)
    _lend(make_passport(holder, number="PE1111111"), officer, trip)
    service = make_passport(holder, kind=Kind.SERVICE, number="SE2222222")
    with pytest.raises(ServiceError) as error:
        _lend(service, officer, trip)
    assert error.value.code == "one_per_trip"
