import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from waiban.accounts.roles import Role
from waiban.passports.loans import passport_lend
from waiban.passports.production import production_requests_create
from waiban.passports.states import Status
from waiban.passports.tests.helpers import make_passport
from waiban.testing.factories import DelegationFactory, UserFactory


@pytest.fixture
def world(unit, officer, clerk):
    trip = DelegationFactory(unit=unit, approved=True, members=2)
    passport = make_passport(trip.members.first().person)
    request = production_requests_create(delegation=trip, actor=officer)[0]
    return {
        "custody": reverse("passports:custody"),
        "detail": reverse("passports:detail", args=[passport.pk]),
        "delegation": reverse("passports:delegation", args=[trip.pk]),
        "photo": reverse("passports:photo", args=[request.pk]),
        "notices": reverse("notices:inbox"),
        "register": reverse("passports:register"),
        "return_scan": reverse("passports:return_scan"),
        "trip": trip,
        "passport": passport,
    }


ALLOWED = {
    "custody": {Role.PASSPORT_OFFICER, Role.SUPERVISOR},
    "detail": {Role.PASSPORT_OFFICER},
    "delegation": {Role.PASSPORT_OFFICER},
    "photo": {Role.UNIT_CLERK},
    "notices": set(Role.values),
    "register": {Role.PASSPORT_OFFICER},
    "return_scan": {Role.PASSPORT_OFFICER},
}


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_every_role_gets_the_page_or_a_404_and_anonymous_users_log_in(
    client, world, unit, authority, clerk, officer, page
):
    url = world[page]
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    for role in Role.values:
        if role == Role.UNIT_CLERK:
            user = clerk
        elif role == Role.PASSPORT_OFFICER:
            user = officer
        elif role in (Role.UNIT_HEAD, Role.TRAVELLER):
            user = UserFactory(role=role, unit=unit)
        else:
            user = UserFactory(role=role, authority=authority)
        client.force_login(user)
        expected = 200 if role in ALLOWED[page] else 404
        assert client.get(url).status_code == expected, (page, role)


def test_an_officer_of_another_office_does_not_see_the_passport(client, world):
    client.force_login(UserFactory(role=Role.PASSPORT_OFFICER))
    assert client.get(world["detail"]).status_code == 404
    assert client.get(world["delegation"]).status_code == 404


def test_a_clerk_of_another_unit_does_not_see_the_photo_page(client, world):
    client.force_login(UserFactory(role=Role.UNIT_CLERK))
    assert client.get(world["photo"]).status_code == 404


def test_lending_from_the_passport_page_shows_it_out_and_with_whom(client, world, officer):
    client.force_login(officer)
    response = client.post(
        world["detail"],
        {"action": "lend", "case_number": world["trip"].case_number, "taken_by": "李专办"},
        follow=True,
    )
    assert "Lent out" in response.content.decode()
    custody = client.get(world["custody"] + "?where=out").content.decode()
    assert "李专办" in custody


def test_a_malformed_mrz_is_shown_beside_the_field(client, world, officer):
    passport = world["passport"]
    passport.status = Status.IN_PRODUCTION
    passport.save()
    client.force_login(officer)
    response = client.post(world["detail"], {"action": "check_in", "mrz": "P<CHN"})
    assert "The MRZ must have two lines" in response.content.decode()
    passport.refresh_from_db()
    assert passport.status == Status.IN_PRODUCTION


def test_the_custody_view_exports_to_excel_without_full_numbers(client, world, officer):
    passport_lend(
        passport=world["passport"], actor=officer, delegation=world["trip"], taken_by="李"
    )
    client.force_login(officer)
    response = client.get(world["custody"] + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "李" in values
    assert "PE1234567" not in values


def test_the_officer_creates_production_requests_from_the_trip_page(client, unit, officer):
    trip = DelegationFactory(unit=unit, approved=True, members=2)
    client.force_login(officer)
    page = client.get(reverse("passports:delegation", args=[trip.pk])).content.decode()
    assert "a new passport" in page
    response = client.post(reverse("passports:delegation", args=[trip.pk]), follow=True)
    assert "2 production request(s) created." in response.content.decode()


def test_the_nav_shows_the_number_of_unread_notices(client, clerk):
    from waiban.notices.services import notice_send

    notice_send(key="x", recipient=clerk, subject="Passport due", body="")
    client.force_login(clerk)
    page = client.get(reverse("notices:inbox")).content.decode()
    assert 'data-testid="unread-notices">1<' in page and "Passport due" in page
    client.post(reverse("notices:mark_read"))
    assert "unread-notices" not in client.get(reverse("notices:inbox")).content.decode()


def test_the_case_page_leads_the_passport_officer_to_the_passport_stage(client, authority, unit):
    from waiban.testing.factories import DelegationFactory, UserFactory

    delegation = DelegationFactory(unit=unit, approved=True)
    officer = UserFactory(role="passport_officer", authority=authority)
    client.force_login(officer)
    html = client.get(reverse("visits:detail", args=[delegation.pk])).content.decode()
    assert reverse("passports:delegation", args=[delegation.pk]) in html
