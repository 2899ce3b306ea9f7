"""The change form, the change panel of the case page and its buttons, as users meet them."""

import datetime as dt

import pytest
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.changes import services
from waiban.changes.models import ChangeRequest
from waiban.changes.states import CHANGE_TRANSITIONS, ChangeState
from waiban.changes.tests.conftest import shifted, with_country
from waiban.documents import services as documents
from waiban.testing.factories import UnitFactory, UserFactory


def form_data(case, *, shift=0, reason="邀请方调整日程", extra_stop=None, post=None):
    """The change form as a browser posts it: the content in force, moved by ``shift`` days."""
    data = {"reason": reason}
    for key in ("title", "task_type", "purpose", "inviting_organisation"):
        data[key] = getattr(case, key)
    data["inviting_organisation_kind"] = case.inviting_organisation_kind
    data["funding_source"] = case.funding_source
    members = list(case.members.select_related("person"))
    data.update({"members-TOTAL_FORMS": len(members), "members-INITIAL_FORMS": len(members)})
    for i, m in enumerate(members):
        data[f"members-{i}-person"] = m.person_id
        data[f"members-{i}-role"] = m.role
        data[f"members-{i}-post"] = post if (post and i == 1) else m.person.post
    stops = list(case.stops.all())
    rows = [(s.country.code, s.city, s.arrival_date, s.departure_date) for s in stops] + (
        [extra_stop] if extra_stop else []
    )
    data.update({"stops-TOTAL_FORMS": len(rows), "stops-INITIAL_FORMS": len(stops)})
    delta = dt.timedelta(days=shift)
    for i, (country, city, arrive, leave) in enumerate(rows):
        data[f"stops-{i}-country"] = country
        data[f"stops-{i}-city"] = city
        data[f"stops-{i}-arrival_date"] = (arrive + delta).isoformat()
        data[f"stops-{i}-departure_date"] = (leave + delta).isoformat()
    for b in case.budget_lines.all():
        data[f"budget-{b.kind}"] = str(b.amount)
    return data


