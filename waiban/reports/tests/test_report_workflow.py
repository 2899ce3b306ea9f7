"""The trip report: written by the unit's clerk by the template, submitted, sent back with a
reason or accepted by the office (which decides whether it is published), each move with its
history row, audit event and notices."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.notices.models import Notice
from waiban.reports import services
from waiban.reports.models import ReportEvent
from waiban.reports.rules import REPORT_DUE, report_due_date
from waiban.reports.states import ReportState
from waiban.reports.tests.conftest import SECTION, as_approved, report_data
from waiban.rules.models import RuleVersion
from waiban.testing.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(**over):
    data = report_data()
    form = {k: v for k, v in data.items() if k not in ("activities", "actual_cost")}
    form["internal_requested"] = ""
    form["activity_0"] = SECTION
    form["activity_1"] = SECTION
    form["actual_cost"] = "41000"
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def test_the_clerk_writes_submits_and_the_office_accepts_and_publishes(
    client, case, clerk, reviewer
):
    client.force_login(clerk)
    services.actual_itinerary_save(delegation=case, actor=clerk, stops=as_approved(case))
    response = client.post(reverse("reports:edit", args=[case.pk]), _form())
    assert response.status_code == 302
    report = case.trip_report
    assert report.state == ReportState.DRAFT and report.activities[1]["city"] == "巴黎"
    assert report.due_date == report_due_date(case)

    detail = reverse("reports:detail", args=[report.pk])
    page = client.get(detail).content.decode()
    assert 'data-action="submit"' in page
    client.post(reverse("reports:action", args=[report.pk, "submit"]), {"version": 1})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    deliver_outbox()
    assert Notice.objects.filter(recipient=reviewer, link=detail).exists()

    client.force_login(reviewer)
    page = client.get(detail).content.decode()
    assert 'data-action="accept"' in page and 'data-action="send_back"' in page
    client.post(
        reverse("reports:action", args=[report.pk, "accept"]),
        {"version": report.version, "publish": "on"},
    )
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.published
    assert list(ReportEvent.objects.filter(report=report).values_list("action", flat=True)) == [
        "create",
        "submit",
        "accept",
    ]
    assert AuditEvent.objects.filter(action="report.accept", object_id=str(report.pk)).exists()
    deliver_outbox()
    assert Notice.objects.filter(recipient=clerk, link=detail).exists()


def test_an_incomplete_report_cannot_be_submitted_and_says_what_is_missing(client, case, clerk):
    client.force_login(clerk)
    report = services.report_save(
        delegation=case, actor=clerk, data=report_data(results="太短", activities=[])
    )
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    for code in ("no_actual_itinerary", "section_too_short", "no_activities"):
        assert f'data-problem="{code}"' in page
    response = client.post(
        reverse("reports:action", args=[report.pk, "submit"]), {"version": report.version}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_the_office_sends_back_only_with_a_reason_and_the_clerk_fixes_it(
    client, case, clerk, reviewer
):
    services.actual_itinerary_save(delegation=case, actor=clerk, stops=as_approved(case))
    report = services.report_save(delegation=case, actor=clerk, data=report_data())
    services.report_submit(report=report, actor=clerk)
    client.force_login(reviewer)
    url = reverse("reports:action", args=[report.pk, "send_back"])
    response = client.post(url, {"version": 2, "reason": "  "})
    assert response.status_code == 400
    assert 'data-field-error="reason"' in response.content.decode()
    response = client.post(url, {"version": 2, "reason": "请补充成果"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SENT_BACK and report.send_back_reason == "请补充成果"

    client.force_login(clerk)
    page = client.get(reverse("reports:edit", args=[case.pk])).content.decode()
    assert "请补充成果" in page
    services.report_save(
        delegation=case, actor=clerk, data=report_data(results=SECTION * 2), expected_version=3
    )
    assert services.report_submit(report=report, actor=clerk).state == ReportState.SUBMITTED


def test_a_stale_version_is_refused_and_the_text_kept(client, case, clerk):
    report = services.report_save(delegation=case, actor=clerk, data=report_data())
    services.report_save(delegation=case, actor=clerk, data=report_data(follow_up="再议"))
    client.force_login(clerk)
    response = client.post(
        reverse("reports:edit", args=[case.pk]),
        _form(version=report.version, results="我的新文字" * 3),
    )
    assert response.status_code == 409
    assert "我的新文字" in response.content.decode()


def test_a_report_with_the_office_is_no_longer_editable(case, clerk, reviewer):
    services.actual_itinerary_save(delegation=case, actor=clerk, stops=as_approved(case))
    report = services.report_save(delegation=case, actor=clerk, data=report_data())
    services.report_submit(report=report, actor=clerk)
    with pytest.raises(StateConflict):
        services.report_save(delegation=case, actor=clerk, data=report_data())
    with pytest.raises(StateConflict):
        services.actual_itinerary_save(delegation=case, actor=clerk, stops=as_approved(case))
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, actor=clerk, publish=True)
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, actor=reviewer)


def test_attachments_are_checked_by_content(client, case, clerk):
    report = services.report_save(delegation=case, actor=clerk, data=report_data())
    client.force_login(clerk)
    url = reverse("reports:attach", args=[report.pk])
    good = SimpleUploadedFile("会谈纪要.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"file": good}).status_code == 302
    fake = SimpleUploadedFile("photo.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"file": fake})
    assert response.status_code == 400
    assert 'data-field-error="file"' in response.content.decode()
    empty = SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")
    assert client.post(url, {"file": empty}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert report.attachments.count() == 1
    row = report.attachments.get()
    download = client.get(reverse("reports:file", args=[report.pk, row.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_due_date_follows_the_report_due_rule_version(case, clerk, staff):
    default = report_due_date(case)
    RuleVersion.objects.create(
        rule=REPORT_DUE,
        severity="warn",
        params={"working_days": 5},
        source="某省外办 2024",
        effective_from=dt.date(2000, 1, 1),
        created_by=staff["reviewer"],
    )
    shorter = report_due_date(case)
    assert shorter < default
    report = services.report_save(delegation=case, actor=clerk, data=report_data())
    assert report.due_date == shorter


@pytest.mark.parametrize(
    "over",
    [
        {"title": ""},
        {"actual_cost": "-5"},
        {"actual_cost": "lots"},
        {"internal_requested": "on", "internal_reason": ""},
        {"purpose": "x" * 6000},
        {"version": "abc"},
    ],
)
def test_bad_report_input_is_refused_beside_the_field_never_a_server_error(
    client, case, clerk, over
):
    client.force_login(clerk)
    if "version" in over:
        services.report_save(delegation=case, actor=clerk, data=report_data())
    response = client.post(reverse("reports:edit", args=[case.pk]), _form(**over))
    assert response.status_code in (400, 409)


def test_a_bad_action_or_version_never_gives_a_server_error(client, case, clerk, reviewer):
    report = services.report_save(delegation=case, actor=clerk, data=report_data())
    client.force_login(clerk)
    assert client.post(reverse("reports:action", args=[report.pk, "explode"])).status_code == 404
    response = client.post(reverse("reports:action", args=[report.pk, "submit"]), {"version": "x"})
    assert response.status_code == 409
    client.force_login(reviewer)
    response = client.post(reverse("reports:action", args=[report.pk, "accept"]), {})
    assert response.status_code == 404  # a draft is not the office's to see, nor to accept


def test_submitting_needs_the_units_clerk(case, clerk, other_clerk):
    report = services.report_save(delegation=case, actor=clerk, data=report_data())
    with pytest.raises(ServiceError) as error:
        services.report_submit(report=report, actor=other_clerk)
    assert error.value.code == "not_found"
