"""A control-list match found after submission (a list imported later) stops the case at every
step towards the trip until a reviewer clears it; the unit learns only that the office's check
is not finished."""

import datetime as dt

import pytest
from django.urls import reverse

from waiban.core.errors import ServiceError
from waiban.documents.tests.conftest import signing_keys  # noqa: F401  (a fixture)
from waiban.passports.loans import passport_lend
from waiban.passports.tests.helpers import make_passport
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.visits import workflow
from waiban.visits.states import State
from waiban.watchlists.models import ScreeningHit
from waiban.watchlists.services import screening_hit_decide
from waiban.watchlists.tests.helpers import import_list

pytestmark = pytest.mark.django_db


def _listed(case, staff):
    """The office imports a list naming the case's leader by ID number (an exact match)."""
    person = case.members.order_by("position").first().person
    import_list(
        staff["reviewer"],
        [[person.name_zh, person.birth_date.isoformat(), person.id_number, "", ""]],
    )
    hit = ScreeningHit.objects.get(delegation=case)
    assert hit.status == ScreeningHit.Status.OPEN
    return hit


def _refused(call):
    with pytest.raises(ServiceError) as refused:
        call()
    assert refused.value.code == "screening_not_cleared"
    return refused.value.message


def test_an_open_hit_found_after_submission_stops_every_step_until_it_is_cleared(
    client, unit, clerk, staff
):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    hit = _listed(case, staff)

    _refused(lambda: workflow.delegation_accept(delegation=case, actor=staff["window_clerk"]))
    # Through the page too: the window clerk is told why, the case stays where it is.
    client.force_login(staff["window_clerk"])
    case.refresh_from_db()
    response = client.post(
        reverse("visits:action", args=[case.pk, "accept"]), {"version": case.version}
    )
    assert response.status_code == 400
    assert "control-list hit" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.PRE_REVIEW

    screening_hit_decide(hit=hit, actor=staff["reviewer"], decision="cleared", reason="非同一人")
    workflow.delegation_accept(delegation=case, actor=staff["window_clerk"])
    case.refresh_from_db()
    assert case.state == State.UNDER_REVIEW


@pytest.mark.parametrize("state", ["under_review", "pending_approval"])
def test_review_and_approval_wait_for_the_reviewers_decision(unit, clerk, staff, state):
    case = DelegationFactory(unit=unit, created_by=clerk, **{state: True})
    _listed(case, staff)
    if state == "under_review":
        _refused(
            lambda: workflow.delegation_review(
                delegation=case, actor=staff["reviewer"], opinion="同意"
            )
        )
    else:
        _refused(lambda: workflow.delegation_approve(delegation=case, actor=staff["division_head"]))
    case.refresh_from_db()
    assert case.state == state


def test_a_confirmed_hit_keeps_the_case_stopped(unit, clerk, staff):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    hit = _listed(case, staff)
    screening_hit_decide(hit=hit, actor=staff["reviewer"], decision="confirmed", reason="同一人")
    _refused(lambda: workflow.delegation_accept(delegation=case, actor=staff["window_clerk"]))


@pytest.mark.usefixtures("signing_keys")
def test_an_approved_trip_gets_no_documents_no_passport_and_does_not_leave(unit, clerk, staff):
    from waiban.documents.models import Document
    from waiban.documents.services import documents_issue, documents_issue_after_approval

    case = DelegationFactory(
        unit=unit, created_by=clerk, approved=True, departure_date=dt.date.today()
    )
    _listed(case, staff)
    documents_issue_after_approval(delegation_id=case.pk, actor_id=staff["division_head"].pk)
    assert not Document.objects.filter(delegation=case).exists()
    _refused(lambda: documents_issue(delegation=case))
    officer = UserFactory(role="passport_officer", authority=unit.authority)
    passport = make_passport(case.members.first().person, number="PE7778889")
    _refused(
        lambda: passport_lend(passport=passport, actor=officer, delegation=case, taken_by="李")
    )
    _refused(lambda: workflow.delegation_depart(delegation=case, actor=None))


def test_the_unit_is_told_only_that_the_office_has_not_finished_its_check(unit, clerk, staff):
    case = DelegationFactory(unit=unit, created_by=clerk, approved=True)
    hit = _listed(case, staff)
    message = _refused(lambda: workflow.delegation_depart(delegation=case, actor=clerk))
    assert message == "The office's check of this application is not finished yet."
    for word in ("control", "list", hit.entry.control_list.name, "match"):
        assert word not in message
