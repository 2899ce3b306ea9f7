"""After approval: the trip leaves, comes back and is closed, on its dates (the daily job, as
the system) or by hand; an authorised trip stays authorised until it is closed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.models import AuditEvent
from waiban.passports.models import Loan
from waiban.passports.tests.helpers import make_passport
from waiban.portal.access import progress_query
from waiban.testing.factories import DelegationFactory, accepted_trip_report
from waiban.visits import workflow
from waiban.visits.models import DelegationEvent
from waiban.visits.states import AUTHORISED_STATES, FINAL_STATES, TRANSITIONS, State
from waiban.visits.trip import trips_follow_dates

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)


def _approved(unit, clerk, *, leaves_in, days=6):
    departure = TODAY + dt.timedelta(days=leaves_in)
    return DelegationFactory(
        unit=unit,
        created_by=clerk,
        approved=True,
        departure_date=departure,
        return_date=departure + dt.timedelta(days=days),
    )


def _state(case):
    case.refresh_from_db()
    return case.state


def test_the_daily_job_follows_the_approved_dates_as_the_system(unit, clerk):
    leaving = _approved(unit, clerk, leaves_in=0)
    later = _approved(unit, clerk, leaves_in=5)

    assert trips_follow_dates(today=TODAY) == {"depart": 1, "come_back": 0, "close": 0}
    assert _state(leaving) == State.TRAVELLING and _state(later) == State.APPROVED
    event = DelegationEvent.objects.get(delegation=leaving, action="depart")
    assert event.actor is None and event.from_state == State.APPROVED
    assert (
        AuditEvent.objects.get(action="delegation.depart", object_id=str(leaving.pk)).actor_id
        is None
    )

    back = TODAY + dt.timedelta(days=6)
    assert trips_follow_dates(today=back)["come_back"] == 1
    # The trip report is not accepted, the public notices not recorded: it stays back home.
    assert _state(leaving) == State.BACK_HOME
    accepted_trip_report(leaving)
    # Nothing else is outstanding (no passport out): closed the next morning.
    assert trips_follow_dates(today=back)["close"] == 1
    assert _state(leaving) == State.CLOSED
    assert trips_follow_dates(today=back) == {"depart": 0, "come_back": 0, "close": 0}


def test_a_case_is_not_closed_while_a_passport_of_the_trip_is_out(unit, clerk, staff):
    case = _approved(unit, clerk, leaves_in=-7, days=5)
    case.state = State.BACK_HOME
    case.save()
    accepted_trip_report(case)
    passport = make_passport(case.members.first().person, status="lent_out")
    Loan.objects.create(
        passport=passport,
        delegation=case,
        taken_by="王",
        lent_by=staff["reviewer"],
        due_date=TODAY,
    )
    assert trips_follow_dates(today=TODAY)["close"] == 0
    with pytest.raises(ServiceError) as refused:
        workflow.delegation_close(delegation=case, actor=staff["reviewer"])
    assert refused.value.code == "not_ready_to_close"
    assert "not back in custody" in refused.value.message
    assert _state(case) == State.BACK_HOME

    Loan.objects.update(returned_at=timezone.now())
    workflow.delegation_close(delegation=case, actor=staff["reviewer"])
    assert _state(case) == State.CLOSED


def test_the_clerk_records_an_early_departure_and_the_system_waits_for_the_date(unit, clerk):
    case = _approved(unit, clerk, leaves_in=3)
    with pytest.raises(ServiceError) as refused:
        workflow.delegation_depart(delegation=case, actor=None, today=TODAY)
    assert refused.value.code == "not_yet"
    workflow.delegation_depart(delegation=case, actor=clerk, expected_version=case.version)
    assert _state(case) == State.TRAVELLING
    assert DelegationEvent.objects.get(delegation=case, action="depart").actor == clerk


def test_only_the_roles_of_the_table_move_a_trip(unit, clerk, staff, unit_head):
    case = _approved(unit, clerk, leaves_in=0)
    for outsider in (staff["reviewer"], staff["division_head"], unit_head):
        with pytest.raises(PermissionDenied) as refused:
            workflow.delegation_depart(delegation=case, actor=outsider)
        assert refused.value.code == "wrong_role"
    assert _state(case) == State.APPROVED


def test_an_authorised_trip_stays_authorised_until_it_is_closed(unit, clerk):
    case = _approved(unit, clerk, leaves_in=0)
    for state in State:
        case.state = state
        assert case.is_authorised == (state in AUTHORISED_STATES)
    assert State.APPROVED not in FINAL_STATES and State.CLOSED in FINAL_STATES


def test_a_past_trip_counts_for_the_frequency_rule_in_every_later_state(unit, clerk):
    from waiban.rules.facts import load_history, member_from_person

    for state in (State.TRAVELLING, State.BACK_HOME, State.CLOSED):
        past = _approved(unit, clerk, leaves_in=-200)
        past.state = state
        past.save()
        person = past.members.first().person
        history = load_history(
            [member_from_person(person, "leader")], since=TODAY - dt.timedelta(days=730)
        )
        assert [trip.delegation_id for trip in history] == [past.pk], state


def test_every_transition_has_its_service_and_its_words():
    for action, transition in TRANSITIONS.items():
        assert transition.service.endswith(f".delegation_{action}"), action
        assert transition.service_function is getattr(workflow, f"delegation_{action}"), action
        assert transition.label and transition.done and transition.timeline, action
        assert transition.roles, action


def test_the_case_page_shows_the_buttons_the_table_gives_the_viewer(client, unit, clerk, staff):
    case = _approved(unit, clerk, leaves_in=0)
    url = reverse("visits:detail", args=[case.pk])
    client.force_login(clerk)
    html = client.get(url).content.decode()
    assert 'data-action="depart"' in html and 'data-action="cancel"' in html
    client.force_login(staff["reviewer"])
    assert 'data-action="' not in client.get(url).content.decode()

    client.force_login(clerk)
    response = client.post(
        reverse("visits:action", args=[case.pk, "depart"]), {"version": case.version}
    )
    assert response.status_code == 302 and _state(case) == State.TRAVELLING
    page = client.get(url).content.decode()
    assert 'data-action="come_back"' in page and 'data-event="depart"' in page


def test_the_public_progress_page_shows_the_trip_moves(client, unit, clerk):
    case = _approved(unit, clerk, leaves_in=0)
    trips_follow_dates(today=TODAY)
    html = client.get(reverse("portal:progress"), progress_query(case.case_number)).content.decode()
    assert 'data-state="travelling"' in html and "Departed" in html