def test_the_clerk_proposes_a_change_from_the_case_page(client, clerk, approved_case):
    client.force_login(clerk)
    page = client.get(reverse("visits:detail", args=[approved_case.pk])).content.decode()
    assert 'data-testid="propose-change"' in page
    form = client.get(reverse("changes:new", args=[approved_case.pk]))
    assert form.status_code == 200
    assert approved_case.stops.first().city in form.content.decode()
    last = approved_case.stops.last()
    response = client.post(
        reverse("changes:new", args=[approved_case.pk]),
        form_data(
            approved_case,
            shift=3,
            extra_stop=("IT", "罗马", last.departure_date, last.departure_date),
        ),
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(delegation=approved_case)
    assert change.state == ChangeState.PROPOSED and change.is_material
    assert {c["field"] for c in change.changes} == {"dates", "countries"}
    page = client.get(reverse("visits:detail", args=[approved_case.pk])).content.decode()
    assert 'data-change-field="dates"' in page and 'data-class="material"' in page
    assert 'data-testid="versions"' in page and "data-changed" in page
    assert 'data-event="change_propose"' in page
    assert 'data-testid="propose-change"' not in page  # one open request at a time


@pytest.mark.parametrize(
    "change, field",
    [
        ({"reason": ""}, "reason"),
        ({"stops-0-arrival_date": "2026-13-45"}, "stops-0-arrival_date"),
        ({"members-0-person": "999999"}, "members-0-person"),
        ({"stops-TOTAL_FORMS": "x"}, None),
    ],
    ids=["no reason", "impossible date", "unknown person", "broken formset"],
)
def test_bad_input_keeps_what_was_typed_and_says_why(client, clerk, approved_case, change, field):
    client.force_login(clerk)
    data = {**form_data(approved_case, shift=3, reason="日程调整"), **change}
    response = client.post(reverse("changes:new", args=[approved_case.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    if field:
        assert f'id="id_{field}"' in html and "is-invalid" in html
    assert not ChangeRequest.objects.exists()


def test_a_proposal_that_changes_nothing_is_refused_beside_the_form(client, clerk, approved_case):
    client.force_login(clerk)
    response = client.post(
        reverse("changes:new", args=[approved_case.pk]), form_data(approved_case)
    )
    assert response.status_code == 400
    assert 'data-testid="change-form-error"' in response.content.decode()


def test_a_second_proposal_meets_a_clear_conflict(client, clerk, approved_case, current):
    services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="先提的", content=shifted(current, 1)
    )
    client.force_login(clerk)
    response = client.post(
        reverse("changes:new", args=[approved_case.pk]), form_data(approved_case, shift=5)
    )
    assert response.status_code == 409
    assert 'data-testid="change-form-error"' in response.content.decode()
    assert ChangeRequest.objects.count() == 1


def test_the_whole_change_through_the_pages(
    client, signing_keys, clerk, unit_head, staff, approved_case, current
):
    documents.documents_issue(delegation=approved_case)
    change = services.change_request_propose(
        delegation=approved_case,
        actor=clerk,
        reason="邀请方调整日程",
        content=with_country(shifted(current, 3), "IT", "罗马", days=0),
    )
    steps = [
        (unit_head, "confirm", ""),
        (staff["window_clerk"], "accept", ""),
        (staff["reviewer"], "review", "同意变更"),
        (staff["division_head"], "approve", "同意"),
    ]
    for user, action, text in steps:
        client.force_login(user)
        page = client.get(reverse("visits:detail", args=[approved_case.pk])).content.decode()
        assert f'data-change-action="{action}"' in page
        change.refresh_from_db()
        response = client.post(
            reverse("changes:action", args=[change.pk, action]),
            {"version": change.version, "opinion": text},
        )
        assert response.status_code == 302, (action, response.content.decode()[:2000])
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED
    page = client.get(reverse("visits:detail", args=[approved_case.pk])).content.decode()
    for action in ("propose", "confirm", "accept", "review", "approve"):
        assert f'data-event="change_{action}"' in page
    assert 'data-version="1"' in page and 'data-version="2"' in page
    assert 'data-testid="revocation-reason"' in page and "邀请方调整日程" in page


def test_a_review_without_an_opinion_keeps_the_page_and_says_why(
    client, clerk, unit_head, staff, approved_case, current
):
    change = services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="日程调整", content=shifted(current, 2)
    )
    services.change_request_confirm(change=change, actor=unit_head)
    services.change_request_accept(change=change, actor=staff["window_clerk"])
    change.refresh_from_db()
    client.force_login(staff["reviewer"])
    response = client.post(
        reverse("changes:action", args=[change.pk, "review"]),
        {"version": change.version, "opinion": ""},
    )
    assert response.status_code == 400
    assert 'data-field-error="opinion"' in response.content.decode()
    change.refresh_from_db()
    assert change.state == ChangeState.UNDER_REVIEW


def test_a_stale_version_is_a_conflict_not_an_error(
    client, clerk, unit_head, approved_case, current
):
    change = services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="日程调整", content=shifted(current, 2)
    )
    client.force_login(unit_head)
    response = client.post(
        reverse("changes:action", args=[change.pk, "confirm"]), {"version": "abc"}
    )
    assert response.status_code == 400  # not a number: the form refuses it
    response = client.post(
        reverse("changes:action", args=[change.pk, "confirm"]), {"version": change.version + 7}
    )
    assert response.status_code == 409
    assert 'data-testid="change-error"' in response.content.decode()


ROLES = [
    Role.UNIT_CLERK,
    Role.UNIT_HEAD,
    Role.WINDOW_CLERK,
    Role.REVIEWER,
    Role.APPROVER,
    Role.PASSPORT_OFFICER,
    Role.SUPERVISOR,
    Role.TRAVELLER,
    Role.SYS_ADMIN,
]


def _user(role, unit, authority, *, other_unit=False):
    if role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        home = UnitFactory(authority=authority) if other_unit else unit
        return UserFactory(role=role, unit=home)
    extra = {"approver_position": "division_head"} if role == Role.APPROVER else {}
    return UserFactory(role=role, authority=authority, **extra)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_units_clerk_opens_the_change_form(client, role, unit, authority, approved_case):
    client.force_login(_user(role, unit, authority))
    response = client.get(reverse("changes:new", args=[approved_case.pk]))
    assert response.status_code == (200 if role == Role.UNIT_CLERK else 404)


def test_a_clerk_of_another_unit_finds_no_change_form(client, unit, authority, approved_case):
    client.force_login(_user(Role.UNIT_CLERK, unit, authority, other_unit=True))
    response = client.get(reverse("changes:new", args=[approved_case.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_move_of_a_proposed_change(
    client, role, unit, authority, clerk, approved_case, current
):
    """Only the unit head confirms and the clerk withdraws a proposed change; everyone else is
    refused in words (or finds nothing), never with a server error."""
    client.force_login(_user(role, unit, authority))
    for action in [a for a in CHANGE_TRANSITIONS if a != "propose"]:
        change = services.change_request_propose(
            delegation=approved_case, actor=clerk, reason="日程调整", content=shifted(current, 2)
        )
        response = client.post(
            reverse("changes:action", args=[change.pk, action]),
            {"version": change.version, "opinion": "意见"},
        )
        allowed = (role, action) in {(Role.UNIT_HEAD, "confirm"), (Role.UNIT_CLERK, "withdraw")}
        assert response.status_code < 500
        change.refresh_from_db()
        if allowed:
            assert response.status_code == 302 and change.state != ChangeState.PROPOSED, action
        else:
            assert response.status_code in (400, 404, 409), action
            assert change.state == ChangeState.PROPOSED, action
        if change.is_open:
            ChangeRequest.objects.filter(pk=change.pk).update(state=ChangeState.WITHDRAWN)


def test_an_unknown_action_or_change_is_not_found(client, unit_head):
    client.force_login(unit_head)
    assert client.post(reverse("changes:action", args=[99999, "confirm"])).status_code == 404
    assert client.post(reverse("changes:action", args=[1, "propose"])).status_code == 404


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_replaced_invitation_letter_is_material_and_current_only_once_approved(
    client, clerk, unit_head, staff, approved_case
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    old_letter = approved_case.attachments.get(kind="invitation", is_current=True)
    client.force_login(clerk)
    data = form_data(approved_case, reason="邀请方重新出具邀请函")
    data["invitation"] = SimpleUploadedFile("新邀请函.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("changes:new", args=[approved_case.pk]), data)
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.is_material and [c["field"] for c in change.changes] == ["invitation_letter"]
    assert approved_case.attachments.get(is_current=True, kind="invitation") == old_letter
    services.change_request_confirm(change=change, actor=unit_head)
    services.change_request_accept(change=change, actor=staff["window_clerk"])
    services.change_request_review(change=change, actor=staff["reviewer"], opinion="同意")
    services.change_request_approve(change=change, actor=staff["division_head"])
    current = approved_case.attachments.get(is_current=True, kind="invitation")
    assert current.pk == change.invitation_id and current.original_name == "新邀请函.pdf"


def test_a_file_that_is_not_a_letter_is_refused_beside_its_field(client, clerk, approved_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(clerk)
    data = form_data(approved_case, reason="换邀请函")
    data["invitation"] = SimpleUploadedFile(
        "x.pdf", b"MZ not a pdf", content_type="application/pdf"
    )
    response = client.post(reverse("changes:new", args=[approved_case.pk]), data)
    assert response.status_code == 400
    assert 'data-field-error="invitation"' in response.content.decode()
    assert not ChangeRequest.objects.exists()


# Who may make which move of a material change once it reached the office.
OFFICE_MOVES = {
    ChangeState.SUBMITTED: {
        (Role.WINDOW_CLERK, "accept"),
        (Role.WINDOW_CLERK, "refuse"),
        (Role.UNIT_CLERK, "withdraw"),
    },
    ChangeState.UNDER_REVIEW: {
        (Role.REVIEWER, "review"),
        (Role.REVIEWER, "refuse"),
        (Role.UNIT_CLERK, "withdraw"),
    },
    ChangeState.PENDING_APPROVAL: {
        (Role.APPROVER, "approve"),
        (Role.APPROVER, "refuse"),
        (Role.UNIT_CLERK, "withdraw"),
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_move_at_the_office(
    client, role, unit, authority, clerk, approved_case, current
):
    from waiban.changes.models import ChangeApprovalStep

    client.force_login(_user(role, unit, authority))
    shift = 0
    for state, allowed_moves in OFFICE_MOVES.items():
        for action in [a for a in CHANGE_TRANSITIONS if a != "propose"]:
            shift += 1
            change = services.change_request_propose(
                delegation=approved_case,
                actor=clerk,
                reason="调整",
                content=shifted(current, shift),
            )
            ChangeRequest.objects.filter(pk=change.pk).update(state=state, approval_level=1)
            ChangeApprovalStep.objects.create(change=change, level=1, position="division_head")
            response = client.post(
                reverse("changes:action", args=[change.pk, action]),
                {"version": change.version, "opinion": "意见"},
            )
            assert response.status_code < 500, (state, action)
            change.refresh_from_db()
            if (role, action) in allowed_moves:
                assert response.status_code == 302 and change.state != state, (state, action)
            else:
                assert response.status_code in (400, 404, 409), (state, action)
                assert change.state == state, (state, action)
            if change.is_open:
                ChangeRequest.objects.filter(pk=change.pk).update(state=ChangeState.WITHDRAWN)


def test_the_database_refuses_a_second_open_request_however_it_is_written(
    approved_case, current, clerk
):
    from django.db import IntegrityError, transaction

    first = services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="调整", content=shifted(current, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeRequest.objects.create(
            delegation=approved_case,
            state=ChangeState.SUBMITTED,
            reason="同时提出",
            base_version=1,
            content=first.content,
            is_material=True,
            proposed_by=clerk,
        )


def test_the_admin_shows_change_requests_and_changes_nothing(
    admin_client, approved_case, current, clerk
):
    change = services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="调整", content=shifted(current, 1)
    )
    assert admin_client.get(reverse("admin:changes_changerequest_changelist")).status_code == 200
    url = reverse("admin:changes_changerequest_change", args=[change.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"state": "approved"})
    change.refresh_from_db()
    assert change.state == ChangeState.PROPOSED


def test_the_change_waits_in_the_list_and_the_todo_of_whoever_moves_next(
    client, clerk, unit_head, staff, approved_case, current
):
    change = services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="日程调整", content=shifted(current, 2)
    )
    client.force_login(unit_head)
    page = client.get(reverse("changes:list")).content.decode()
    waiting = page.split('data-testid="waiting"', 1)[1].split("</table>", 1)[0]
    assert f'data-change="{change.pk}"' in waiting
    services.change_request_confirm(change=change, actor=unit_head)
    page = client.get(reverse("changes:list")).content.decode()
    waiting = page.split('data-testid="waiting"', 1)[1].split("</table>", 1)[0]
    assert f'data-change="{change.pk}"' not in waiting
    client.force_login(staff["window_clerk"])
    page = client.get(reverse("changes:list")).content.decode()
    waiting = page.split('data-testid="waiting"', 1)[1].split("</table>", 1)[0]
    assert f'data-change="{change.pk}"' in waiting
    home = client.get(reverse("visits:workbench")).content.decode()
    assert f'href="{reverse("changes:list")}"' in home
    client.force_login(staff["reviewer"])
    page = client.get(reverse("changes:list")).content.decode()
    others = page.split('data-testid="others"', 1)[1].split("</table>", 1)[0]
    assert f'data-change="{change.pk}"' in others


@pytest.mark.parametrize("role", ROLES)
def test_every_role_and_the_change_list(client, role, unit, authority, clerk, approved_case):
    client.force_login(_user(role, unit, authority))
    response = client.get(reverse("changes:list"))
    seen = {
        Role.UNIT_CLERK,
        Role.UNIT_HEAD,
        Role.WINDOW_CLERK,
        Role.REVIEWER,
        Role.APPROVER,
        Role.SUPERVISOR,
    }
    assert response.status_code == (200 if role in seen else 404)


def test_a_clerk_of_another_unit_sees_none_of_its_changes(
    client, unit, authority, clerk, approved_case, current
):
    services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="日程调整", content=shifted(current, 2)
    )
    client.force_login(_user(Role.UNIT_CLERK, unit, authority, other_unit=True))
    assert "data-change=" not in client.get(reverse("changes:list")).content.decode()


def test_the_case_page_shows_the_post_as_approved_after_a_correction(
    client, clerk, unit_head, staff, approved_case, current
):
    import copy

    new = copy.deepcopy(current)
    new["members"][1]["post"] = "副处长（更正）"
    change = services.change_request_propose(
        delegation=approved_case, actor=clerk, reason="职务更正", content=new
    )
    services.change_request_confirm(change=change, actor=unit_head)
    services.change_request_record(change=change, actor=staff["window_clerk"])
    client.force_login(clerk)
    page = client.get(reverse("visits:detail", args=[approved_case.pk])).content.decode()
    assert "<td data-post>副处长（更正）</td>" in page
    assert 'data-event="change_record"' in page


def test_amounts_typed_without_decimals_are_no_change(client, clerk, approved_case):
    client.force_login(clerk)
    data = form_data(approved_case, shift=2)
    for b in approved_case.budget_lines.all():
        data[f"budget-{b.kind}"] = str(int(b.amount))
    response = client.post(reverse("changes:new", args=[approved_case.pk]), data)
    assert response.status_code == 302
    assert [c["field"] for c in ChangeRequest.objects.get().changes] == ["dates"]


def test_a_change_that_drops_every_stop_is_refused_in_words(client, clerk, approved_case):
    client.force_login(clerk)
    data = form_data(approved_case, shift=2)
    data["stops-TOTAL_FORMS"] = 0
    response = client.post(reverse("changes:new", args=[approved_case.pk]), data)
    assert response.status_code == 400
    assert 'data-testid="change-form-error"' in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_change_form_of_a_case_not_approved_sends_the_clerk_back(client, clerk, unit):
    from waiban.testing.factories import DelegationFactory

    case = DelegationFactory(unit=unit, created_by=clerk, under_review=True)
    client.force_login(clerk)
    response = client.get(reverse("changes:new", args=[case.pk]))
    assert response.status_code == 302 and response.url == reverse("visits:detail", args=[case.pk])
