"""The annual plan's transitions: draft, submit, joint review, approve totals or return."""

from decimal import Decimal

import pytest

from waiban.accounts.roles import ApproverPosition, Role
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.plans import services
from waiban.plans.models import AnnualPlan, PlanEvent, PlanOpinion
from waiban.plans.tests.conftest import YEAR, item_data
from waiban.testing.factories import AuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_clerk_drafts_and_submits_a_plan_with_history_and_audit(clerk):
    plan = services.plan_create(actor=clerk, year=YEAR)
    services.plan_item_save(plan=plan, actor=clerk, data=item_data(trips=2, people=3))
    services.plan_item_save(
        plan=plan, actor=clerk, data=item_data(trips=1, people=4, budget=Decimal("50000"))
    )
    plan = services.plan_submit(plan=plan, actor=clerk)
    assert plan.state == "submitted" and plan.round == 1 and plan.submitted_at
    assert services.planned_totals(plan) == {
        "trips": 3,
        "people": 10,
        "budget": Decimal("150000"),
    }
    assert [e.action for e in plan.events.all()] == ["create", "submit"]
    submit = AuditEvent.objects.get(action="plan.submit")
    assert submit.old_values["state"] == "draft" and submit.new_values["state"] == "submitted"
    assert submit.new_values["planned"]["trips"] == 3
    assert AuditEvent.objects.filter(action="plan.item_save").count() == 2


def test_a_unit_has_one_plan_a_year(clerk):
    services.plan_create(actor=clerk, year=YEAR)
    with pytest.raises(ServiceError) as error:
        services.plan_create(actor=clerk, year=YEAR)
    assert error.value.code == "plan_exists"


def test_only_the_unit_clerk_starts_a_plan(unit_head, staff):
    for actor in (unit_head, staff["reviewer"]):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=actor, year=YEAR)
    assert not AnnualPlan.objects.exists()


def test_an_empty_plan_cannot_be_submitted(clerk):
    plan = services.plan_create(actor=clerk, year=YEAR)
    with pytest.raises(ServiceError) as error:
        services.plan_submit(plan=plan, actor=clerk)
    assert error.value.code == "empty_plan"


def test_items_cannot_change_once_the_plan_is_submitted(make_plan, clerk):
    plan = make_plan("submitted")
    item = plan.items.get()
    with pytest.raises(StateConflict) as error:
        services.plan_item_save(plan=plan, actor=clerk, item=item, data=item_data(trips=5))
    assert error.value.code == "not_editable"
    with pytest.raises(StateConflict):
        services.plan_item_delete(item=item, actor=clerk)
    assert plan.items.get().trips == 2


def test_reviewer_and_supervisor_opinions_open_and_make_the_joint_review(make_plan, staff):
    plan = make_plan("submitted")
    services.plan_opinion_add(
        plan=plan, actor=staff["reviewer"], opinion="任务必要，同意", agrees=True
    )
    plan.refresh_from_db()
    assert plan.state == "under_joint_review"
    services.plan_opinion_add(
        plan=plan, actor=staff["supervisor"], opinion="经费偏高，不同意第二项", agrees=False
    )
    opinions = list(plan.opinions.values_list("role", "agrees", "round"))
    assert opinions == [("reviewer", True, 1), ("supervisor", False, 1)]
    assert AuditEvent.objects.filter(action="plan.opinion").count() == 2
    assert [e.action for e in plan.events.all()][-2:] == ["opinion", "opinion"]


def test_an_opinion_needs_text(make_plan, staff):
    plan = make_plan("submitted")
    with pytest.raises(ServiceError) as error:
        services.plan_opinion_add(plan=plan, actor=staff["supervisor"], opinion="  ", agrees=True)
    assert error.value.code == "opinion_required"


def test_approval_waits_for_both_the_office_and_the_supervisors(make_plan, staff):
    plan = make_plan("submitted")
    services.plan_opinion_add(plan=plan, actor=staff["reviewer"], opinion="同意", agrees=True)
    with pytest.raises(ServiceError) as error:
        services.plan_approve(
            plan=plan, actor=staff["division_head"], trips=2, people=6, budget=100000
        )
    assert error.value.code == "joint_review_incomplete"
    services.plan_opinion_add(plan=plan, actor=staff["supervisor"], opinion="同意", agrees=True)
    plan = services.plan_approve(
        plan=plan, actor=staff["division_head"], trips=2, people=6, budget=100000
    )
    assert plan.state == "approved"


