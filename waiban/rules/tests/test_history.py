"""The members' past trips, read from the database for the frequency rule, and only theirs."""

import datetime as dt

import pytest
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.people.models import Rank
from waiban.rules.engine import history_ranks, versions_in_force
from waiban.rules.models import Finding
from waiban.rules.services import delegation_evaluate, rule_version_create
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.visits import workflow
from waiban.visits.models import DelegationMember

pytestmark = pytest.mark.django_db


def _frequency(delegation):
    today = timezone.localdate()
    return [
        f
        for f in delegation_evaluate(delegation=delegation, on=today).findings
        if f.code == "frequency"
    ]


def _traveller_with_an_earlier_trip(unit, clerk, rank):
    """A draft whose leader went abroad 200 days ago on an approved trip (that trip's members
    were never snapshotted, as with cases submitted before the snapshot existed)."""
    earlier = DelegationFactory(
        unit=unit,
        created_by=clerk,
        approved=True,
        departure_date=timezone.localdate() - dt.timedelta(days=200),
        members=2,
    )
    delegation = DelegationFactory(unit=unit, created_by=clerk, members=2)
    person = delegation.members.get(position=0).person
    person.rank, person.post = rank, "处长"
    person.save()
    DelegationMember.objects.create(delegation=earlier, person=person, role="member", position=5)
    return delegation, person, earlier


def test_the_frequency_rule_reads_past_trips_of_the_ranks_it_limits_and_no_others():
    assert history_ranks(versions_in_force(authority_id=None, on=timezone.localdate())) == {
        Rank.BUREAU_FULL,
        Rank.BUREAU_DEPUTY,
    }


def test_a_rule_version_that_limits_another_rank_reads_that_ranks_past_trips(
    authority, unit, clerk
):
    delegation, person, _earlier = _traveller_with_an_earlier_trip(unit, clerk, Rank.DIVISION_FULL)
    assert _frequency(delegation) == []
    rule_version_create(
        actor=UserFactory(role=Role.SYS_ADMIN, authority=authority),
        rule="frequency",
        severity="warn",
        params={
            "limits": [{"ranks": [Rank.DIVISION_FULL], "max_trips": 1, "years": 2}],
            "exempt_teaching_research": True,
            "term_start": "",
        },
        source="某省外办通知〔2026〕2号",
        effective_from=timezone.localdate(),
    )
    (finding,) = _frequency(delegation)
    assert finding.subject == str(person.pk)


def test_a_bureau_level_members_earlier_trip_is_stored_with_the_frequency_warning(unit, clerk):
    delegation, person, earlier = _traveller_with_an_earlier_trip(unit, clerk, Rank.BUREAU_DEPUTY)
    workflow.delegation_submit(
        delegation=delegation, actor=clerk, justifications={f"frequency:{person.pk}": "工作需要。"}
    )
    finding = Finding.objects.get(delegation=delegation, rule="frequency")
    # The earlier trip has no snapshot: it counts with the member's current rank.
    assert finding.data["trips"] == [{"delegation": earlier.pk, "case_number": earlier.case_number}]
    assert finding.justification == "工作需要。"
