import datetime as dt

import pytest

from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.passports import services
from waiban.passports.loans import loans_refresh_due, passport_lend, passport_return
from waiban.passports.models import Loan, Passport, PassportEvent
from waiban.passports.states import TRANSITIONS, Kind, Status
from waiban.passports.tests.helpers import make_passport, mrz_of
from waiban.testing.factories import DelegationFactory, PersonFactory, UserFactory
from waiban.visits.models import ApprovalStep


@pytest.fixture
def trip(unit):
    return DelegationFactory(unit=unit, approved=True)


def holder(trip):
    return trip.members.first().person


def mrz_for(passport, **over):
    """A passport still being made has no number or expiry yet: the MRZ brings them."""
    defaults = {"number": passport.number or "PE7654321"}
    defaults["expiry"] = passport.expiry_date or dt.date(2034, 1, 31)
    return mrz_of(passport, **{**defaults, **over})


def test_a_produced_passport_is_checked_in_by_its_mrz(trip, officer):
    passport = make_passport(holder(trip), status=Status.APPLIED, number="", expiry_date=None)
    services.passport_produce(passport=passport, actor=officer)
    services.passport_check_in(passport=passport, actor=officer, mrz=mrz_for(passport))
    passport.refresh_from_db()
    assert passport.status == Status.IN_CUSTODY
    assert passport.number == "PE7654321"
    assert passport.expiry_date == dt.date(2034, 1, 31)
    actions = list(PassportEvent.objects.filter(passport=passport).values_list("action", flat=True))
    assert actions == ["produce", "check_in"]
    audit = AuditEvent.objects.get(action="passport.check_in")
    assert audit.new_values["passport_number"] == "[redacted]"


@pytest.mark.parametrize(
    "field, value", [("surname", "WANG"), ("birth", dt.date(1960, 1, 1)), ("number", "PE0000001")]
)
def test_check_in_shows_where_the_mrz_disagrees_with_the_record_and_changes_nothing(
    trip, officer, field, value
):
    passport = make_passport(holder(trip), status=Status.IN_PRODUCTION)
    with pytest.raises(ServiceError) as error:
        services.passport_check_in(
            passport=passport, actor=officer, mrz=mrz_for(passport, **{field: value})
        )
    assert error.value.code == "mrz_mismatch"
    assert error.value.params["differences"]
    passport.refresh_from_db()
    assert passport.status == Status.IN_PRODUCTION


def test_a_number_held_by_someone_else_is_refused(trip, officer):
    make_passport(PersonFactory(unit=trip.unit), number="PE7654321")
    passport = make_passport(holder(trip), status=Status.IN_PRODUCTION, number="")
    with pytest.raises(ServiceError) as error:
        services.passport_check_in(passport=passport, actor=officer, mrz=mrz_for(passport))
    assert error.value.code == "number_taken"
    passport.refresh_from_db()
    assert passport.status == Status.IN_PRODUCTION and passport.number == ""


def test_a_corrupted_check_digit_at_check_in_changes_nothing(trip, officer):
    passport = make_passport(holder(trip), status=Status.IN_PRODUCTION, number="")
    first, second = mrz_for(passport).split("\n")
    bad = second[:9] + str((int(second[9]) + 1) % 10) + second[10:]
    with pytest.raises(ServiceError) as error:
        services.passport_check_in(passport=passport, actor=officer, mrz=f"{first}\n{bad}")
    assert error.value.code == "mrz_check_digit"
    assert not PassportEvent.objects.exists()


def test_registering_a_second_valid_passport_of_one_kind_is_refused(trip, officer):
    make_passport(holder(trip))
    with pytest.raises(ServiceError) as error:
        services.passport_register(
            actor=officer,
            person=holder(trip),
            kind=Kind.OFFICIAL_ORDINARY,
            number="PE1111111",
            expiry_date=dt.date(2032, 1, 1),
        )
    assert error.value.code == "one_passport"


def test_a_number_that_does_not_fit_the_kind_is_refused(trip, officer):
    with pytest.raises(ServiceError) as error:
        services.passport_register(
            actor=officer,
            person=holder(trip),
            kind=Kind.DIPLOMATIC,
            number="PE1111111",
            expiry_date=dt.date(2032, 1, 1),
        )
    assert error.value.code == "number_format"


