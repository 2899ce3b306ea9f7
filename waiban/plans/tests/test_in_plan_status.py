"""The in-plan evaluation the rules engine calls, and linking a delegation to the plan."""

import datetime as dt
from decimal import Decimal

import pytest

from waiban.accounts.roles import Role
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.models import AuditEvent
from waiban.plans import services
from waiban.plans.models import PlanUse
from waiban.plans.status import Totals, in_plan_status
from waiban.plans.tests.conftest import YEAR, item_data
from waiban.testing.factories import UserFactory
from waiban.visits.states import State

pytestmark = pytest.mark.django_db

# Factory delegations: 3 members (unless said), budget 30000 + 12000 + 4000 = 46000.
TRIP_BUDGET = Decimal("46000")


def _use(delegation, item, clerk):
    """Link a delegation already past the editable states, as it was linked before submitting."""
    return PlanUse.objects.create(
        delegation=delegation, plan=item.plan, plan_item=item, linked_by=clerk
    )


def test_a_unit_without_a_plan_gets_no_plan(trip):
    status = in_plan_status(delegation=trip())
    assert status.codes == ["no_plan"] and status.plan is None and status.year == YEAR


@pytest.mark.parametrize("state", ["draft", "submitted", "under_joint_review", "returned"])
def test_a_plan_not_yet_approved_gets_plan_not_approved(make_plan, trip, state):
    make_plan(state)
    status = in_plan_status(delegation=trip())
    assert status.codes == ["plan_not_approved"] and not status.plan_approved


def test_an_unlinked_trip_under_an_approved_plan_gets_not_linked(make_plan, trip):
    plan = make_plan()
    status = in_plan_status(delegation=trip())
    assert status.codes == ["not_linked"] and status.plan == plan and status.plan_approved


def test_a_linked_trip_with_room_left_is_in_plan(make_plan, trip, clerk):
    plan = make_plan(items=[item_data(trips=3, people=4, budget=Decimal("200000"))])
    item = plan.items.get()
    delegation = trip()
    use = services.plan_link(delegation=delegation, actor=clerk, plan_item=item)
    assert use.plan == plan and not use.out_of_plan
    status = in_plan_status(delegation=delegation)
    assert status.ok and status.item == item
    assert status.approved == Totals(3, 12, Decimal("200000"))
    assert status.used == Totals() and status.remaining == Totals(3, 12, Decimal("200000"))
    assert status.this_trip == Totals(1, 3, TRIP_BUDGET)
    audit = AuditEvent.objects.get(action="plan.link")
    assert audit.new_values["plan_item"] == item.pk and audit.object_id == str(delegation.pk)


def test_used_counts_submitted_trips_and_leaves_out_drafts_refused_and_withdrawn(
    make_plan, trip, clerk
):
    plan = make_plan(items=[item_data(trips=10, people=5, budget=Decimal("900000"))])
    item = plan.items.get()
    counted = [
        State.PRE_REVIEW,
        State.SENT_BACK,
        State.UNDER_REVIEW,
        State.PENDING_APPROVAL,
        State.APPROVED,
    ]
    for state in counted:
        _use(trip(state, members=2), item, clerk)
    for state in (State.DRAFT, State.REFUSED, State.WITHDRAWN):
        _use(trip(state, members=4), item, clerk)
    this = trip()
    services.plan_link(delegation=this, actor=clerk, plan_item=item)
    status = in_plan_status(delegation=this)
    assert status.used == Totals(5, 10, 5 * TRIP_BUDGET)
    assert status.remaining == Totals(5, 40, Decimal("900000") - 5 * TRIP_BUDGET)
    assert status.item_trips_used == 5 and status.ok


def test_a_trip_beyond_the_approved_trips_exhausts_the_quota(make_plan, trip, clerk):
    plan = make_plan(items=[item_data(trips=2, people=5, budget=Decimal("900000"))])
    item = plan.items.get()
    _use(trip(State.APPROVED), item, clerk)
    _use(trip(State.UNDER_REVIEW), item, clerk)
    this = trip()
    services.plan_link(delegation=this, actor=clerk, plan_item=item)
    status = in_plan_status(delegation=this)
    assert status.codes == ["quota_exhausted"]
    assert status.problems[0].params["exceeded"] == ["trips", "item_trips"]
    assert status.remaining.trips == 0


def test_people_and_budget_count_against_the_totals_too(make_plan, trip, clerk):
    plan = make_plan(items=[item_data(trips=3, people=2, budget=Decimal("100000"))])
    item = plan.items.get()
    _use(trip(State.APPROVED, members=2), item, clerk)
    this = trip(members=5)  # 2 + 5 > 6 person-trips; 46000 * 2 <= 100000
    services.plan_link(delegation=this, actor=clerk, plan_item=item)
    status = in_plan_status(delegation=this)
    assert status.problems[0].code == "quota_exhausted"
    assert status.problems[0].params["exceeded"] == ["people"]


def test_an_item_used_up_is_exhausted_even_with_room_in_the_unit_total(make_plan, trip, clerk):
    plan = make_plan(items=[item_data(trips=1), item_data(purpose="培训", trips=3)])
    first = plan.items.first()
    _use(trip(State.APPROVED), first, clerk)
    this = trip()
    services.plan_link(delegation=this, actor=clerk, plan_item=first)
    status = in_plan_status(delegation=this)
    assert status.problems[0].params["exceeded"] == ["item_trips"]


def test_a_swap_is_accepted_with_a_justification_and_an_item_to_give_up(make_plan, trip, clerk):
    plan = make_plan(items=[item_data(trips=2)])
    item = plan.items.get()
    this = trip()
    use = services.plan_link(
        delegation=this,
        actor=clerk,
        swapped_out_item=item,
        swap_justification="外方会议提前，原计划赴日访问取消",
    )
    assert use.out_of_plan and use.plan_item is None and use.plan == plan
    status = in_plan_status(delegation=this)
    assert status.ok and status.out_of_plan and status.swap_keeps_total is True
    assert status.swapped_out_item == item and status.item is None