@pytest.mark.parametrize("position", ["division_head", "office_leader"])
def test_an_approver_of_either_position_approves_the_units_totals(make_plan, staff, position):
    plan = make_plan("under_joint_review")
    plan = services.plan_approve(
        plan=plan, actor=staff[position], trips=1, people=4, budget="80000.50", comment="压缩一次"
    )
    plan.refresh_from_db()
    assert (plan.approved_trips, plan.approved_people, plan.approved_budget) == (
        1,
        4,
        Decimal("80000.50"),
    )
    assert plan.approved_by == staff[position] and plan.approved_at
    audit = AuditEvent.objects.get(action="plan.approve")
    assert audit.new_values["trips"] == 1 and audit.new_values["budget"] == "80000.50"


def test_approved_totals_cannot_exceed_what_the_unit_planned(make_plan, staff):
    plan = make_plan("under_joint_review")  # 2 trips of 3 people, 100000
    for totals in (
        {"trips": 3, "people": 6, "budget": 100000},
        {"trips": 2, "people": 7, "budget": 100000},
        {"trips": 2, "people": 6, "budget": 100001},
    ):
        with pytest.raises(ServiceError) as error:
            services.plan_approve(plan=plan, actor=staff["division_head"], **totals)
        assert error.value.code == "totals_exceed_plan"
    with pytest.raises(ServiceError) as error:
        services.plan_approve(plan=plan, actor=staff["division_head"], trips=0, people=6, budget=1)
    assert error.value.code == "invalid_totals"
    plan.refresh_from_db()
    assert plan.state == "under_joint_review"


def test_a_returned_plan_carries_the_reasons_and_goes_round_again(make_plan, clerk, staff):
    plan = make_plan("under_joint_review")
    with pytest.raises(ServiceError) as error:
        services.plan_return(plan=plan, actor=staff["office_leader"], reason=" ")
    assert error.value.code == "reason_required"
    plan = services.plan_return(plan=plan, actor=staff["office_leader"], reason="第二项经费偏高")
    assert plan.state == "returned" and plan.return_reason == "第二项经费偏高"
    # The clerk fixes the items and submits again: a new round of the joint review.
    services.plan_item_save(plan=plan, actor=clerk, item=plan.items.get(), data=item_data(trips=1))
    plan = services.plan_submit(plan=plan, actor=clerk)
    assert plan.state == "submitted" and plan.round == 2
    # Last round's opinions do not count for this one.
    services.plan_opinion_add(plan=plan, actor=staff["reviewer"], opinion="同意", agrees=True)
    with pytest.raises(ServiceError) as error:
        services.plan_approve(plan=plan, actor=staff["division_head"], trips=1, people=3, budget=1)
    assert error.value.code == "joint_review_incomplete"
    assert [e.action for e in plan.events.all()] == [
        "create",
        "submit",
        "opinion",
        "opinion",
        "return",
        "submit",
        "opinion",
    ]


def test_the_office_may_return_a_plan_before_any_opinion(make_plan, staff):
    plan = make_plan("submitted")
    plan = services.plan_return(plan=plan, actor=staff["division_head"], reason="缺少预算说明")
    assert plan.state == "returned"


FORBIDDEN_MOVES = [
    ("submit", "submitted"),
    ("submit", "under_joint_review"),
    ("submit", "approved"),
    ("opinion", "returned"),
    ("opinion", "approved"),
    ("approve", "submitted"),
    ("approve", "returned"),
    ("approve", "approved"),
    ("return", "returned"),
    ("return", "approved"),
]


def _do(action, plan, clerk, staff):
    if action == "submit":
        return services.plan_submit(plan=plan, actor=clerk)
    if action == "opinion":
        return services.plan_opinion_add(plan=plan, actor=staff["reviewer"], opinion="x", agrees=1)
    if action == "approve":
        return services.plan_approve(
            plan=plan, actor=staff["division_head"], trips=1, people=1, budget=1
        )
    return services.plan_return(plan=plan, actor=staff["division_head"], reason="x")


@pytest.mark.parametrize("action, state", FORBIDDEN_MOVES)
def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    make_plan, clerk, staff, action, state
):
    plan = make_plan(state)
    before = (plan.state, plan.version, PlanEvent.objects.count())
    with pytest.raises(StateConflict) as error:
        _do(action, plan, clerk, staff)
    assert error.value.code == "invalid_transition"
    plan.refresh_from_db()
    assert (plan.state, plan.version, PlanEvent.objects.count()) == before