def test_lending_and_returning_write_a_loan_due_seven_days_after_the_trip(trip, officer):
    passport = make_passport(holder(trip))
    loan = passport_lend(passport=passport, actor=officer, delegation=trip, taken_by="李专办")
    assert loan.due_date == trip.return_date + dt.timedelta(days=7)
    passport.refresh_from_db()
    assert passport.status == Status.LENT_OUT
    passport_return(passport=passport, actor=officer)
    passport.refresh_from_db()
    loan.refresh_from_db()
    assert passport.status == Status.IN_CUSTODY and loan.returned_at is not None


def test_the_due_date_follows_the_trip_when_its_return_date_changes(trip, officer):
    loan = passport_lend(
        passport=make_passport(holder(trip)), actor=officer, delegation=trip, taken_by="李"
    )
    trip.return_date += dt.timedelta(days=5)
    trip.save()
    assert loans_refresh_due(delegation=trip) == 1
    loan.refresh_from_db()
    assert loan.due_date == trip.return_date + dt.timedelta(days=7)
    assert AuditEvent.objects.filter(action="passport.loan_due_changed").exists()


def test_whoever_approved_the_trip_cannot_lend_its_passports(trip, officer):
    ApprovalStep.objects.create(
        delegation=trip, level=1, position="division_head", decided_by=officer
    )
    with pytest.raises(PermissionDenied) as error:
        passport_lend(
            passport=make_passport(holder(trip)), actor=officer, delegation=trip, taken_by="李"
        )
    assert error.value.code == "separation_of_duties"


def test_only_passport_officers_of_the_office_change_a_passport(trip, clerk, staff):
    passport = make_passport(holder(trip))
    for actor in (clerk, staff["reviewer"], UserFactory(role="passport_officer")):
        with pytest.raises(PermissionDenied):
            services.passport_cancel(passport=passport, actor=actor)
    passport.refresh_from_db()
    assert passport.status == Status.IN_CUSTODY


def test_a_passport_is_not_lent_for_a_trip_that_is_not_approved(unit, officer):
    draft = DelegationFactory(unit=unit)
    with pytest.raises(ServiceError) as error:
        passport_lend(
            passport=make_passport(draft.members.first().person),
            actor=officer,
            delegation=draft,
            taken_by="李",
        )
    assert error.value.code == "trip_not_approved"


def _call(action, passport, officer, trip):
    if action == "lend":
        return passport_lend(passport=passport, actor=officer, delegation=trip, taken_by="李")
    if action == "return":
        return passport_return(passport=passport, actor=officer)
    if action == "check_in":
        return services.passport_check_in(passport=passport, actor=officer, mrz=mrz_for(passport))
    if action == "expire":
        return services.passport_expire(passport=passport, actor=officer, today=dt.date(2040, 1, 1))
    func = {
        "produce": services.passport_produce,
        "mark_overdue": services.passport_mark_overdue,
        "report_lost": services.passport_report_lost,
        "cancel": services.passport_cancel,
    }[action]
    return func(passport=passport, actor=officer)


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", Status.values)
def test_every_status_change_is_allowed_only_from_its_sources(trip, officer, action, status):
    passport = make_passport(holder(trip), status=status)
    if status in (Status.LENT_OUT, Status.OVERDUE):
        Loan.objects.create(
            passport=passport,
            delegation=trip,
            taken_by="李",
            lent_by=officer,
            due_date=trip.return_date,
        )
    transition = TRANSITIONS[action]
    if status in transition.sources:
        _call(action, passport, officer, trip)
        passport.refresh_from_db()
        assert passport.status == transition.target
        assert PassportEvent.objects.filter(passport=passport, action=action).exists()
        assert AuditEvent.objects.filter(action=f"passport.{action}").exists()
    else:
        with pytest.raises(StateConflict) as error:
            _call(action, passport, officer, trip)
        assert error.value.code == "invalid_transition"
        assert Passport.objects.get(pk=passport.pk).status == status
