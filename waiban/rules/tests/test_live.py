"""The clerk sees findings while typing; the reviewer sees them with the clerk's justifications."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from waiban.rules.models import Finding
from waiban.testing.factories import PersonFactory
from waiban.visits.models import Delegation
from waiban.visits.states import State

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _stop(data, i, country, city, arrive, leave, **flags):
    data.update(
        {
            f"stops-{i}-country": country,
            f"stops-{i}-city": city,
            f"stops-{i}-arrival_date": arrive.isoformat(),
            f"stops-{i}-departure_date": leave.isoformat(),
        }
    )
    for name, value in flags.items():
        if value:
            data[f"stops-{i}-{name}"] = "on"


def _form(people, stops):
    data = {
        "title": "赴德国、荷兰、法国、意大利经贸考察",
        "task_type": "business_talks",
        "purpose": "经贸洽谈",
        "inviting_organisation": "德中经济联合会",
        "inviting_organisation_kind": "counterpart",
        "funding_source": "fiscal",
        "members-TOTAL_FORMS": str(len(people)),
        "members-INITIAL_FORMS": "0",
        "stops-TOTAL_FORMS": str(len(stops)),
        "stops-INITIAL_FORMS": "0",
        "budget-air_fare": "60000",
        "budget-lodging": "30000",
    }
    for i, person in enumerate(people):
        data[f"members-{i}-person"] = str(person.pk)
        data[f"members-{i}-role"] = "leader" if i == 0 else "member"
    for i, stop in enumerate(stops):
        _stop(data, i, *stop[:4], **(stop[4] if len(stop) > 4 else {}))
    return data


def _blocks(response):
    return sorted(f["code"] for f in response.json()["findings"] if f["severity"] == "block")


def test_a_clerk_fixes_three_block_findings_submits_and_the_reviewer_reads_the_justification(
    client, clerk, unit, unit_head, staff
):
    day = timezone.localdate() + dt.timedelta(days=45)
    d = [day + dt.timedelta(days=n) for n in range(12)]
    people = [PersonFactory(unit=unit) for _ in range(7)]
    for person in people[:2]:
        person.in_leadership_team = True
        person.save()
    too_much = [
        ("DE", "柏林", d[0], d[4]),
        ("NL", "阿姆斯特丹", d[4], d[4], {"is_transit": True}),
        ("FR", "巴黎", d[4], d[8]),
        ("IT", "罗马", d[8], d[11]),
    ]
    client.force_login(clerk)
    live = client.post(reverse("rules:live"), _form(people, too_much))
    assert live.status_code == 200
    assert _blocks(live) == ["country-count", "group-size", "stay-days"]
    messages = " ".join(f["message"] for f in live.json()["findings"])
    assert "7 people" in messages and "4 countries in 12 days" in messages

    fixed = [
        ("DE", "柏林", d[0], d[4]),
        ("NL", "阿姆斯特丹", d[4], d[4], {"is_transit": True, "is_airside": True}),
        ("FR", "巴黎", d[4], d[8]),
        ("IT", "罗马", d[8], d[9]),
    ]
    live = client.post(reverse("rules:live"), _form(people[:6], fixed))
    assert _blocks(live) == []
    assert [f["code"] for f in live.json()["findings"] if f["severity"] == "warn"] == [
        "same-leadership"
    ]

    response = client.post(reverse("visits:create"), _form(people[:6], fixed))
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    page = client.get(reverse("visits:edit", args=[delegation.pk]))
    assert 'id="rule-findings"' in page.content.decode()
    assert "leadership team of" in page.content.decode()
    client.post(
        reverse("visits:attachment_upload", args=[delegation.pk]),
        {"kind": "invitation", "file": SimpleUploadedFile("inv.pdf", PDF, "application/pdf")},
    )
    delegation.refresh_from_db()
    client.force_login(unit_head)
    committed = client.post(
        reverse("visits:action", args=[delegation.pk, "commit"]), {"version": delegation.version}
    )
    assert committed.status_code == 302
    delegation.refresh_from_db()

    client.force_login(clerk)
    detail = client.get(reverse("visits:detail", args=[delegation.pk])).content.decode()
    key = f"same-leadership:{unit.pk}"
    assert f'name="justify-{key}"' in detail and 'form="case-action-form"' in detail
    refused = client.post(
        reverse("visits:action", args=[delegation.pk, "submit"]),
        {"version": delegation.version, f"justify-{key}": ""},
    )
    assert refused.status_code == 400
    assert "Justify:" in refused.content.decode()
    submitted = client.post(
        reverse("visits:action", args=[delegation.pk, "submit"]),
        {"version": delegation.version, f"justify-{key}": "两位领导分管不同领域，均需出席。"},
    )
    assert submitted.status_code == 302
    delegation.refresh_from_db()
    assert delegation.state == State.PRE_REVIEW

    client.force_login(staff["reviewer"])
    case = client.get(reverse("visits:detail", args=[delegation.pk])).content.decode()
    assert "两位领导分管不同领域，均需出席。" in case
    assert "Default rule" in case and 'data-severity="warn"' in case
    assert Finding.objects.get(rule="same-leadership").justification


def test_the_live_check_is_for_clerks_and_needs_a_post(client, clerk, staff):
    assert client.post(reverse("rules:live")).status_code == 302  # to the login page
    client.force_login(staff["reviewer"])
    assert client.post(reverse("rules:live")).status_code == 404
    client.force_login(clerk)
    assert client.get(reverse("rules:live")).status_code == 405
    assert client.post(reverse("rules:live"), {"delegation": "x"}).status_code == 404


def test_a_nonexistent_country_is_refused_beside_its_field_and_the_form_keeps_the_text(
    client, clerk, unit
):
    people = [PersonFactory(unit=unit) for _ in range(2)]
    day = timezone.localdate() + dt.timedelta(days=45)
    data = _form(people, [("XX", "无名城", day, day + dt.timedelta(days=2))])
    client.force_login(clerk)
    response = client.post(reverse("visits:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="country"' in html and "无名城" in html
    assert not Delegation.objects.exists()


def test_business_days_beyond_the_stop_are_refused_beside_the_field(client, clerk, unit):
    people = [PersonFactory(unit=unit) for _ in range(2)]
    day = timezone.localdate() + dt.timedelta(days=45)
    data = _form(people, [("DE", "柏林", day, day + dt.timedelta(days=2))])
    data["stops-0-business_days"] = "4"
    client.force_login(clerk)
    response = client.post(reverse("visits:create"), data)
    assert 'data-field-error="business_days"' in response.content.decode()
    assert "More business days than the 3 days of this stop." in response.content.decode()


def test_the_live_check_of_a_saved_draft_judges_it_and_another_units_draft_is_a_404(
    client, clerk, unit
):
    from waiban.testing.factories import DelegationFactory

    draft = DelegationFactory(unit=unit, created_by=clerk)
    other = DelegationFactory()
    people = [PersonFactory(unit=unit) for _ in range(7)]
    day = timezone.localdate() + dt.timedelta(days=45)
    data = _form(people, [("DE", "柏林", day, day + dt.timedelta(days=3))])
    client.force_login(clerk)
    live = client.post(reverse("rules:live"), {**data, "delegation": str(draft.pk)})
    assert live.status_code == 200 and "group-size" in _blocks(live)
    assert (
        client.post(reverse("rules:live"), {**data, "delegation": str(other.pk)}).status_code == 404
    )
    huge = {**data, "delegation": "9" * 30}  # digits, but no id ever so large
    assert client.post(reverse("rules:live"), huge).status_code == 404