def test_a_draft_is_invisible_to_the_office(make_plan, staff):
    plan = make_plan("draft")
    with pytest.raises(PermissionDenied) as error:
        services.plan_opinion_add(plan=plan, actor=staff["reviewer"], opinion="x", agrees=True)
    assert error.value.code == "not_found"
    with pytest.raises(PermissionDenied) as error:
        services.plan_return(plan=plan, actor=staff["division_head"], reason="x")
    assert error.value.code == "not_found"


WRONG_ROLES = {
    "submit": ["unit_head"],
    "opinion": ["clerk", "unit_head", "division_head"],
    "approve": ["clerk", "unit_head", "reviewer", "supervisor"],
    "return": ["clerk", "unit_head", "reviewer", "supervisor"],
}


@pytest.mark.parametrize("action, who", [(a, w) for a, roles in WRONG_ROLES.items() for w in roles])
def test_each_transition_belongs_to_its_roles(make_plan, clerk, unit_head, staff, action, who):
    state = {"submit": "draft", "opinion": "submitted"}.get(action, "under_joint_review")
    plan = make_plan(state)
    actor = {"clerk": clerk, "unit_head": unit_head, **staff}[who]
    with pytest.raises(PermissionDenied) as error:
        if action == "submit":
            services.plan_submit(plan=plan, actor=actor)
        elif action == "opinion":
            services.plan_opinion_add(plan=plan, actor=actor, opinion="x", agrees=True)
        elif action == "approve":
            services.plan_approve(plan=plan, actor=actor, trips=1, people=1, budget=1)
        else:
            services.plan_return(plan=plan, actor=actor, reason="x")
    assert error.value.code == "wrong_role"


@pytest.mark.parametrize("role", [Role.WINDOW_CLERK, Role.PASSPORT_OFFICER, Role.VISA_OFFICER])
def test_other_office_roles_do_not_see_plans(make_plan, authority, role):
    plan = make_plan("submitted")
    actor = UserFactory(role=role, authority=authority)
    with pytest.raises(PermissionDenied) as error:
        services.plan_opinion_add(plan=plan, actor=actor, opinion="x", agrees=True)
    assert error.value.code == "not_found"


def test_another_offices_staff_cannot_touch_the_plan(make_plan):
    plan = make_plan("under_joint_review")
    outsider = UserFactory(
        role=Role.APPROVER,
        authority=AuthorityFactory(),
        approver_position=ApproverPosition.DIVISION_HEAD,
    )
    with pytest.raises(PermissionDenied) as error:
        services.plan_approve(plan=plan, actor=outsider, trips=1, people=1, budget=1)
    assert error.value.code == "not_found"


def test_a_stale_version_is_refused(make_plan, staff):
    plan = make_plan("submitted")
    seen = plan.version
    services.plan_opinion_add(plan=plan, actor=staff["reviewer"], opinion="同意", agrees=True)
    with pytest.raises(StateConflict) as error:
        services.plan_return(
            plan=plan, actor=staff["division_head"], reason="x", expected_version=seen
        )
    assert error.value.code == "stale_version"


def test_history_and_opinions_are_append_only(make_plan):
    plan = make_plan("under_joint_review")
    with pytest.raises(TypeError):
        PlanEvent.objects.filter(plan=plan).update(comment="x")
    opinion = PlanOpinion.objects.first()
    opinion.opinion = "改写"
    with pytest.raises(TypeError):
        opinion.save()
    with pytest.raises(TypeError):
        opinion.delete()


def test_demo_plans_are_approved_through_the_services_and_link_the_units_trips(
    clerk, staff, unit, trip
):
    from waiban.plans.demo import create_demo_plans
    from waiban.plans.status import in_plan_status
    from waiban.visits.states import State

    cases = [trip(State.APPROVED), trip(State.UNDER_REVIEW), trip()]
    assert create_demo_plans(year=YEAR) == 1
    plan = AnnualPlan.objects.get(unit=unit, year=YEAR)
    assert plan.state == "approved" and plan.opinions.count() == 2
    assert [e.action for e in plan.events.all()][-1] == "approve"
    assert all(in_plan_status(delegation=c).item is not None for c in cases)
    # the items are drawn up for the trips: each matches its item's countries and quarter
    assert not any("item_mismatch" in in_plan_status(delegation=c).codes for c in cases)
    assert create_demo_plans(year=YEAR) == 0  # a second call leaves existing plans alone
