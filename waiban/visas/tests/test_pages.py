import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.testing.factories import UserFactory
from waiban.visas.models import Embassy, VisaBatch
from waiban.visas.tests.conftest import three_country_trip

TODAY = timezone.localdate


@pytest.fixture
def trip(unit, regimes):
    return three_country_trip(unit)


@pytest.fixture
def officer_client(client, visa_officer):
    client.force_login(visa_officer)
    return client


def _endpoints(trip, batch):
    return [
        reverse("visas:workbench"),
        reverse("visas:case", args=[trip.pk]),
        reverse("visas:batch", args=[batch.pk]),
    ]


def test_the_menu_leads_the_visa_officer_to_the_workbench(officer_client, trip):
    page = officer_client.get("/", follow=True)
    assert page.redirect_chain[-1][0] == reverse("visas:workbench")
    assert 'data-testid="nav-visas"' in page.content.decode()
    assert f'data-case="{trip.pk}"' in page.content.decode()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.VISA_OFFICER])
def test_every_other_role_gets_a_404(client, unit, authority, trip, signing_keys, batch_of, role):
    batch = batch_of(trip)
    kwargs = (
        {"unit": unit}
        if role in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER)
        else {"authority": authority}
    )
    client.force_login(UserFactory(role=role, **kwargs))
    for url in _endpoints(trip, batch):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "cancel", "reason": "x"}).status_code == 404, url
    batch.refresh_from_db()
    assert batch.state == "preparing"


def test_anonymous_users_are_sent_to_log_in(client, trip):
    page = client.get(reverse("visas:workbench"))
    assert page.status_code == 302 and "login" in page["Location"]


def test_a_visa_officer_of_another_office_sees_no_such_trip(client, trip, signing_keys, batch_of):
    batch = batch_of(trip)
    client.force_login(UserFactory(role=Role.VISA_OFFICER))
    for url in _endpoints(trip, batch)[1:]:
        assert client.get(url).status_code == 404
    assert f'data-case="{trip.pk}"' not in client.get(reverse("visas:workbench")).content.decode()


