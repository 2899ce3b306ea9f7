"""Control lists at submission: an exact match stops the clerk without saying why; a possible
name match lets the case go on and waits for the reviewer's decision."""

import pytest
from django.urls import reverse

from waiban.core.errors import ServiceError
from waiban.testing.factories import DelegationFactory
from waiban.visits import workflow
from waiban.watchlists.models import ScreeningHit
from waiban.watchlists.tests.helpers import import_list

pytestmark = pytest.mark.django_db


def test_a_traveller_on_a_list_by_id_number_blocks_the_submission_and_the_clerk_is_not_told_which_list(
    client, clerk, unit, staff
):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    member = delegation.members.first().person
    import_list(staff["reviewer"], [("某某", "", member.id_number, "", "")], name="外逃人员名单")
    with pytest.raises(ServiceError) as exc:
        workflow.delegation_submit(delegation=delegation, actor=clerk)
    assert exc.value.code == "rule_blocked"
    messages = " ".join(p["message"] for p in exc.value.params["problems"])
    assert "The office will check this application" in messages
    assert member.name_zh not in messages and "外逃" not in messages
    client.force_login(clerk)
    html = client.get(reverse("visits:detail", args=[delegation.pk])).content.decode()
    assert "外逃人员名单" not in html


def test_a_name_written_in_traditional_characters_with_the_same_birth_date_goes_to_the_reviewer(
    client, clerk, unit, staff
):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    member = delegation.members.first().person
    member.name_zh = "张伟"
    member.save()
    import_list(staff["reviewer"], [("張偉", member.birth_date.isoformat(), "", "", "")])
    delegation = workflow.delegation_submit(delegation=delegation, actor=clerk)
    hit = ScreeningHit.objects.get(delegation=delegation, person=member)
    assert hit.kind == "fuzzy" and hit.status == "open"

    client.force_login(staff["reviewer"])
    assert (
        "不准出境名单"
        in client.get(reverse("visits:detail", args=[delegation.pk])).content.decode()
    )
    client.force_login(clerk)
    clerk_html = client.get(reverse("visits:detail", args=[delegation.pk])).content.decode()
    assert "不准出境名单" not in clerk_html
    # A possible name match is the reviewer's alone: nothing of it on the clerk's page.
    assert 'data-testid="watchlist-notice"' not in clerk_html
    assert "office will check" not in clerk_html


def test_a_submission_stopped_by_an_exact_match_tells_the_office_and_goes_on_once_cleared(
    client, clerk, unit, staff
):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    member = delegation.members.first().person
    import_list(staff["reviewer"], [("某某", "", member.id_number, "", "")], name="外逃人员名单")

    with pytest.raises(ServiceError):
        workflow.delegation_submit(delegation=delegation, actor=clerk)

    # The refused draft is not stuck with nobody told: the reviewer sees the hit in the queue.
    hit = ScreeningHit.objects.get(delegation=delegation, person=member)
    assert hit.status == ScreeningHit.Status.OPEN and hit.severity == "block"
    client.force_login(staff["reviewer"])
    assert f'data-hit="{hit.pk}"' in client.get(reverse("watchlists:hits")).content.decode()

    response = client.post(
        reverse("watchlists:hit_decide", args=[hit.pk]),
        {"decision": "cleared", "reason": "同名同号误录"},
    )
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.status == "cleared"
    delegation = workflow.delegation_submit(delegation=delegation, actor=clerk)
    assert delegation.state == "pre_review"
    assert ScreeningHit.objects.filter(delegation=delegation).count() == 1
