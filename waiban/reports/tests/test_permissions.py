"""Every role against every page after the trip: only those the brief names may act, the rest
see nothing (404) and nothing changes; nobody gets a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.reports import services
from waiban.reports.models import BorderDates
from waiban.reports.states import LIBRARY_ROLES, ReportState
from waiban.reports.tests.conftest import as_approved, report_data
from waiban.testing.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
UNIT_SIDE = {Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER}


@pytest.fixture
def setting(case, clerk, unit, authority):
    services.actual_itinerary_save(delegation=case, actor=clerk, stops=as_approved(case))
    report = services.report_save(delegation=case, actor=clerk, data=report_data())
    services.report_attach(
        report=report,
        actor=clerk,
        uploaded=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    )
    return {"case": case, "report": report, "file": report.attachments.get(), "clerk": clerk}


def _user(role, unit, authority):
    if role in UNIT_SIDE:
        return UserFactory(role=role, unit=unit)
    return UserFactory(role=role, authority=authority)


ROLES = list(Role)


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_library_and_the_report(client, setting, unit, authority, role):
    client.force_login(_user(role, unit, authority))
    report = setting["report"]
    expected = 200 if role in LIBRARY_ROLES else 404
    assert client.get(reverse("reports:library")).status_code == expected
    # A draft is the unit's own business; the office reads it once submitted.
    draft = 200 if role in (Role.UNIT_CLERK, Role.UNIT_HEAD) else 404
    detail = reverse("reports:detail", args=[report.pk])
    file_url = reverse("reports:file", args=[report.pk, setting["file"].pk])
    assert client.get(detail).status_code == draft
    assert client.get(file_url).status_code == draft
    services.report_submit(report=report, actor=setting["clerk"])
    assert client.get(detail).status_code == expected
    assert client.get(file_url).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_the_units_clerk_writes_after_the_trip(client, setting, unit, authority, role):
    user = _user(role, unit, authority)
    client.force_login(user)
    case, report = setting["case"], setting["report"]
    clerk = role == Role.UNIT_CLERK
    for url in (
        reverse("reports:itinerary", args=[case.pk]),
        reverse("reports:edit", args=[case.pk]),
    ):
        assert client.get(url).status_code == (200 if clerk else 404)
    before = report.version
    response = client.post(reverse("reports:edit", args=[case.pk]), {"title": "改"})
    assert response.status_code in ((400,) if clerk else (404,))
    response = client.post(
        reverse("reports:attach", args=[report.pk]),
        {"file": SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == (302 if clerk else 404)
    report.refresh_from_db()
    assert report.version == before


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_reviewer_decides_a_submitted_report(
    client, setting, unit, authority, role, clerk
):
    report = services.report_submit(report=setting["report"], actor=clerk)
    client.force_login(_user(role, unit, authority))
    for action in ("accept", "send_back", "submit"):
        response = client.post(
            reverse("reports:action", args=[report.pk, action]),
            {"version": report.version, "reason": "补充"},
        )
        assert response.status_code < 500
        report.refresh_from_db()
        if role == Role.REVIEWER and action == "accept":
            assert report.state == ReportState.ACCEPTED
            return
        assert report.state == ReportState.SUBMITTED
        assert response.status_code in (400, 404, 409)
    assert role != Role.REVIEWER


@pytest.mark.parametrize("role", ROLES)
def test_only_the_passport_officer_records_border_stamps(client, setting, unit, authority, role):
    client.force_login(_user(role, unit, authority))
    case = setting["case"]
    response = client.post(
        reverse("reports:border_dates", args=[case.pk]),
        {"exit_date": case.departure_date, "entry_date": case.return_date},
    )
    assert response.status_code == (302 if role == Role.PASSPORT_OFFICER else 404)
    recorded = BorderDates.objects.filter(delegation=case).exists()
    assert recorded == (role == Role.PASSPORT_OFFICER)


def test_another_units_clerk_sees_neither_the_draft_nor_the_case(client, setting, authority):
    other = UserFactory(role=Role.UNIT_CLERK, unit=UnitFactory(authority=authority))
    client.force_login(other)
    report, case = setting["report"], setting["case"]
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:edit", args=[case.pk])).status_code == 404
    assert client.get(reverse("reports:itinerary", args=[case.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, setting):
    response = client.get(reverse("reports:library"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_ids_beyond_any_row_are_not_found(client, setting, staff):
    huge = 10**20
    report = setting["report"]
    client.force_login(setting["clerk"])
    for url in (
        f"/reports/{huge}/",
        f"/reports/{report.pk}/files/{huge}/",
        f"/reports/case/{huge}/itinerary/",
        f"/reports/case/{huge}/disclosure/before/",
    ):
        assert client.get(url).status_code == 404
    client.force_login(staff["supervisor"])
    assert client.post(f"/reports/cage/{huge}/explain/", {"note": "x"}).status_code == 404
