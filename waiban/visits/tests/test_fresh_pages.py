"""Every page shows the database as it is now: after a person, a unit, a user, a document or a
control-list entry changes, the next request of every page that shows it shows the new value
(an approver signs on what the case page shows). And anonymous pages store nothing per visit."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

from waiban.documents.services import documents_issue_after_approval, documents_revoke
from waiban.people.services import person_update
from waiban.portal.access import progress_path
from waiban.testing.factories import DelegationFactory, PersonFactory
from waiban.visits import workflow
from waiban.visits.models import DelegationMember
from waiban.watchlists.models import ScreeningHit
from waiban.watchlists.tests.helpers import import_list

pytestmark = pytest.mark.django_db


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def case(unit, clerk):
    return DelegationFactory(unit=unit, created_by=clerk, submitted=True, members=2)


def _pages_showing_members(case, clerk, staff):
    return [
        (clerk, reverse("visits:detail", args=[case.pk])),
        (staff["window_clerk"], reverse("visits:detail", args=[case.pk])),
    ]


def test_a_members_new_name_and_post_show_on_the_next_request_of_the_case_page(
    client, case, clerk, staff
):
    person = case.members.order_by("position").first().person
    for user, url in _pages_showing_members(case, clerk, staff):
        assert person.name_zh in _page(client, user, url)

    person_update(actor=clerk, person=person, data={"name_zh": "欧阳新名", "post": "新任处长"})

    for user, url in _pages_showing_members(case, clerk, staff):
        html = _page(client, user, url)
        assert "欧阳新名" in html and "新任处长" in html


def test_a_leaders_new_name_shows_on_the_next_request_of_both_lists(client, case, clerk, staff):
    lists = [(clerk, reverse("visits:list")), (staff["window_clerk"], reverse("visits:workbench"))]
    for user, url in lists:
        assert case.leader.name_zh in _page(client, user, url)

    person_update(actor=clerk, person=case.leader, data={"name_zh": "司马改名"})

    for user, url in lists:
        assert "司马改名" in _page(client, user, url)


def test_a_units_new_name_shows_on_the_next_request_of_every_page(client, case, clerk, staff):
    pages = [
        (clerk, reverse("visits:list")),
        (clerk, reverse("visits:detail", args=[case.pk])),
        (staff["window_clerk"], reverse("visits:workbench")),
        (staff["window_clerk"], reverse("visits:detail", args=[case.pk])),
    ]
    for user, url in pages:
        _page(client, user, url)

    case.unit.name = "更名后的单位名称"
    case.unit.save()

    for user, url in pages:
        assert "更名后的单位名称" in _page(client, user, url)
    # The workbench's unit filter too (its list of units is cached reference data).
    filters = _page(client, staff["window_clerk"], reverse("visits:workbench"))
    assert f'<option value="{case.unit.pk}">更名后的单位名称</option>' in filters


def test_a_users_new_name_shows_on_the_next_request_of_the_timeline(client, case, clerk, staff):
    window = staff["window_clerk"]
    workflow.delegation_accept(delegation=case, actor=window)
    url = reverse("visits:detail", args=[case.pk])
    assert str(window) in _page(client, clerk, url)

    window.full_name = "改名后的受理员"
    window.save()

    assert "改名后的受理员" in _page(client, clerk, url)


def test_a_revoked_document_shows_as_revoked_on_the_next_request(
    client, unit, clerk, staff, signing_keys
):
    case = DelegationFactory(unit=unit, created_by=clerk, approved=True, members=2)
    documents_issue_after_approval(delegation_id=case.pk, actor_id=staff["division_head"].pk)
    url = reverse("visits:detail", args=[case.pk])
    assert 'data-testid="revoked"' not in _page(client, clerk, url)

    documents_revoke(delegation=case, actor=staff["division_head"], reason="test")

    assert 'data-testid="revoked"' in _page(client, clerk, url)


def test_a_dropped_list_entry_shows_on_the_next_request_of_the_hits_panel(
    client, unit, clerk, staff
):
    person = PersonFactory(unit=unit, name_zh="张伟", birth_date=dt.date(1965, 5, 5))
    case = DelegationFactory(unit=unit, created_by=clerk, under_review=True, members=1)
    DelegationMember.objects.create(delegation=case, person=person, role="member", position=5)
    report = import_list(staff["reviewer"], [["張偉", "1965-05-05", "", "", ""]])
    hit = ScreeningHit.objects.get(delegation=case)
    url = reverse("visits:detail", args=[case.pk])
    assert "no longer on the list" not in _page(client, staff["reviewer"], url)

    import_list(
        staff["reviewer"],
        [["李四", "1970-01-01", "", "", ""]],
        control_list=report.list_import.control_list,
    )

    hit.entry.refresh_from_db()
    assert not hit.entry.is_active
    assert "no longer on the list" in _page(client, staff["reviewer"], url)


@pytest.mark.parametrize("url_name", ["home", "portal:progress", "documents:verify", "login"])
def test_anonymous_pages_store_nothing_per_visit(client, case, url_name, monkeypatch):
    url = reverse(url_name)
    if url_name == "portal:progress":
        url = progress_path(case.case_number)
    stored = []
    for name in ("add", "set", "set_many", "get_or_set"):
        original = getattr(cache, name)
        monkeypatch.setattr(cache, name, _recording(original, stored))
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert Session.objects.count() == 0
    # At most the reference tables that every page reads, never anything of the visit.
    # (The per-address counters of the rate limit hold no page and nothing of the visitor.)
    kept = {key for key in stored if not key.startswith("ratelimit:")}
    assert kept <= {"waiban:holiday-overrides"}, stored


def _recording(method, stored):
    def record(key, *args, **kwargs):
        stored.extend(key if isinstance(key, dict) else [key])
        return method(key, *args, **kwargs)

    return record