def test_a_swap_without_justification_is_refused(make_plan, trip, clerk):
    plan = make_plan()
    this = trip()
    with pytest.raises(ServiceError) as error:
        services.plan_link(
            delegation=this, actor=clerk, swapped_out_item=plan.items.get(), swap_justification=" "
        )
    assert error.value.code == "swap_without_justification"
    assert not PlanUse.objects.exists()


def test_a_swap_of_an_item_already_used_up_is_refused(make_plan, trip, clerk):
    plan = make_plan(items=[item_data(trips=1), item_data(purpose="培训", trips=1)])
    first = plan.items.first()
    _use(trip(State.APPROVED), first, clerk)
    this = trip()
    with pytest.raises(ServiceError) as error:
        services.plan_link(
            delegation=this, actor=clerk, swapped_out_item=first, swap_justification="调整"
        )
    assert error.value.code == "swap_breaks_total"
    assert not PlanUse.objects.filter(delegation=this).exists()


def test_a_swap_that_later_breaks_the_total_is_reported(make_plan, trip, clerk):
    plan = make_plan(items=[item_data(trips=1)])
    item = plan.items.get()
    this = trip()
    services.plan_link(
        delegation=this, actor=clerk, swapped_out_item=item, swap_justification="调整"
    )
    _use(trip(State.UNDER_REVIEW), item, clerk)  # the planned trip went ahead after all
    status = in_plan_status(delegation=this)
    assert status.swap_keeps_total is False and status.codes == ["swap_breaks_total"]


def test_a_swap_recorded_without_justification_is_reported(make_plan, trip, clerk):
    plan = make_plan()
    this = trip()
    PlanUse.objects.create(
        delegation=this,
        plan=plan,
        out_of_plan=True,
        swapped_out_item=plan.items.get(),
        linked_by=clerk,
    )
    assert in_plan_status(delegation=this).codes == ["swap_without_justification"]


def test_a_swap_recorded_without_an_item_given_up_breaks_the_total(make_plan, trip, clerk):
    plan = make_plan()
    this = trip()
    PlanUse.objects.create(
        delegation=this, plan=plan, out_of_plan=True, swap_justification="调整", linked_by=clerk
    )
    status = in_plan_status(delegation=this)
    assert status.codes == ["swap_breaks_total"] and status.swap_keeps_total is False


def test_linking_is_for_the_clerk_while_the_case_is_editable(make_plan, trip, clerk, unit_head):
    plan = make_plan()
    item = plan.items.get()
    with pytest.raises(StateConflict) as error:
        services.plan_link(delegation=trip(State.UNDER_REVIEW), actor=clerk, plan_item=item)
    assert error.value.code == "delegation_not_editable"
    services.plan_link(delegation=trip(State.SENT_BACK), actor=clerk, plan_item=item)
    with pytest.raises(PermissionDenied):
        services.plan_link(delegation=trip(), actor=unit_head, plan_item=item)
    other_clerk = UserFactory(role=Role.UNIT_CLERK)
    with pytest.raises(PermissionDenied):
        services.plan_link(delegation=trip(), actor=other_clerk, plan_item=item)


def test_only_items_of_the_units_approved_plan_for_the_trips_year_can_be_linked(
    make_plan, trip, clerk
):
    this = trip()
    draft = make_plan("draft", year=YEAR + 1)
    with pytest.raises(ServiceError) as error:
        services.plan_link(delegation=this, actor=clerk, plan_item=draft.items.get())
    assert error.value.code == "plan_not_approved"
    plan = make_plan()
    this.departure_date = dt.date(YEAR + 1, 3, 1)
    this.save()
    with pytest.raises(ServiceError) as error:
        services.plan_link(delegation=this, actor=clerk, plan_item=plan.items.get())
    assert error.value.code == "wrong_year"
    other = trip()
    other.unit = UserFactory(role=Role.UNIT_CLERK).unit
    other.save()
    with pytest.raises(ServiceError) as error:
        services.plan_link(delegation=other, actor=clerk, plan_item=plan.items.get())
    # The clerk of another unit's case is refused before the item is even looked at.
    assert error.value.code in ("not_found", "foreign_item")


def test_an_item_and_a_swap_together_are_refused(make_plan, trip, clerk):
    item = make_plan().items.get()
    with pytest.raises(ServiceError) as error:
        services.plan_link(delegation=trip(), actor=clerk, plan_item=item, swapped_out_item=item)
    assert error.value.code == "ambiguous_link"


def test_linking_to_nothing_clears_the_link(make_plan, trip, clerk):
    item = make_plan().items.get()
    this = trip()
    services.plan_link(delegation=this, actor=clerk, plan_item=item)
    use = services.plan_link(delegation=this, actor=clerk)
    assert use.plan is None and use.plan_item is None and not use.out_of_plan
    assert in_plan_status(delegation=this).codes == ["not_linked"]
    assert AuditEvent.objects.filter(action="plan.link").count() == 2


def test_the_evaluation_takes_a_fixed_number_of_queries(
    make_plan, trip, clerk, django_assert_max_num_queries
):
    plan = make_plan(items=[item_data(trips=30, people=5, budget=Decimal("9000000"))])
    item = plan.items.get()
    for _ in range(12):
        _use(trip(State.APPROVED), item, clerk)
    this = trip()
    services.plan_link(delegation=this, actor=clerk, plan_item=item)
    with django_assert_max_num_queries(5):
        status = in_plan_status(delegation=this)
    assert status.used.trips == 12 and status.problems == []
