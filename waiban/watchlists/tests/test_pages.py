import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from waiban.accounts.roles import ApproverPosition, Role
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.testing.factories import AuthorityFactory, DelegationFactory, PersonFactory, UserFactory
from waiban.visits.models import DelegationMember
from waiban.watchlists.models import ScreeningHit
from waiban.watchlists.services import screening_hit_decide
from waiban.watchlists.tests.helpers import csv_file, import_list

BIRTH = dt.date(1965, 5, 5)
LIST_NAME = "不准出境名单"
ENTRY_NOTE = "经侦通报2026-17号"


@pytest.fixture
def hit(staff, unit):
    person = PersonFactory(
        unit=unit, name_zh="张伟", surname_pinyin="ZHANG", given_name_pinyin="WEI", birth_date=BIRTH
    )
    delegation = DelegationFactory(unit=unit, members=1, under_review=True)
    DelegationMember.objects.create(delegation=delegation, person=person, role="member", position=5)
    import_list(staff["reviewer"], [["張偉", "1965-05-05", "", ENTRY_NOTE, ""]], name=LIST_NAME)
    return ScreeningHit.objects.get()


def _users(authority):
    users = {
        role: UserFactory(role=role, authority=authority)
        for role in Role.values
        if role not in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER)
    }
    users[Role.APPROVER].approver_position = ApproverPosition.DIVISION_HEAD
    for role in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER):
        users[role] = UserFactory(role=role)
    return users


