"""The delegation pages as a clerk and the office staff use them, through the test client."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from waiban.core.models import AuditEvent
from waiban.testing.factories import DelegationFactory, PersonFactory
from waiban.visits.models import Delegation
from waiban.visits.states import State

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form_data(people, start, **overrides):
    data = {
        "title": "赴德国、法国经贸考察",
        "task_type": "business_talks",
        "purpose": "参加中德经贸合作论坛",
        "inviting_organisation": "德中经济联合会",
        "inviting_organisation_kind": "counterpart",
        "funding_source": "fiscal",
        "members-TOTAL_FORMS": str(len(people)),
        "members-INITIAL_FORMS": "0",
        "stops-TOTAL_FORMS": "2",
        "stops-INITIAL_FORMS": "0",
        "stops-0-country": "DE",
        "stops-0-city": "柏林",
        "stops-0-arrival_date": start.isoformat(),
        "stops-0-departure_date": (start + dt.timedelta(days=3)).isoformat(),
        "stops-1-country": "FR",
        "stops-1-city": "巴黎",
        "stops-1-arrival_date": (start + dt.timedelta(days=3)).isoformat(),
        "stops-1-departure_date": (start + dt.timedelta(days=6)).isoformat(),
        "budget-air_fare": "30000",
        "budget-lodging": "12000",
        "budget-meals": "3000",
        "budget-misc": "",
    }
    for i, person in enumerate(people):
        data[f"members-{i}-person"] = str(person.pk)
        data[f"members-{i}-role"] = "leader" if i == 0 else "member"
    data.update(overrides)
    return data


def test_a_clerk_creates_a_three_person_two_country_delegation_and_submits_it(
    client, clerk, unit, unit_head
):
    people = [PersonFactory(unit=unit) for _ in range(3)]
    start = timezone.localdate() + dt.timedelta(days=30)
    client.force_login(clerk)
    response = client.post(reverse("visits:create"), _form_data(people, start))
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.members.count() == 3 and delegation.leader == people[0]
    assert [s.country.code for s in delegation.stops.all()] == ["DE", "FR"]

    upload = SimpleUploadedFile("邀请函.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("visits:attachment_upload", args=[delegation.pk]),
        {"kind": "invitation", "file": upload},
    )
    assert response.status_code == 302

    # Not yet confirmed by the unit head: the submission is refused with the reason.
    response = client.post(
        reverse("visits:action", args=[delegation.pk, "submit"]), {"version": delegation.pk and 99}
    )
    assert response.status_code == 409
    delegation.refresh_from_db()
    response = client.post(
        reverse("visits:action", args=[delegation.pk, "submit"]), {"version": delegation.version}
    )
    assert response.status_code == 400
    assert "单位负责人" in response.content.decode() or "unit head" in response.content.decode()

    client.force_login(unit_head)
    client.post(
        reverse("visits:action", args=[delegation.pk, "commit"]), {"version": delegation.version}
    )
    delegation.refresh_from_db()
    assert delegation.committed_by == unit_head

    client.force_login(clerk)
    response = client.post(
        reverse("visits:action", args=[delegation.pk, "submit"]), {"version": delegation.version}
    )
    assert response.status_code == 302 and response.url == reverse(
        "visits:receipt", args=[delegation.pk]
    )
    delegation.refresh_from_db()
    receipt = client.get(response.url).content.decode()
    assert delegation.case_number in receipt and "<svg" in receipt
    assert AuditEvent.objects.filter(
        action="delegation.submit", object_id=str(delegation.pk)
    ).exists()


def test_an_itinerary_with_a_gap_is_refused_and_the_form_keeps_what_was_typed(client, clerk, unit):
    people = [PersonFactory(unit=unit)]
    start = timezone.localdate() + dt.timedelta(days=30)
    data = _form_data(
        people, start, **{"stops-1-arrival_date": (start + dt.timedelta(days=5)).isoformat()}
    )
    client.force_login(clerk)
    response = client.post(reverse("visits:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="stops"' in html
    assert "参加中德经贸合作论坛" in html and "德中经济联合会" in html
    assert not Delegation.objects.exists()


def test_a_renamed_file_is_refused_and_the_application_stays_as_it_was(client, clerk, unit):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    before = delegation.attachments.count()
    client.force_login(clerk)
    fake = SimpleUploadedFile(
        "invitation.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )
    response = client.post(
        reverse("visits:attachment_upload", args=[delegation.pk]),
        {"kind": "invitation", "file": fake},
    )
    assert response.status_code == 400
    assert 'data-field-error="file"' in response.content.decode()
    assert delegation.attachments.count() == before


def test_the_window_returns_with_two_items_and_the_clerk_sees_both_on_the_form(
    client, clerk, unit, staff
):
    delegation = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    client.force_login(staff["window_clerk"])
    response = client.post(
        reverse("visits:action", args=[delegation.pk, "send_back"]),
        {
            "version": delegation.version,
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-target": "invitation",
            "items-0-message": "邀请函缺少签字",
            "items-1-target": "budget",
            "items-1-message": "预算未列明住宿标准",
        },
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.state == State.SENT_BACK
    client.force_login(clerk)
    html = client.get(reverse("visits:edit", args=[delegation.pk])).content.decode()
    assert "邀请函缺少签字" in html and "预算未列明住宿标准" in html


def test_the_second_of_two_staff_acting_on_one_case_sees_a_clear_message_and_keeps_the_text(
    client, clerk, unit, staff
):
    delegation = DelegationFactory(unit=unit, created_by=clerk, under_review=True)
    seen_version = delegation.version
    other = type(staff["reviewer"]).objects.create(
        username="reviewer2", role="reviewer", authority=staff["reviewer"].authority
    )
    client.force_login(other)
    client.post(
        reverse("visits:action", args=[delegation.pk, "review"]),
        {"version": seen_version, "opinion": "同意"},
    )
    client.force_login(staff["reviewer"])
    response = client.post(
        reverse("visits:action", args=[delegation.pk, "review"]),
        {"version": seen_version, "opinion": "我写了很长的审核意见"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="action-error"' in html
    assert 'data-testid="kept-text"' in html and "我写了很长的审核意见" in html
    delegation.refresh_from_db()
    assert delegation.review_opinion == "同意"