def test_the_officer_prepares_sends_records_and_receives_through_the_pages(
    officer_client, trip, signing_keys, django_capture_on_commit_callbacks
):
    germany = Embassy.objects.get(country="DE")
    page = officer_client.get(reverse("visas:case", args=[trip.pk]))
    assert f'data-embassy="{germany.pk}"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("visas:case", args=[trip.pk]), {"embassy": germany.pk}
        )
    batch = VisaBatch.objects.get(delegation=trip, embassy=germany)
    assert response["Location"] == reverse("visas:batch", args=[batch.pk])
    url = reverse("visas:batch", args=[batch.pk])
    page = officer_client.get(url).content.decode()
    assert 'data-testid="note-pdf"' in page
    # No passport number on the page, in full.
    for application in batch.applications.select_related("passport"):
        assert application.passport.number not in page
    note_url = reverse("documents:download", args=[batch.documents.get().pk])
    assert officer_client.get(note_url)["Content-Type"] == "application/pdf"
    docx_url = reverse("documents:download_docx", args=[batch.documents.get().pk])
    assert officer_client.get(docx_url)["Content-Type"].startswith("application/vnd.openxml")
    response = officer_client.post(
        url,
        {"action": "send", "version": batch.version, "courier": "驻京办", "sent_on": TODAY()},
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == "sent"
    for application in batch.applications.all():
        officer_client.post(
            url,
            {
                "action": "result",
                "application": application.pk,
                "result": "granted",
                "visa_number": "X99",
                "valid_from": TODAY(),
                "valid_until": TODAY() + dt.timedelta(days=60),
                "entries": "multiple",
                "stay_days": 30,
            },
        )
    assert set(batch.applications.values_list("result", flat=True)) == {"granted"}
    batch.refresh_from_db()
    officer_client.post(url, {"action": "receive", "version": batch.version, "back_on": TODAY()})
    batch.refresh_from_db()
    assert batch.state == "back"
    page = officer_client.get(reverse("visits:detail", args=[trip.pk])).content.decode()
    assert 'data-status="granted"' in page


@pytest.mark.parametrize(
    "data, field",
    [
        ({"action": "send", "courier": "", "sent_on": "2026-02-30"}, "courier"),
        ({"action": "send", "courier": "x", "sent_on": "not a date"}, "sent_on"),
        ({"action": "send", "courier": "x", "sent_on": "2999-01-01"}, "sent_on"),
        ({"action": "receive", "back_on": ""}, "back_on"),
        ({"action": "cancel", "reason": ""}, "reason"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_kept(
    officer_client, trip, signing_keys, batch_of, data, field
):
    batch = batch_of(trip)
    page = officer_client.post(
        reverse("visas:batch", args=[batch.pk]), {**data, "version": batch.version}
    )
    assert page.status_code == 200
    assert f'data-field-error="{field}"' in page.content.decode() or data["action"] == "receive"
    if data.get("courier") == "x":
        assert 'value="x"' in page.content.decode()


def test_a_result_with_missing_details_keeps_the_chosen_passport(
    officer_client, trip, signing_keys, batch_of, visa_officer
):
    from waiban.visas.services import visa_batch_send

    batch = visa_batch_send(batch=batch_of(trip), actor=visa_officer, courier="x", sent_on=TODAY())
    second = batch.applications.all()[1]
    page = officer_client.post(
        reverse("visas:batch", args=[batch.pk]),
        {"action": "result", "application": second.pk, "result": "granted", "visa_number": "V1"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-field-error="valid_until"' in html
    assert f'<option value="{second.pk}" selected>' in html


@pytest.mark.parametrize(
    "data",
    [
        {"action": "bogus"},
        {"action": "result", "application": "abc", "result": "refused"},
        {"action": "result", "application": "999999999999999999999", "result": "refused"},
        {"embassy": "abc"},
    ],
)
def test_nonsense_posts_never_give_a_server_error(
    officer_client, trip, signing_keys, batch_of, data
):
    batch = batch_of(trip)
    for url in (reverse("visas:batch", args=[batch.pk]), reverse("visas:case", args=[trip.pk])):
        assert officer_client.post(url, data).status_code in (200, 302)


def test_the_clerk_sees_the_visa_preview_on_a_draft(client, clerk, unit, regimes):
    trip = three_country_trip(unit, state="draft")
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[trip.pk])).content.decode()
    assert 'data-testid="visa-stage"' in html
    assert 'data-visa-count="6"' in html  # 3 members × Germany and Ireland
    assert 'data-country="TH" data-regime="exempt" data-needs-visa="no"' in html


def test_the_workbench_colours_a_batch_overdue_against_the_lead_time(
    officer_client, trip, signing_keys, batch_of, visa_officer
):
    from waiban.visas.services import visa_batch_send

    batch = visa_batch_send(
        batch=batch_of(trip),
        actor=visa_officer,
        courier="x",
        sent_on=TODAY() - dt.timedelta(days=20),
    )
    assert batch.expected_back < TODAY()
    html = officer_client.get(reverse("visas:workbench")).content.decode()
    assert f'data-batch="{batch.pk}" data-sla="red"' in html


def test_the_note_is_downloaded_by_the_unit_clerk_but_not_the_unit_head(
    client, clerk, unit_head, trip, signing_keys, batch_of
):
    batch = batch_of(trip)
    url = reverse("documents:download", args=[batch.documents.get().pk])
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    client.force_login(unit_head)
    assert client.get(url).status_code == 404


def test_the_clerks_timeline_shows_the_visa_steps_with_the_embassy(
    client, clerk, trip, signing_keys, batch_of, visa_officer
):
    from waiban.visas.services import visa_batch_send

    visa_batch_send(batch=batch_of(trip), actor=visa_officer, courier="x", sent_on=TODAY())
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[trip.pk])).content.decode()
    timeline = html[html.index('data-testid="timeline"') :]
    assert 'data-event="visa_create"' in timeline and 'data-event="visa_send"' in timeline
    assert "Passports sent to the embassy · 德意志联邦共和国驻广州总领事馆" in timeline


def test_the_case_page_with_its_visa_panel_costs_the_same_for_two_members_as_for_six(
    client, clerk, unit, regimes
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(clerk)

    def queries(delegation):
        url = reverse("visits:detail", args=[delegation.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        assert 'data-testid="visa-stage"' in html
        return len(captured)

    assert queries(three_country_trip(unit, members=2)) == queries(
        three_country_trip(unit, members=6)
    )


def test_the_workbench_costs_the_same_for_two_waiting_trips_as_for_six(
    officer_client, unit, regimes
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        officer_client.get(reverse("visas:workbench"))
        with CaptureQueriesContext(connection) as captured:
            html = officer_client.get(reverse("visas:workbench")).content.decode()
        return len(captured), html.count("data-case=")

    for _n in range(2):
        three_country_trip(unit)
    few, shown = queries()
    assert shown == 2
    for _n in range(4):
        three_country_trip(unit)
    many, shown = queries()
    assert shown == 6 and many == few
