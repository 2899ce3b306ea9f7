"""The passport officer's pages: registering a passport, returning by scan, lending for a trip,
and the daily expiry of passports past their date."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.core.models import AuditEvent
from waiban.passports.loans import passport_lend, passport_return
from waiban.passports.models import Loan, Passport, PassportEvent
from waiban.passports.reminders import passports_expire
from waiban.passports.states import Kind, Status
from waiban.passports.tests.helpers import make_passport, mrz_of
from waiban.testing.factories import (
    DelegationFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture
def trip(unit):
    return DelegationFactory(unit=unit, approved=True, members=2)


def register_data(person, **over):
    data = {
        "kind": Kind.OFFICIAL_ORDINARY,
        "person": person.pk,
        "number": "PE2223334",
        "issue_date": "2024-03-01",
        "expiry_date": "2034-02-28",
        "issuing_authority": "国家移民管理局",
    }
    data.update(over)
    return data


# Registering an existing passport


def test_the_officer_registers_an_existing_passport_into_custody(client, trip, officer):
    person = trip.members.first().person
    client.force_login(officer)
    response = client.post(reverse("passports:register"), register_data(person), follow=True)
    passport = Passport.objects.get(person=person)
    assert passport.status == Status.IN_CUSTODY
    assert passport.number == "PE2223334"
    assert passport.expiry_date == dt.date(2034, 2, 28)
    assert passport.issuing_authority == "国家移民管理局"
    assert response.redirect_chain[-1][0] == reverse("passports:detail", args=[passport.pk])
    assert "The passport was registered and is in custody." in response.content.decode()
    assert AuditEvent.objects.filter(action="passport.register").exists()


def test_registering_an_already_expired_passport_warns(client, trip, officer):
    person = trip.members.first().person
    client.force_login(officer)
    response = client.post(
        reverse("passports:register"),
        register_data(person, issue_date="2014-03-01", expiry_date="2024-02-28"),
        follow=True,
    )
    assert "This passport expired on 2024-02-28" in response.content.decode()
    assert Passport.objects.get(person=person).expiry_date == dt.date(2024, 2, 28)


def test_the_custody_page_links_to_the_registration_page(client, officer):
    client.force_login(officer)
    page = client.get(reverse("passports:custody")).content.decode()
    assert reverse("passports:register") in page


def test_a_number_held_by_someone_else_is_shown_beside_the_number(client, trip, unit, officer):
    make_passport(PersonFactory(unit=unit), number="PE2223334")
    person = trip.members.first().person
    client.force_login(officer)
    response = client.post(reverse("passports:register"), register_data(person))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field-error="number"' in html
    assert "already registered to another passport" in html
    assert not Passport.objects.filter(person=person).exists()


def test_a_second_valid_passport_of_one_kind_is_refused_beside_the_holder(client, trip, officer):
    person = trip.members.first().person
    make_passport(person)
    client.force_login(officer)
    html = client.post(reverse("passports:register"), register_data(person)).content.decode()
    assert 'data-field-error="person"' in html and "already holds a valid" in html
    assert Passport.objects.filter(person=person).count() == 1


def test_the_holder_is_chosen_only_from_the_people_of_the_officers_units(client, trip, officer):
    stranger = PersonFactory(unit=UnitFactory())
    client.force_login(officer)
    page = client.get(reverse("passports:register")).content.decode()
    assert trip.members.first().person.name_zh in page
    assert f'value="{stranger.pk}"' not in page
    response = client.post(reverse("passports:register"), register_data(stranger))
    assert 'data-field-error="person"' in response.content.decode()
    assert not Passport.objects.exists()


def test_only_a_passport_officer_can_register_a_passport(client, trip, clerk, staff):
    person = trip.members.first().person
    for user in (clerk, staff["reviewer"]):
        client.force_login(user)
        response = client.post(reverse("passports:register"), register_data(person))
        assert response.status_code == 404
    assert not Passport.objects.exists()


# Returning by MRZ scan


@pytest.fixture
def lent(trip, officer):
    passport = make_passport(trip.members.first().person, number="PE3334445")
    passport_lend(passport=passport, actor=officer, delegation=trip, taken_by="李专办")
    return passport


def test_a_lent_passport_is_returned_by_scanning_its_mrz_on_its_page(client, lent, officer):
    client.force_login(officer)
    url = reverse("passports:detail", args=[lent.pk])
    assert 'data-testid="return-scan"' in client.get(url).content.decode()
    response = client.post(url, {"action": "return_scan", "mrz": mrz_of(lent)}, follow=True)
    assert "In custody" in response.content.decode()
    lent.refresh_from_db()
    assert lent.status == Status.IN_CUSTODY
    assert Loan.objects.get(passport=lent).returned_to == officer
    event = PassportEvent.objects.get(passport=lent, action="return")
    assert event.comment == "returned by MRZ scan"


def test_the_custody_page_finds_the_passport_by_its_mrz_and_returns_it(client, lent, officer):
    client.force_login(officer)
    assert 'data-testid="return-scan"' in client.get(reverse("passports:custody")).content.decode()
    response = client.post(reverse("passports:return_scan"), {"mrz": mrz_of(lent)}, follow=True)
    html = response.content.decode()
    assert f"The passport of {lent.person.name_zh} is back in custody." in html
    lent.refresh_from_db()
    assert lent.status == Status.IN_CUSTODY


def test_a_scanned_mrz_that_disagrees_with_the_record_lists_the_differences_and_returns_nothing(
    client, lent, officer
):
    client.force_login(officer)
    bad = mrz_of(lent, surname="WANG", birth=dt.date(1960, 1, 1))
    html = client.post(reverse("passports:return_scan"), {"mrz": bad}).content.decode()
    assert "The MRZ does not match this passport&#x27;s record" in html
    assert "birth date: record" in html and "name: record" in html
    lent.refresh_from_db()
    assert lent.status == Status.LENT_OUT
    assert Loan.objects.get(passport=lent).returned_at is None


def test_a_malformed_mrz_at_return_gets_a_clear_message(client, lent, officer):
    client.force_login(officer)
    first, second = mrz_of(lent).split("\n")
    corrupted = second[:9] + str((int(second[9]) + 1) % 10) + second[10:]
    for mrz, message in [
        ("P<CHNLI", "The MRZ must have two lines"),
        (f"{first}\n{corrupted}", "The check digit of the passport number does not match"),
    ]:
        html = client.post(reverse("passports:return_scan"), {"mrz": mrz}).content.decode()
        assert 'data-field-error="mrz"' in html and message in html
    lent.refresh_from_db()
    assert lent.status == Status.LENT_OUT


def test_an_mrz_of_a_passport_not_in_the_registry_is_not_found(client, lent, officer):
    client.force_login(officer)
    other = mrz_of(lent, number="PE9999999")
    html = client.post(reverse("passports:return_scan"), {"mrz": other}).content.decode()
    assert "No passport in this office" in html
    lent.refresh_from_db()
    assert lent.status == Status.LENT_OUT


def test_an_officer_of_another_office_cannot_return_the_passport_by_scan(client, lent):
    client.force_login(UserFactory(role=Role.PASSPORT_OFFICER))
    html = client.post(reverse("passports:return_scan"), {"mrz": mrz_of(lent)}).content.decode()
    assert "No passport in this office" in html
    lent.refresh_from_db()
    assert lent.status == Status.LENT_OUT


def test_scanning_a_passport_that_is_already_in_custody_says_so(client, trip, officer):
    passport = make_passport(trip.members.first().person, number="PE3334445")
    client.force_login(officer)
    html = client.post(reverse("passports:return_scan"), {"mrz": mrz_of(passport)}).content.decode()
    assert "is not possible now" in html


# Lending for a trip chosen from a list


def test_the_lend_form_offers_the_approved_trips_of_the_holder(client, trip, unit, officer):
    passport = make_passport(trip.members.first().person)
    draft = DelegationFactory(unit=unit)
    draft.members.create(person=passport.person, role="member", position=9)
    other = DelegationFactory(unit=unit, approved=True)
    client.force_login(officer)
    page = client.get(reverse("passports:detail", args=[passport.pk])).content.decode()
    assert f'<option value="{trip.pk}">{trip.case_number}' in page
    assert f'value="{draft.pk}"' not in page
    assert f'value="{other.pk}"' not in page


def test_the_officer_lends_a_passport_for_a_trip_chosen_from_the_list(client, trip, officer):
    passport = make_passport(trip.members.first().person)
    client.force_login(officer)
    client.post(
        reverse("passports:detail", args=[passport.pk]),
        {"action": "lend", "delegation": trip.pk, "taken_by": "李专办"},
    )
    passport.refresh_from_db()
    assert passport.status == Status.LENT_OUT
    assert Loan.objects.get(passport=passport).delegation == trip


def test_lending_without_a_trip_asks_for_one(client, trip, officer):
    passport = make_passport(trip.members.first().person)
    client.force_login(officer)
    html = client.post(
        reverse("passports:detail", args=[passport.pk]), {"action": "lend", "taken_by": "李"}
    ).content.decode()
    assert "Choose the trip or type its case number." in html
    passport.refresh_from_db()
    assert passport.status == Status.IN_CUSTODY


# Expiry


def test_passports_past_their_expiry_date_are_marked_expired_once(trip, officer):
    people = [m.person for m in trip.members.all()]
    old = make_passport(people[0], number="PE1000001", expiry_date=dt.date(2030, 6, 30))
    valid = make_passport(people[1], number="PE1000002", expiry_date=dt.date(2030, 7, 1))
    assert passports_expire(today=dt.date(2030, 7, 1)) == 1
    assert passports_expire(today=dt.date(2030, 7, 1)) == 0
    old.refresh_from_db()
    valid.refresh_from_db()
    assert old.status == Status.EXPIRED and valid.status == Status.IN_CUSTODY
    assert PassportEvent.objects.filter(passport=old, action="expire").count() == 1
    assert AuditEvent.objects.filter(action="passport.expire").count() == 1


def test_the_daily_command_expires_passports_past_their_date(trip):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    passport = make_passport(trip.members.first().person, expiry_date=yesterday)
    call_command("passports_remind")
    passport.refresh_from_db()
    assert passport.status == Status.EXPIRED


def test_an_action_on_a_passport_that_changed_meanwhile_is_refused_and_changes_nothing(
    client, lent, officer
):
    client.force_login(officer)
    url = reverse("passports:detail", args=[lent.pk])
    page = client.get(url).content.decode()
    lent.refresh_from_db()
    seen = lent.version
    assert f'name="version" value="{seen}"' in page
    # Another officer takes it back meanwhile.
    passport_return(passport=lent, actor=officer)

    response = client.post(url, {"action": "report_lost", "comment": "丢失", "version": seen})

    assert "Someone else acted on this passport" in response.content.decode()
    lent.refresh_from_db()
    assert lent.status == Status.IN_CUSTODY


def test_no_passport_is_lent_for_a_trip_cancelled_meanwhile(trip, officer, clerk):
    from waiban.core.errors import ServiceError
    from waiban.visits.workflow import delegation_cancel

    passport = make_passport(trip.members.first().person, number="PE5556667")
    stale_trip = type(trip).objects.get(pk=trip.pk)  # read before the cancellation
    delegation_cancel(delegation=trip, actor=trip.created_by, reason="外方取消")
    with pytest.raises(ServiceError) as refused:
        passport_lend(passport=passport, actor=officer, delegation=stale_trip, taken_by="李")
    assert refused.value.code == "trip_not_approved"
    assert not Loan.objects.filter(passport=passport).exists()
