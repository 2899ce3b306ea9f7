"""The case page is kept in the cache between changes: whatever changes, the next visit shows it,
and no viewer ever sees a page (or a form token) drawn for somebody else."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.demo.clock import clock_at
from waiban.documents import services as documents
from waiban.passports.production import production_requests_create
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.visits.models import DelegationMember
from waiban.watchlists.services import screening_hit_decide

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client, delegation) -> str:
    response = client.get(reverse("visits:detail", args=[delegation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _as(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_two_window_clerks_each_get_their_own_form_token_and_their_post_goes_through(
    staff, unit, authority
):
    case = DelegationFactory(unit=unit, submitted=True)
    first = _as(staff["window_clerk"])
    second = _as(UserFactory(role=Role.WINDOW_CLERK, authority=authority))
    first_tokens = set(TOKEN.findall(_page(first, case)))
    second_html = _page(second, case)  # drawn from what the first visit kept
    second_tokens = set(TOKEN.findall(second_html))
    assert "\x00" not in second_html
    assert first_tokens and second_tokens and not first_tokens & second_tokens

    response = second.post(
        reverse("visits:action", args=[case.pk, "accept"]),
        {"version": case.version, "opinion": "", "csrfmiddlewaretoken": second_tokens.pop()},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "under_review"


def test_a_transition_shows_on_the_next_visit_of_a_kept_page(client, staff, unit):
    case = DelegationFactory(unit=unit, submitted=True)
    client.force_login(staff["window_clerk"])
    assert 'data-state="pre_review"' in _page(client, case)
    client.post(reverse("visits:action", args=[case.pk, "accept"]), {"version": case.version})
    html = _page(client, case)
    assert 'data-state="under_review"' in html
    assert 'data-event="accept"' in html
    assert 'data-action-form="return"' not in html  # the window's buttons are gone


def test_the_id_numbers_a_clerk_sees_never_reach_an_office_viewer_and_back(
    client, clerk, staff, unit
):
    case = DelegationFactory(unit=unit, submitted=True, members=2)
    masked = case.members.first().person.id_number_masked
    for first, second in ((clerk, staff["window_clerk"]), (staff["window_clerk"], clerk)):
        client.force_login(first)
        first_html = _page(client, case)
        client.force_login(second)
        second_html = _page(client, case)
        clerk_html, office_html = (
            (first_html, second_html) if first == clerk else (second_html, first_html)
        )
        assert masked in clerk_html
        assert masked not in office_html


def test_documents_issued_after_the_approval_appear_on_a_kept_page(
    client,
    signing_keys,
    unit,
    clerk,
):
    case = DelegationFactory(unit=unit, approved=True)
    client.force_login(clerk)
    assert "The documents are being issued." in _page(client, case)
    documents.documents_issue(delegation=case)
    html = _page(client, case)
    assert 'data-document="approval"' in html and 'data-document="task_form"' in html


def test_a_revoked_document_is_marked_on_a_kept_page(client, signing_keys, unit, clerk):
    case = DelegationFactory(unit=unit, approved=True)
    documents.documents_issue(delegation=case)
    client.force_login(clerk)
    assert 'data-testid="revoked"' not in _page(client, case)
    documents.documents_revoke(delegation=case, actor=None, reason="行程取消")
    assert 'data-testid="revoked"' in _page(client, case)


def test_a_hit_decision_appears_on_the_reviewers_kept_page(client, staff, hit):
    client.force_login(staff["reviewer"])
    case = hit.delegation
    assert f'action="{reverse("watchlists:hit_decide", args=[hit.pk])}"' in _page(client, case)
    screening_hit_decide(hit=hit, actor=staff["reviewer"], decision="cleared", reason="非同一人")
    assert f'action="{reverse("watchlists:hit_decide", args=[hit.pk])}"' not in _page(client, case)


def test_production_requests_appear_on_the_clerks_kept_page(client, clerk, unit, authority):
    case = DelegationFactory(unit=unit, approved=True, members=1)
    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
    client.force_login(clerk)
    assert "Upload photo" not in _page(client, case)
    production_requests_create(delegation=case, actor=officer)
    assert "Upload photo" in _page(client, case)


def test_the_traffic_light_turns_red_when_the_day_passes_the_deadline(client, staff, unit):
    case = DelegationFactory(unit=unit, submitted=True)
    case.deadline = timezone.localdate() + dt.timedelta(days=7)
    case.save(update_fields=["deadline"])
    client.force_login(staff["window_clerk"])
    assert 'data-sla="green"' in _page(client, case)
    later = timezone.make_aware(
        dt.datetime.combine(case.deadline + dt.timedelta(days=1), dt.time(10))
    )
    with clock_at(later):
        assert 'data-sla="red"' in _page(client, case)


def test_a_failed_action_shows_its_error_and_the_typed_text_then_a_clean_page(client, staff, unit):
    case = DelegationFactory(unit=unit, submitted=True)
    client.force_login(staff["window_clerk"])
    _page(client, case)
    response = client.post(
        reverse("visits:action", args=[case.pk, "accept"]),
        {"version": case.version - 1, "opinion": "材料齐全"},
    )
    html = response.content.decode()
    assert 'data-testid="action-error"' in html and "材料齐全" in html
    clean = _page(client, case)
    assert 'data-testid="action-error"' not in clean and "材料齐全" not in clean


def test_a_draft_page_is_drawn_afresh_for_every_edit(client, clerk, unit):
    case = DelegationFactory(unit=unit, members=1)
    client.force_login(clerk)
    assert "data-member" in _page(client, case)
    person = case.members.get().person
    DelegationMember.objects.filter(delegation=case).delete()
    assert f'data-member="{person.name_zh}"' not in _page(client, case)


def test_the_next_viewer_of_another_role_at_the_same_office_never_gets_the_kept_buttons(
    client, staff, unit
):
    case = DelegationFactory(unit=unit, submitted=True)
    client.force_login(staff["window_clerk"])
    assert 'data-action-form="return"' in _page(client, case)
    for role in ("supervisor", "reviewer"):
        client.force_login(staff[role])
        html = _page(client, case)
        assert 'data-action-form="return"' not in html and 'data-testid="actions"' not in html
