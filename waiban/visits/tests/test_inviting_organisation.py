"""Who invites, through the clerk's form and case page: the kind is required, a refused kind
blocks, and a name that looks like an agency or a mission is a warning for the reviewer."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.rules.models import Finding
from waiban.testing.factories import DelegationFactory, PersonFactory
from waiban.visits.models import Delegation
from waiban.visits.states import State
from waiban.visits.tests.test_pages import _form_data

pytestmark = pytest.mark.django_db


def _submit(client, delegation, **justifications):
    delegation.refresh_from_db()
    data = {"version": delegation.version}
    data.update({f"justify-{key}": text for key, text in justifications.items()})
    return client.post(reverse("visits:action", args=[delegation.pk, "submit"]), data)


def test_the_form_asks_for_the_kind_beside_the_field_and_keeps_what_was_typed(client, clerk, unit):
    people = [PersonFactory(unit=unit)]
    start = timezone.localdate() + dt.timedelta(days=30)
    data = _form_data(people, start, inviting_organisation_kind="")
    client.force_login(clerk)
    response = client.post(reverse("visits:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field-error="inviting_organisation_kind"' in html
    assert "Choose what kind of organisation invites" in html
    assert "德中经济联合会" in html and "参加中德经贸合作论坛" in html
    assert not Delegation.objects.exists()

    data["inviting_organisation_kind"] = "not-a-kind"
    response = client.post(reverse("visits:create"), data)
    assert response.status_code == 200
    assert 'data-field-error="inviting_organisation_kind"' in response.content.decode()

    data["inviting_organisation_kind"] = "university"
    assert client.post(reverse("visits:create"), data).status_code == 302
    assert Delegation.objects.get().inviting_organisation_kind == "university"


def test_a_draft_saved_without_a_kind_cannot_be_submitted_until_it_is_given(client, clerk, unit):
    draft = DelegationFactory(unit=unit, created_by=clerk, inviting_organisation_kind="")
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert 'data-problem="inviting_organisation_kind"' in html
    response = _submit(client, draft)
    assert response.status_code == 400
    assert "Say what kind of organisation invites" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


@pytest.mark.parametrize("kind", ["agent", "foreign_mission", "individual"])
def test_an_invitation_from_a_refused_kind_blocks_the_submission(client, clerk, unit, kind):
    draft = DelegationFactory(unit=unit, created_by=clerk, inviting_organisation_kind=kind)
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert 'data-finding="invitation" data-severity="block"' in html
    response = _submit(client, draft, invitation="我们认为可以。")
    assert response.status_code == 400
    assert "it must come from a counterpart body" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and not Finding.objects.exists()


def test_a_consulate_entered_as_a_counterpart_body_needs_a_justification_the_reviewer_reads(
    client, clerk, unit, staff
):
    draft = DelegationFactory(
        unit=unit,
        created_by=clerk,
        inviting_organisation="德国驻广州总领事馆",
        inviting_organisation_kind="counterpart",
    )
    key = "invitation:foreign_mission"
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert 'data-finding="invitation" data-severity="warn"' in html
    assert f'data-justify="{key}"' in html
    assert "德国驻广州总领事馆 looks like a foreign mission in China" in html
    assert "总领事馆" in html

    response = _submit(client, draft)
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.state == State.DRAFT

    why = "邀请函由德国巴伐利亚州经济部出具，总领事馆仅转交。"
    assert _submit(client, draft, **{key: why}).status_code == 302
    stored = Finding.objects.get(delegation=draft, rule="invitation")
    assert stored.severity == "warn" and stored.justification == why
    assert stored.data == {
        "kind": "counterpart",
        "looks_like": "foreign_mission",
        "word": "总领事馆",
    }

    client.force_login(staff["reviewer"])
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert 'data-finding="invitation" data-severity="warn"' in html
    assert "德国驻广州总领事馆 looks like a foreign mission in China" in html
    assert f'data-justification="{key}"' in html and why in html
    assert 'data-testid="inviting-kind"' in html


def test_the_live_check_warns_while_the_clerk_types_a_travel_agencys_name(client, clerk, unit):
    people = [PersonFactory(unit=unit)]
    start = timezone.localdate() + dt.timedelta(days=30)
    data = _form_data(people, start, inviting_organisation="广西海外国际旅行社有限公司")
    data["inviting_organisation_kind"] = "company"
    client.force_login(clerk)
    findings = client.post(reverse("rules:live"), data).json()["findings"]
    [found] = [f for f in findings if f["code"] == "invitation"]
    assert found["severity"] == "warn" and found["key"] == "invitation:agent"
    assert "looks like a travel agency" in found["message"] and "旅行社" in found["message"]

    data["inviting_organisation_kind"] = "agent"
    findings = client.post(reverse("rules:live"), data).json()["findings"]
    assert [(f["code"], f["severity"]) for f in findings if f["code"] == "invitation"] == [
        ("invitation", "block")
    ]