LIST_PAGES = {Role.REVIEWER, Role.SUPERVISOR}
HIT_PAGES = {Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_role_gets_the_pages_it_may_see_and_a_404_for_the_others(
    client, authority, staff, hit, role
):
    user = _users(authority)[role]
    client.force_login(user)
    list_id = hit.entry.control_list_id
    pages = {
        reverse("watchlists:lists"): LIST_PAGES,
        reverse("watchlists:list_detail", args=[list_id]): LIST_PAGES,
        reverse("watchlists:import"): LIST_PAGES,
        reverse("watchlists:import_template"): LIST_PAGES,
        reverse("watchlists:hits"): HIT_PAGES,
    }
    for url, allowed in pages.items():
        expected = 200 if role in allowed else 404
        assert client.get(url).status_code == expected, url

    response = client.post(
        reverse("watchlists:hit_decide", args=[hit.pk]),
        {"decision": "cleared", "reason": "不同人"},
    )
    assert response.status_code == (302 if role in (Role.REVIEWER, Role.APPROVER) else 404)


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("watchlists:hits"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_another_offices_reviewer_gets_a_404_for_the_list_and_the_hit(client, hit):
    stranger = UserFactory(role=Role.REVIEWER, authority=AuthorityFactory())
    client.force_login(stranger)

    assert (
        client.get(reverse("watchlists:list_detail", args=[hit.entry.control_list_id])).status_code
        == 404
    )
    response = client.post(
        reverse("watchlists:hit_decide", args=[hit.pk]), {"decision": "cleared", "reason": "x"}
    )
    assert response.status_code == 404
    assert LIST_NAME not in client.get(reverse("watchlists:hits")).content.decode()


@pytest.mark.django_db
def test_a_reviewer_sees_the_new_hit_on_the_hits_page_with_its_count(client, staff, hit):
    client.force_login(staff["reviewer"])

    page = client.get(reverse("watchlists:hits")).content.decode()

    assert 'data-testid="open-hit-count">1<' in page
    assert LIST_NAME in page and "張偉" in page and hit.delegation.case_number in page


def _render(tag, user, delegation):
    request = RequestFactory().get(f"/delegations/{delegation.pk}/")
    request.user = user
    template = Template("{% load watchlists %}{% " + tag + " delegation %}")
    return template.render(Context({"request": request, "delegation": delegation}))


@pytest.mark.django_db
@pytest.mark.parametrize("tag", ["watchlist_case_notice", "watchlist_case_hits"])
def test_the_clerks_case_page_says_only_that_the_office_will_check_an_exact_match(clerk, hit, tag):
    # A possible name match is the reviewer's alone: the unit sees nothing of it.
    assert "office will check" not in _render(tag, clerk, hit.delegation)
    hit.severity = "block"  # an exact match: the unit may know the office will check
    hit.save()
    html = _render(tag, clerk, hit.delegation)

    assert "The office will check this application." in html
    for secret in (
        LIST_NAME,
        "張偉",
        ENTRY_NOTE,
        "Not allowed to exit",
        "不准出境",
        "张伟",
        "1965",
    ):
        assert secret not in html


@pytest.mark.django_db
def test_the_clerk_sees_nothing_once_the_hit_is_cleared(clerk, staff, hit):
    hit.severity = "block"
    hit.save()
    screening_hit_decide(hit=hit, actor=staff["reviewer"], decision="cleared", reason="不同人")

    assert "office will check" not in _render("watchlist_case_notice", clerk, hit.delegation)


@pytest.mark.django_db
def test_the_reviewers_case_page_shows_the_hit_the_entry_and_the_decision_form(staff, hit):
    html = _render("watchlist_case_hits", staff["reviewer"], hit.delegation)

    assert LIST_NAME in html and "張偉" in html and ENTRY_NOTE in html
    assert reverse("watchlists:hit_decide", args=[hit.pk]) in html
    supervisor_html = _render("watchlist_case_hits", staff["supervisor"], hit.delegation)
    assert LIST_NAME in supervisor_html and "hit_decide" not in supervisor_html
    assert reverse("watchlists:hit_decide", args=[hit.pk]) not in supervisor_html


@pytest.mark.django_db
def test_a_reviewer_decides_a_hit_and_the_decision_is_audited(client, staff, hit):
    client.force_login(staff["reviewer"])
    case_url = reverse("visits:detail", args=[hit.delegation_id])

    response = client.post(
        reverse("watchlists:hit_decide", args=[hit.pk]),
        {"decision": "cleared", "reason": "身份证号不同，非同一人", "next": case_url},
    )

    assert response.status_code == 302 and response["Location"] == case_url
    hit.refresh_from_db()
    assert (hit.status, hit.decided_by, hit.reason) == (
        "cleared",
        staff["reviewer"],
        "身份证号不同，非同一人",
    )
    event = AuditEvent.objects.get(action="watchlists.hit_decide")
    assert event.actor == staff["reviewer"]
    assert event.old_values == {"status": "open"}
    assert event.new_values == {"status": "cleared", "reason": "身份证号不同，非同一人"}


@pytest.mark.django_db
def test_a_decision_needs_a_reason_and_is_taken_only_once(staff, hit):
    with pytest.raises(ServiceError) as exc:
        screening_hit_decide(hit=hit, actor=staff["reviewer"], decision="cleared", reason=" ")
    assert exc.value.code == "hit_reason_required"

    screening_hit_decide(
        hit=hit, actor=staff["division_head"], decision="confirmed", reason="同一人"
    )
    with pytest.raises(StateConflict) as exc:
        screening_hit_decide(hit=hit, actor=staff["reviewer"], decision="cleared", reason="不同人")
    assert exc.value.code == "invalid_transition"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["window_clerk", "supervisor"])
def test_window_clerks_and_supervisors_cannot_decide_a_hit(staff, hit, who):
    with pytest.raises(PermissionDenied) as exc:
        screening_hit_decide(hit=hit, actor=staff[who], decision="cleared", reason="不同人")
    assert exc.value.code == "not_hit_decider"


@pytest.mark.django_db
def test_a_reviewer_imports_a_list_through_the_page_and_sees_the_report(client, staff):
    client.force_login(staff["reviewer"])
    file = csv_file([["张伟", "1965-05-05", "", "", ""], ["", "1970-01-01", "", "", ""]])

    response = client.post(
        reverse("watchlists:import"),
        {"control_list": "new", "kind": "fugitive", "name": "外逃", "file": file},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Nothing was imported" in page
        and "<td>3</td><td>姓名*</td><td>The name is missing.</td>" in page
    )

    file = csv_file([["张伟", "1965-05-05", "", "", ""]])
    response = client.post(
        reverse("watchlists:import"),
        {"control_list": "new", "kind": "fugitive", "name": "外逃", "file": file},
    )
    assert "外逃: version 1 imported." in response.content.decode()


@pytest.mark.django_db
def test_the_clerks_real_case_page_reveals_neither_the_list_nor_the_entry(client, clerk, hit):
    client.force_login(clerk)

    page = client.get(reverse("visits:detail", args=[hit.delegation_id])).content.decode()

    for secret in (LIST_NAME, "張偉", ENTRY_NOTE, "不准出境", "Control lists"):
        assert secret not in page


@pytest.mark.django_db
def test_a_decision_writes_a_history_row_with_the_audit_event(staff, hit):
    from waiban.watchlists.models import ScreeningHitEvent

    screening_hit_decide(hit=hit, actor=staff["reviewer"], decision="cleared", reason="非同一人")
    event = ScreeningHitEvent.objects.get(hit=hit)
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        staff["reviewer"],
        "open",
        "cleared",
        "非同一人",
    )
