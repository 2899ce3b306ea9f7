"""The rules engine's `in-plan` finding, fed by the plan status."""

import pytest
from django.utils import timezone

from waiban.plans import services
from waiban.rules.services import delegation_evaluate

pytestmark = pytest.mark.django_db


def _in_plan(delegation):
    findings = delegation_evaluate(delegation=delegation, on=timezone.localdate()).findings
    return [(f.message_key, f.severity) for f in findings if f.code == "in-plan"]


def test_a_unit_without_an_approved_plan_gets_an_information_only(trip):
    assert _in_plan(trip()) == [("no_plan", "info")]


def test_a_trip_outside_the_approved_plan_must_be_justified(make_plan, trip):
    make_plan()
    assert _in_plan(trip()) == [("not_linked", "warn")]


def test_a_trip_linked_to_an_item_of_the_approved_plan_passes(make_plan, trip, clerk):
    plan = make_plan()
    delegation = trip()
    services.plan_link(delegation=delegation, actor=clerk, plan_item=plan.items.first())
    assert _in_plan(delegation) == []
