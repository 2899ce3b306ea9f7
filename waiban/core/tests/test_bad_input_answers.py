"""What each kind of malformed input is answered with, page by page: the cases the bad-input
walk (test_bad_input) once found to end in a server error."""

import json

import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.testing.badinput import forms_in
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.watchlists.models import ScreeningHit

pytestmark = pytest.mark.django_db

PAST_BIGINT = "99999999999999999999"


def _rendered_form(client, url, **changes) -> dict:
    """The page's main form as the user would send it, with ``changes``."""
    response = client.get(url)
    form = max(
        (f for f in forms_in(response.content, url) if f.method == "post"),
        key=lambda f: len(f.baseline),
    )
    return {**form.baseline, **changes}


@pytest.mark.parametrize("unit_filter", ["²", PAST_BIGINT, "-3", "abc"])
def test_a_malformed_unit_filter_on_the_workbench_is_no_filter(
    client, clerk, unit, staff, unit_filter
):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    client.force_login(staff["window_clerk"])
    response = client.get(reverse("visits:workbench"), {"unit": unit_filter})
    assert response.status_code == 200
    assert f'href="/delegations/{case.pk}/"' in response.content.decode()


@pytest.mark.parametrize("year", ["²", PAST_BIGINT, "1999", "x"])
def test_a_malformed_year_shows_this_years_plans(client, clerk, year):
    from django.utils import timezone

    client.force_login(clerk)
    response = client.get(reverse("plans:overview"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


@pytest.mark.parametrize("code", [12345, True, ["a"], {"a": 1}])
def test_the_verification_api_says_a_code_must_be_text(client, code):
    response = client.post(
        reverse("documents:verify_json"),
        json.dumps({"code": code}),
        content_type="application/json",
    )
    assert response.status_code == 400  # a malformed body (waiban.documents.views)
    body = response.json()
    assert body["error"] == "code_not_text"
    assert body["message"] == "The code must be text."


def test_a_decision_sent_with_a_next_that_is_no_path_returns_to_the_hit_list(client, hit, staff):
    client.force_login(staff["reviewer"])
    for target in ["abc", "https://elsewhere.example/", "//elsewhere.example/"]:
        response = client.post(
            reverse("watchlists:hit_decide", args=[hit.pk]),
            {"decision": "cleared", "reason": "不同人", "next": target},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("watchlists:hits")
    assert ScreeningHit.objects.get(pk=hit.pk).status == "cleared"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_a_stop_date_at_the_calendars_ends_is_refused_beside_the_field(client, clerk, unit, day):
    draft = DelegationFactory(unit=unit, created_by=clerk)
    client.force_login(clerk)
    url = reverse("visits:edit", args=[draft.pk])
    data = _rendered_form(client, url, **{"stops-1-arrival_date": day, "title": "改过的标题"})
    response = client.post(url, data)
    assert response.status_code == 200
    stops = response.context["stops"]
    # A trip's dates lie between the years 2000 and 2100 (visits.forms.TripDateField).
    assert stops.forms[1].errors["arrival_date"] == [
        "Enter a date between the years 2000 and 2100."
    ]
    assert 'value="改过的标题"' in response.content.decode()  # what was typed stays
    draft.refresh_from_db()
    assert draft.title != "改过的标题"


@pytest.mark.parametrize("value", ["abc", PAST_BIGINT])
def test_the_admin_refuses_a_unit_that_is_no_id_beside_the_field(client, authority, unit, value):
    admin = UserFactory(role=Role.SYS_ADMIN, authority=authority, is_staff=True)
    client.force_login(admin)
    url = reverse("admin:accounts_unit_change", args=[unit.pk])
    response = client.post(url, {"name": unit.name, "level": unit.level, "authority": value})
    assert response.status_code == 200
    assert "authority" in response.context["adminform"].form.errors


@pytest.mark.parametrize(
    "method, url, data",
    [
        ("get", "/people/", {"q": "张\x00伟"}),
        ("get", "/progress/", {"case": "2026-\x00"}),
        ("get", "/delegations/workbench/", {"country": "D\x00"}),
        ("post", "/people/new/", {"name_zh": "张\x00伟"}),
    ],
)
def test_a_nul_character_is_answered_with_a_page_that_says_so(client, clerk, method, url, data):
    client.force_login(clerk)
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert 'data-error="nul_character"' in response.content.decode()


def test_the_live_check_of_a_case_that_is_no_id_is_not_found(client, clerk):
    client.force_login(clerk)
    for value in ["²", PAST_BIGINT, "-1"]:
        response = client.post(reverse("rules:live"), {"delegation": value})
        assert response.status_code == 404


def test_an_issuing_authority_longer_than_its_column_is_refused_beside_the_field(
    client, authority, unit
):
    from waiban.passports.models import Passport
    from waiban.testing.factories import PersonFactory

    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
    person = PersonFactory(unit=unit)
    client.force_login(officer)
    response = client.post(
        reverse("passports:register"),
        {
            "kind": "diplomatic",
            "person": person.pk,
            "number": "DE7654321",
            "expiry_date": "2033-05-01",
            "issuing_authority": "出入境管理局" * 20,
        },
    )
    assert response.status_code == 200  # on PostgreSQL this was a 500 (value too long)
    assert response.context["form"].errors["issuing_authority"]
    assert not Passport.objects.filter(person=person).exists()
