"""A trip linked to a plan item must match the item's countries and period; a mismatch is a
swap the clerk justifies. No measure's code (trips, item_trips ...) reaches a message."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from waiban.plans import services
from waiban.plans.models import PlanUse
from waiban.plans.status import in_plan_status
from waiban.plans.tests.conftest import item_data
from waiban.rules.engine import render
from waiban.rules.models import Finding
from waiban.rules.services import delegation_evaluate
from waiban.testing.factories import DelegationFactory
from waiban.visits.states import State

pytestmark = pytest.mark.django_db


def _quarter(day):
    return (day.month - 1) // 3 + 1


@pytest.fixture
def draft(unit, clerk):
    """A draft of the unit to Germany and France, leaving in 40 days (factory itinerary)."""
    return DelegationFactory(unit=unit, created_by=clerk)


def _plan_for(make_plan, draft, **item):
    """An approved plan for the year the draft leaves in, with one item (``item`` overrides)."""
    data = item_data(quarter=_quarter(draft.departure_date), trips=2)
    data.update(item)
    return make_plan(year=draft.departure_date.year, items=[data])


def _in_plan(delegation):
    with translation.override("en"):
        return [
            (f.message_key, f.severity, f.message)
            for f in delegation_evaluate(delegation=delegation, on=timezone.localdate()).findings
            if f.code == "in-plan"
        ]


@pytest.mark.parametrize(
    "countries, quarter_shift, found",
    [
        (["DE", "FR"], 0, None),
        (["DE", "FR", "GB"], 0, None),  # the trip visits some of the item's countries
        (["DE"], 0, "item_mismatch_countries"),  # France is not in the item
        (["GB", "IT", "ES"], 0, "item_mismatch_countries"),
        (["DE", "FR"], 1, "item_mismatch_period"),
        (["GB", "IT", "ES"], 2, "item_mismatch_both"),
    ],
)
def test_the_item_must_match_the_trips_countries_and_quarter(
    make_plan, draft, clerk, countries, quarter_shift, found
):
    quarter = (_quarter(draft.departure_date) - 1 + quarter_shift) % 4 + 1
    plan = _plan_for(make_plan, draft, countries=countries, quarter=quarter)
    services.plan_link(delegation=draft, actor=clerk, plan_item=plan.items.get())
    findings = _in_plan(draft)
    assert [(key, severity) for key, severity, _ in findings] == (
        [(found, "warn")] if found else []
    )
    status = in_plan_status(delegation=draft)
    assert ("item_mismatch" in status.codes) == bool(found)


def test_a_mismatch_message_says_which_part_differs_by_name_not_code(make_plan, draft, clerk):
    other_quarter = _quarter(draft.departure_date) % 4 + 1
    plan = _plan_for(make_plan, draft, countries=["GB", "IT", "ES"], quarter=other_quarter)
    services.plan_link(delegation=draft, actor=clerk, plan_item=plan.items.get())
    [(key, severity, message)] = _in_plan(draft)
    assert key == "item_mismatch_both" and severity == "warn"
    assert "matches neither the countries nor the period" in message
    # the item's countries as the plan stores them (by code), named in the reader's language
    assert "Spain, United Kingdom, Italy" in message and "Germany, France" in message
    quarter_label = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}[other_quarter]
    assert f"{quarter_label} quarter {draft.departure_date.year}" in message
    assert f"leaves on {draft.departure_date.isoformat()}" in message
    assert "GB" not in message and "item_mismatch" not in message


def test_the_clerk_sees_the_mismatch_justifies_it_and_the_reviewer_reads_why(
    client, make_plan, draft, clerk, staff
):
    plan = _plan_for(make_plan, draft, countries=["GB", "IT", "ES"])
    item = plan.items.get()
    client.force_login(clerk)
    link = reverse("plans:link", args=[draft.pk])
    assert client.post(link, {"mode": "item", "plan_item": item.pk}).status_code == 302
    html = client.get(link).content.decode()
    assert 'data-problem="item_mismatch"' in html and "countries" in html

    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert 'data-finding="in-plan" data-severity="warn"' in html
    assert 'data-justify="in-plan:item"' in html

    submit = reverse("visits:action", args=[draft.pk, "submit"])
    draft.refresh_from_db()
    response = client.post(submit, {"version": draft.version})
    assert response.status_code == 400
    assert "does not match the countries of the plan item" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT

    why = "原计划赴英国的项目取消，以本次出访替换，总数不变。"
    response = client.post(submit, {"version": draft.version, "justify-in-plan:item": why})
    assert response.status_code == 302
    stored = Finding.objects.get(delegation=draft, rule="in-plan")
    assert stored.message_key == "item_mismatch_countries" and stored.justification == why
    assert stored.data["mismatch"] == ["countries"]

    client.force_login(staff["reviewer"])
    html = client.get(reverse("visits:detail", args=[draft.pk])).content.decode()
    assert "does not match the countries of the plan item" in html
    assert 'data-justification="in-plan:item"' in html and why in html


def test_a_full_item_is_named_in_words_in_the_message(make_plan, draft, clerk, unit):
    plan = _plan_for(make_plan, draft, trips=1, budget=Decimal("50000"))
    item = plan.items.get()
    earlier = DelegationFactory(unit=unit, submitted=True, departure_date=draft.departure_date)
    services.plan_link(delegation=draft, actor=clerk, plan_item=item)
    PlanUse.objects.create(delegation=earlier, plan=plan, plan_item=item, linked_by=clerk)
    [(key, severity, message)] = _in_plan(draft)
    assert key == "quota_exhausted" and severity == "warn"
    assert "it would exceed the approved trips, person-trips, budget, trips of the plan item" in (
        message
    )
    assert "item_trips" not in message and "people" not in message


@pytest.mark.parametrize(
    "exceeded, shown",
    [
        (
            ["trips", "people", "budget", "item_trips"],
            "trips, person-trips, budget, trips of the plan item",
        ),
        ("trips, item_trips", "trips, trips of the plan item"),  # stored as text before
    ],
)
def test_stored_measures_are_shown_as_words(exceeded, shown):
    with translation.override("en"):
        for key in ("quota_exhausted", "swap_breaks_total"):
            message = render(key, {"year": 2026, "exceeded": exceeded, "source": "教外厅"})
            assert f"the approved {shown} (教外厅)" in message
            assert "item_trips" not in message and "people" not in message


def test_a_swap_whose_item_has_no_trip_left_says_so_in_words(make_plan, draft, clerk, unit):
    plan = _plan_for(make_plan, draft, trips=1, budget=Decimal("900000"), people=9)
    item = plan.items.get()
    earlier = DelegationFactory(unit=unit, submitted=True)
    PlanUse.objects.create(delegation=earlier, plan=plan, plan_item=item, linked_by=clerk)
    # linking refuses such a swap outright; the status of one stored before names why
    PlanUse.objects.create(
        delegation=draft,
        plan=plan,
        out_of_plan=True,
        swapped_out_item=item,
        swap_justification="替换",
        linked_by=clerk,
    )
    status = in_plan_status(delegation=draft)
    assert status.codes == ["swap_breaks_total"]
    assert status.problems[0].params["exceeded"] == ["trips", "item_trips"]
    [(key, _severity, message)] = _in_plan(draft)
    assert "it would exceed the approved trips, trips of the plan item" in message


def test_a_trip_moved_to_the_next_year_after_linking_no_longer_matches_the_period(
    make_plan, draft, clerk
):
    plan = _plan_for(make_plan, draft)
    services.plan_link(delegation=draft, actor=clerk, plan_item=plan.items.get())
    assert _in_plan(draft) == []
    for stop in draft.stops.all():
        stop.arrival_date += dt.timedelta(days=364)
        stop.departure_date += dt.timedelta(days=364)
        stop.save()
    draft = type(draft).objects.get(pk=draft.pk)
    assert [key for key, _severity, _message in _in_plan(draft)] == ["item_mismatch_period"]
