"""Two approvers press "approve" on the same case at the same moment: exactly one wins.

Runs on PostgreSQL only, where select_for_update really locks the row; SQLite serialises whole
transactions and would prove nothing.
"""

import threading

import pytest
from django.db import connection, connections

from waiban.accounts.roles import ApproverPosition, Role
from waiban.core.errors import StateConflict
from waiban.testing.factories import DelegationFactory, UserFactory
from waiban.visits import workflow
from waiban.visits.models import DelegationEvent
from waiban.visits.states import State

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_two_approvers_at_once_one_wins_and_the_other_gets_a_conflict(authority, unit):
    delegation = DelegationFactory(unit=unit, pending_approval=True)
    approvers = [
        UserFactory(
            role=Role.APPROVER,
            authority=authority,
            approver_position=ApproverPosition.DIVISION_HEAD,
        )
        for _ in range(2)
    ]
    seen_version = delegation.version
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(actor):
        try:
            barrier.wait(timeout=10)
            workflow.delegation_approve(
                delegation=delegation, actor=actor, opinion="同意", expected_version=seen_version
            )
            outcomes.append("won")
        except StateConflict as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["stale_version", "won"]
    delegation.refresh_from_db()
    assert delegation.state == State.APPROVED
    assert DelegationEvent.objects.filter(delegation=delegation, action="approve").count() == 1
