"""Submitting reads each thing once and writes in bulk: a fixed number of queries, whatever the
size of the delegation (the write bench, bench/write_bench.py, times the same call)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waiban.core.calendar import WorkingCalendar
from waiban.core.models import AuditEvent, NumberSequence
from waiban.notices.routing import office_routes
from waiban.people.models import Rank
from waiban.rules.engine import all_rule_versions
from waiban.rules.models import Finding
from waiban.testing.factories import DelegationFactory
from waiban.visas.regimes import visa_reference
from waiban.visits import workflow
from waiban.visits.deadlines import stage_limit_overrides
from waiban.visits.models import DelegationEvent, DelegationMember
from waiban.visits.states import TRANSITIONS, State

pytestmark = pytest.mark.django_db

# The submission of a realistic case (members of whom one is bureau level, two stops, budget,
# findings with a justified warning). On PostgreSQL and SQLite alike: lock; members with their
# person, stops, budget lines; the invitation; plan use and plan; passports (loans, the
# members'); past trips; control lists; case number; members' snapshot; the row, its history
# row and audit event; the findings; and the savepoint's two statements (a test runs inside a
# transaction); the notices to the window: its clerks with their notice settings, the outbox
# rows' insert and the read of their ids. The rule versions, time limits and notice routes
# come from the reference cache, as on a running server. It was 35 before each thing was read
# once. The audit event also reads the last row's seal (the hash chain), and on PostgreSQL
# takes the chain's advisory lock (waiban.core.audit_chain).
SUBMIT_QUERIES = 23 + (connection.vendor == "postgresql")


def _draft(unit, clerk, *, members):
    delegation = DelegationFactory(unit=unit, created_by=clerk, members=members)
    first, second = (m.person for m in delegation.members.all()[:2])
    first.rank, first.post = Rank.BUREAU_DEPUTY, "副厅长"
    for person in (first, second):
        person.in_leadership_team = True  # a warning, justified below
        person.save()
    return delegation


def _justifications(delegation):
    return {f"same-leadership:{delegation.unit_id}": "两位分管不同业务，均为必要人员。"}


def _submit_queries(delegation, clerk) -> int:
    # Warm what a running server has: the cached holiday table, rule versions and time limits,
    # the year's case counter (the year's first number creates it).
    WorkingCalendar()
    all_rule_versions.get()
    stage_limit_overrides.get()
    office_routes.get()
    visa_reference.get()
    NumberSequence.objects.get_or_create(name="case", year=timezone.localdate().year)
    with CaptureQueriesContext(connection) as captured:
        workflow.delegation_submit(
            delegation=delegation, actor=clerk, justifications=_justifications(delegation)
        )
    return len(captured)


@pytest.mark.parametrize("members", [2, 4, 6])
def test_submitting_stays_within_its_query_budget_and_writes_every_row(clerk, unit, members, staff):
    delegation = _draft(unit, clerk, members=members)
    assert _submit_queries(delegation, clerk) <= SUBMIT_QUERIES
    delegation.refresh_from_db()
    assert delegation.state == State.PRE_REVIEW and delegation.case_number
    snapshot = DelegationMember.objects.filter(delegation=delegation)
    assert {(m.post_at_submission, m.rank_at_submission) for m in snapshot[:1]} == {
        ("副厅长", Rank.BUREAU_DEPUTY)
    }
    assert all(m.rank_at_submission for m in snapshot)
    assert DelegationEvent.objects.filter(delegation=delegation, action="submit").count() == 1
    audit = AuditEvent.objects.get(action="delegation.submit", object_id=str(delegation.pk))
    stored = Finding.objects.filter(delegation=delegation)
    assert {f.key for f in stored} == {f["key"] for f in audit.new_values["findings"]}
    assert stored.get(rule="same-leadership").justification == "两位分管不同业务，均为必要人员。"


def test_a_delegation_of_six_costs_the_same_number_of_queries_as_one_of_two(clerk, unit):
    assert _submit_queries(_draft(unit, clerk, members=2), clerk) == _submit_queries(
        _draft(unit, clerk, members=6), clerk
    )


def test_past_trips_are_read_only_for_members_of_a_rank_the_frequency_rule_limits(clerk, unit):
    ranked = _draft(unit, clerk, members=3)
    unranked = _draft(unit, clerk, members=3)
    leader = unranked.members.get(position=0).person
    leader.rank = Rank.DIVISION_FULL
    leader.save()
    assert _submit_queries(unranked, clerk) == _submit_queries(ranked, clerk) - 1


def test_the_first_submission_is_round_one_because_nothing_leads_back_to_a_draft(clerk, unit):
    # delegation_submit stores its findings as round 1 without counting earlier submissions.
    assert all(t.target != State.DRAFT for t in TRANSITIONS.values())
    delegation = _draft(unit, clerk, members=3)
    workflow.delegation_submit(
        delegation=delegation, actor=clerk, justifications=_justifications(delegation)
    )
    assert set(Finding.objects.filter(delegation=delegation).values_list("round", flat=True)) == {1}
