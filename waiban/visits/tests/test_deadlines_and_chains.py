import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.accounts.roles import ApproverPosition
from waiban.core.calendar import WorkingCalendar
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.people.models import Rank
from waiban.testing.factories import DelegationFactory
from waiban.visits import workflow
from waiban.visits.deadlines import sla_colour
from waiban.visits.models import ApprovalChainStep, StageLimit
from waiban.visits.states import State

D = dt.date
CAL = WorkingCalendar(overrides={})


@pytest.mark.parametrize(
    "today, deadline, colour",
    [
        (D(2026, 11, 23), D(2026, 11, 26), "green"),  # 3 working days left
        (D(2026, 11, 23), D(2026, 11, 24), "amber"),  # 1 working day left
        (D(2026, 11, 24), D(2026, 11, 24), "amber"),  # due today
        (D(2026, 11, 20), D(2026, 11, 23), "amber"),  # Friday, due Monday: one working day
        (D(2026, 11, 25), D(2026, 11, 24), "red"),  # overdue
    ],
)
def test_cases_turn_amber_with_one_working_day_left_and_red_when_overdue(today, deadline, colour):
    assert (
        sla_colour(state=State.UNDER_REVIEW, deadline=deadline, today=today, calendar=CAL) == colour
    )


def test_a_closed_case_has_no_traffic_light():
    assert (
        sla_colour(
            state=State.APPROVED, deadline=D(2026, 1, 1), today=D(2026, 11, 23), calendar=CAL
        )
        == ""
    )


pytestmark = pytest.mark.django_db


def _bureau_case(unit, clerk):
    delegation = DelegationFactory(unit=unit, created_by=clerk, under_review=True)
    delegation.leader.rank = Rank.BUREAU_DEPUTY
    delegation.leader.save()
    return delegation


def test_a_bureau_level_leader_needs_the_division_head_then_the_office_leader(clerk, unit, staff):
    delegation = _bureau_case(unit, clerk)
    delegation = workflow.delegation_review(
        delegation=delegation, actor=staff["reviewer"], opinion="同意"
    )
    with pytest.raises(PermissionDenied) as exc:
        workflow.delegation_approve(delegation=delegation, actor=staff["office_leader"])
    assert exc.value.code == "wrong_level"
    delegation = workflow.delegation_approve(delegation=delegation, actor=staff["division_head"])
    assert delegation.state == State.PENDING_APPROVAL and delegation.approval_level == 2
    delegation = workflow.delegation_approve(delegation=delegation, actor=staff["office_leader"])
    assert delegation.state == State.APPROVED


def test_a_provincial_leader_is_reported_upward_with_the_outside_document_number(
    clerk, unit, staff
):
    delegation = DelegationFactory(unit=unit, created_by=clerk, under_review=True)
    delegation.leader.rank = Rank.PROVINCIAL_DEPUTY
    delegation.leader.save()
    delegation = workflow.delegation_review(
        delegation=delegation, actor=staff["reviewer"], opinion="同意"
    )
    delegation = workflow.delegation_approve(delegation=delegation, actor=staff["division_head"])
    delegation = workflow.delegation_approve(delegation=delegation, actor=staff["office_leader"])
    assert delegation.approval_level == 3
    with pytest.raises(ServiceError) as exc:
        workflow.delegation_approve(delegation=delegation, actor=staff["office_leader"])
    assert exc.value.code == "external_document_required"
    delegation = workflow.delegation_approve(
        delegation=delegation,
        actor=staff["office_leader"],
        external_document_number="桂政外〔2026〕12号",
    )
    assert delegation.state == State.APPROVED
    assert delegation.approval_steps.get(level=3).external_document_number == "桂政外〔2026〕12号"


def test_an_authoritys_own_chain_replaces_the_default(clerk, unit, staff, authority):
    for level, position in [
        (1, ApproverPosition.DIVISION_HEAD),
        (2, ApproverPosition.OFFICE_LEADER),
    ]:
        ApprovalChainStep.objects.create(
            authority=authority, rank_group="division_and_below", level=level, position=position
        )
    delegation = DelegationFactory(unit=unit, created_by=clerk, under_review=True)
    delegation = workflow.delegation_review(
        delegation=delegation, actor=staff["reviewer"], opinion="同意"
    )
    assert list(delegation.approval_steps.values_list("level", "position")) == [
        (1, "division_head"),
        (2, "office_leader"),
    ]


def test_each_state_gets_its_deadline_in_working_days_and_an_authority_can_change_it(
    clerk, unit, staff, authority
):
    StageLimit.objects.create(authority=authority, state=State.UNDER_REVIEW, working_days=5)
    delegation = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    delegation = workflow.delegation_accept(delegation=delegation, actor=staff["window_clerk"])
    today = timezone.localdate(delegation.state_entered_at)
    assert delegation.deadline == WorkingCalendar().add_working_days(today, 5)
    assert delegation.events.last().deadline == delegation.deadline


def test_the_workbench_shows_the_overdue_count_and_filters_by_country(client, clerk, unit, staff):
    late = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    late.deadline = D(2020, 1, 2)
    late.save()
    DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    client.force_login(staff["window_clerk"])
    html = client.get(reverse("visits:workbench")).content.decode()
    assert 'data-testid="overdue-total"' in html and 'data-sla="red"' in html
    overdue_only = client.get(reverse("visits:workbench") + "?overdue=1").context["page"]
    assert [d["pk"] for d in overdue_only.object_list] == [late.pk]
    japan = client.get(reverse("visits:workbench") + "?country=JP").context["page"]
    assert list(japan.object_list) == []
    germany = client.get(reverse("visits:workbench") + "?country=DE").context["page"]
    assert len(germany.object_list) == 2


def test_an_approver_queue_holds_only_cases_waiting_at_their_level(client, clerk, unit, staff):
    DelegationFactory(unit=unit, created_by=clerk, pending_approval=True)
    client.force_login(staff["office_leader"])
    assert len(client.get(reverse("visits:workbench")).context["page"].object_list) == 0
    client.force_login(staff["division_head"])
    assert len(client.get(reverse("visits:workbench")).context["page"].object_list) == 1
