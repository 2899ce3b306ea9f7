"""The live panel finds what the submission will find: the unit's overdue passports, the
members' passports and the annual plan show while the clerk types, not only once saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.passports.loans import passport_lend
from waiban.passports.tests.helpers import make_passport
from waiban.plans import services as plans
from waiban.rules.selectors import draft_findings
from waiban.rules.tests.test_live import _form
from waiban.testing.factories import DelegationFactory, PersonFactory, UserFactory
from waiban.visits.models import Delegation

pytestmark = pytest.mark.django_db

DEPARTURE = timezone.localdate() + dt.timedelta(days=45)


def _itinerary():
    d = DEPARTURE
    return [
        ("DE", "柏林", d, d + dt.timedelta(days=2)),
        ("FR", "巴黎", d + dt.timedelta(days=2), d + dt.timedelta(days=4)),
    ]


def _approved_plan(clerk, staff, *, people):
    """The unit's approved plan for the trip's year: one item, ``people`` person-trips in all."""
    plan = plans.plan_create(actor=clerk, year=DEPARTURE.year)
    item = plans.plan_item_save(
        plan=plan,
        actor=clerk,
        data={
            "purpose": "经贸合作洽谈",
            "countries": ["DE", "FR"],
            "people": people,
            "trips": 1,
            "budget": Decimal("100000"),
            "quarter": (DEPARTURE.month - 1) // 3 + 1,  # the item matches the trip
        },
    )
    plan = plans.plan_submit(plan=plan, actor=clerk)
    plans.plan_opinion_add(plan=plan, actor=staff["reviewer"], opinion="同意", agrees=True)
    plans.plan_opinion_add(plan=plan, actor=staff["supervisor"], opinion="同意", agrees=True)
    plans.plan_approve(plan=plan, actor=staff["division_head"], **plans.planned_totals(plan))
    return item


def _overdue_loan(unit, authority):
    """A passport of the unit lent for a trip that came back 50 days ago, still not returned."""
    officer = UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
    trip = DelegationFactory(unit=unit, approved=True)
    passport = make_passport(trip.members.first().person, number="PE7654321")
    passport_lend(passport=passport, actor=officer, delegation=trip, taken_by="李")
    back = timezone.localdate() - dt.timedelta(days=50)
    Delegation.objects.filter(pk=trip.pk).update(
        departure_date=back - dt.timedelta(days=5), return_date=back
    )


def _live_json(client, data, delegation=None):
    if delegation is not None:
        data = {**data, "delegation": str(delegation.pk)}
    response = client.post(reverse("rules:live"), data)
    assert response.status_code == 200
    return response.json()["findings"]


def _live(client, data, delegation=None):
    """(rule, finding key, severity, message) of each live finding."""
    findings = _live_json(client, data, delegation)
    return {(f["code"], f["key"], f["severity"], f["message"]) for f in findings}


def _saved(delegation):
    return {(f.code, f.key, f.severity, f.message) for f in draft_findings(delegation)}


def test_passport_and_plan_findings_show_while_typing_as_they_will_once_saved(
    client, clerk, unit, authority, staff
):
    _approved_plan(clerk, staff, people=6)  # the trip is not linked to it: out of plan
    _overdue_loan(unit, authority)
    people = [PersonFactory(unit=unit) for _ in range(3)]
    # One member's passport ends two months after the return; another holds two of a kind.
    make_passport(people[0], number="PE1000001", expiry_date=DEPARTURE + dt.timedelta(days=60))
    make_passport(people[1], number="PE1000002")
    make_passport(people[1], number="PE1000003")
    data = _form(people, _itinerary())
    client.force_login(clerk)

    typed = _live(client, data)
    codes = {f[0] for f in typed}
    assert {"passport-return", "passport-validity", "one-passport", "in-plan"} <= codes
    assert ("passport-return", "block") in {(f[0], f[2]) for f in typed}

    assert client.post(reverse("visits:create"), data).status_code == 302
    draft = Delegation.objects.get(unit=unit, state="draft", created_by=clerk)
    assert _live(client, data, draft) == typed == _saved(draft)


def test_the_plan_counts_the_members_as_typed_not_as_saved(client, clerk, unit, staff):
    item = _approved_plan(clerk, staff, people=3)
    people = [PersonFactory(unit=unit) for _ in range(4)]
    client.force_login(clerk)
    assert client.post(reverse("visits:create"), _form(people[:3], _itinerary())).status_code == 302
    draft = Delegation.objects.get(unit=unit)
    plans.plan_link(delegation=draft, actor=clerk, plan_item=item)
    assert "in-plan" not in {f[0] for f in _saved(draft)}
    assert "in-plan" not in {
        f["code"] for f in _live_json(client, _form(people[:3], _itinerary()), draft)
    }

    # A fourth member typed in: the plan's three person-trips no longer hold the trip.
    # As the edit page posts it: its three members and two stops were there when it was drawn.
    four = {**_form(people, _itinerary()), "members-INITIAL_FORMS": "3", "stops-INITIAL_FORMS": "2"}
    in_plan = [f for f in _live_json(client, four, draft) if f["code"] == "in-plan"]
    assert [f["data"]["code"] for f in in_plan] == ["quota_exhausted"]
    typed = _live(client, four, draft)

    version = Delegation.objects.get(pk=draft.pk).version
    saved = client.post(reverse("visits:edit", args=[draft.pk]), {**four, "version": version})
    assert saved.status_code == 302
    assert _saved(Delegation.objects.get(pk=draft.pk)) == typed
