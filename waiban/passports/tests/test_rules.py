import datetime as dt

import pytest

from waiban.core.errors import ServiceError
from waiban.passports.loans import passport_lend, passport_return
from waiban.passports.services import passport_report_lost
from waiban.passports.tests.helpers import make_passport
from waiban.rules.services import delegation_evaluate, submission_check
from waiban.testing.factories import DelegationFactory


@pytest.fixture
def lent(unit, officer):
    trip = DelegationFactory(unit=unit, approved=True)
    passport = make_passport(trip.members.first().person)
    loan = passport_lend(passport=passport, actor=officer, delegation=trip, taken_by="李")
    return trip, passport, loan


def codes(delegation, on):
    return {
        (f.code, f.message_key, f.severity)
        for f in delegation_evaluate(delegation=delegation, on=on).findings
        if f.code.startswith("passport") or f.code == "one-passport"
    }


def test_a_passport_31_days_overdue_blocks_the_units_new_applications(unit, lent):
    trip, passport, loan = lent
    on = loan.due_date + dt.timedelta(days=31)
    draft = DelegationFactory(unit=unit, departure_date=on + dt.timedelta(days=60))
    assert ("passport-return", "overdue_block", "block") in codes(draft, on)
    with pytest.raises(ServiceError) as error:
        submission_check(delegation=draft, on=on)
    assert error.value.code == "rule_blocked"
    assert "31 days overdue" in error.value.params["problems"][0]["message"]


def test_thirty_days_overdue_is_only_reported(unit, lent):
    trip, passport, loan = lent
    draft = DelegationFactory(unit=unit)
    found = codes(draft, loan.due_date + dt.timedelta(days=30))
    assert found == {("passport-return", "overdue", "info")}


def test_another_units_overdue_passport_does_not_block(lent):
    trip, passport, loan = lent
    other = DelegationFactory()
    assert codes(other, loan.due_date + dt.timedelta(days=60)) == set()


def test_the_block_lifts_as_soon_as_the_passport_is_returned(unit, lent, officer):
    trip, passport, loan = lent
    draft = DelegationFactory(unit=unit)
    on = loan.due_date + dt.timedelta(days=45)
    passport_return(passport=passport, actor=officer)
    assert codes(draft, on) == set()


def test_the_block_follows_a_later_return_date_even_before_the_loan_is_refreshed(unit, lent):
    trip, passport, loan = lent
    trip.return_date += dt.timedelta(days=10)
    trip.save()
    draft = DelegationFactory(unit=unit)
    assert codes(draft, loan.due_date + dt.timedelta(days=31)) == {
        ("passport-return", "overdue", "info")
    }


def test_a_reported_loss_blocks_the_holder_for_15_days(unit, officer):
    person_trip = DelegationFactory(unit=unit)
    person = person_trip.members.first().person
    passport = make_passport(person)
    lost_on = dt.date(2026, 3, 2)
    passport_report_lost(passport=passport, actor=officer, today=lost_on)
    assert ("passport-return", "lost_block", "block") in codes(
        person_trip, lost_on + dt.timedelta(days=14)
    )
    assert codes(person_trip, lost_on + dt.timedelta(days=15)) == set()


def test_a_passport_expiring_within_six_months_of_the_return_is_a_warning(unit):
    trip = DelegationFactory(unit=unit)
    make_passport(
        trip.members.first().person, expiry_date=trip.return_date + dt.timedelta(days=100)
    )
    assert ("passport-validity", "renew", "warn") in codes(trip, trip.departure_date)


@pytest.mark.parametrize(
    "days_after_return, found",
    [
        (-1, ("expires_before_return", "block")),
        (0, ("renew", "warn")),  # valid on the day of return: long enough to travel
        (100, ("renew", "warn")),
        (200, None),  # more than six months beyond the return
    ],
)
def test_a_passport_expiring_before_the_return_date_blocks(unit, days_after_return, found):
    trip = DelegationFactory(unit=unit)
    make_passport(
        trip.members.first().person,
        expiry_date=trip.return_date + dt.timedelta(days=days_after_return),
    )
    found_now = codes(trip, trip.departure_date)
    validity = {(key, severity) for code, key, severity in found_now if code == "passport-validity"}
    assert validity == ({found} if found else set())


def test_two_valid_passports_of_one_kind_are_a_warning(unit):
    trip = DelegationFactory(unit=unit)
    person = trip.members.first().person
    make_passport(person, number="PE1000001")
    make_passport(person, number="PE1000002")
    assert ("one-passport", "one_passport", "warn") in codes(trip, trip.departure_date)
