"""Passport validity through the clerk's pages: a passport that expires before the return date
blocks the submission, one that expires within six months after it needs a justification."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from waiban.passports.tests.helpers import make_passport
from waiban.rules.models import Finding
from waiban.testing.factories import DelegationFactory
from waiban.visits.states import State

pytestmark = pytest.mark.django_db


def _submit(client, delegation, **justifications):
    delegation.refresh_from_db()
    data = {"version": delegation.version}
    data.update({f"justify-{key}": text for key, text in justifications.items()})
    return client.post(reverse("visits:action", args=[delegation.pk, "submit"]), data)


def _draft_with_passport(unit, clerk, *, days_after_return):
    draft = DelegationFactory(unit=unit, created_by=clerk)
    holder = draft.members.first().person
    make_passport(holder, expiry_date=draft.return_date + dt.timedelta(days=days_after_return))
    return draft, holder


def test_a_passport_expiring_before_the_return_blocks_and_the_clerk_is_told_why(
    client, clerk, unit
):
    draft, holder = _draft_with_passport(unit, clerk, days_after_return=-3)
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert 'data-finding="passport-validity" data-severity="block"' in html

    response = _submit(client, draft, **{f"passport-validity:{holder.pk}:official_ordinary": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    expiry = (draft.return_date - dt.timedelta(days=3)).isoformat()
    assert f"expires on {expiry}, before the return date {draft.return_date}" in html
    assert holder.name_zh in html
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and not Finding.objects.exists()


def test_a_passport_valid_less_than_six_months_after_the_return_needs_a_justification(
    client, clerk, unit, staff
):
    draft, holder = _draft_with_passport(unit, clerk, days_after_return=60)
    key = f"passport-validity:{holder.pk}:official_ordinary"
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert 'data-finding="passport-validity" data-severity="warn"' in html
    assert f'data-justify="{key}"' in html

    response = _submit(client, draft)
    assert response.status_code == 400
    assert "less than 6 months after the return date" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT

    response = _submit(client, draft, **{key: "护照换发已申请，出访前可领取。"})
    assert response.status_code == 302
    stored = Finding.objects.get(delegation=draft, rule="passport-validity")
    assert stored.severity == "warn" and stored.justification == "护照换发已申请，出访前可领取。"

    client.force_login(staff["reviewer"])
    with translation.override("en"):
        html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert f'data-justification="{key}"' in html
