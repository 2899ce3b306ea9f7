"""A case's walk from submission to approval tells the right people, in the app and by e-mail,
and no one else; nobody is told of their own move."""

import pytest
from django.core import mail

from waiban.accounts.roles import Role
from waiban.core.errors import StateConflict
from waiban.notices.models import Notice, NoticeRoute
from waiban.outbox.models import OutboxMessage
from waiban.testing.factories import (
    DelegationFactory,
    UnitFactory,
    UserFactory,
    explain_every_correction,
)
from waiban.testing.outbox import deliver_outbox
from waiban.visits import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(unit, clerk, unit_head, staff, authority):
    return {
        "clerk": clerk,
        "head": unit_head,
        **staff,
        "passport": UserFactory(role=Role.PASSPORT_OFFICER, authority=authority),
        # Someone of another unit, who must hear nothing.
        "stranger": UserFactory(role=Role.UNIT_CLERK, unit=UnitFactory(authority=authority)),
    }


def _told(people) -> dict[str, set[str]]:
    """Who got which notices since the last call: name -> set of actions (the key's middle)."""
    deliver_outbox()
    names = {user.pk: name for name, user in people.items()}
    told: dict[str, set[str]] = {}
    for notice in Notice.objects.filter(read_at=None):
        told.setdefault(names.get(notice.recipient_id, "?"), set()).add(notice.subject)
    Notice.objects.update(read_at="2000-01-01T00:00Z")
    return told


def test_each_step_tells_the_next_role_and_the_unit_and_no_one_else(people, unit):
    clerk, staff = people["clerk"], people
    case = DelegationFactory(unit=unit, created_by=clerk)
    case = workflow.delegation_submit(delegation=case, actor=clerk)
    assert set(_told(people)) == {"window_clerk"}

    case = workflow.delegation_send_back(
        delegation=case, actor=staff["window_clerk"], items=[("invitation", "邀请函无签名")]
    )
    assert set(_told(people)) == {"clerk", "head"}

    case = workflow.delegation_resubmit(
        delegation=case, actor=clerk, explanations=explain_every_correction(case)
    )
    assert set(_told(people)) == {"window_clerk"}

    case = workflow.delegation_accept(delegation=case, actor=staff["window_clerk"])
    assert set(_told(people)) == {"clerk", "reviewer"}

    case = workflow.delegation_review(delegation=case, actor=staff["reviewer"], opinion="同意")
    # Only the position that decides the first level, not every approver.
    told = _told(people)
    assert set(told) == {"division_head"}

    case = workflow.delegation_approve(delegation=case, actor=staff["division_head"])
    told = _told(people)
    assert set(told) == {"clerk", "head", "passport"}
    assert any(case.case_number in subject for subject in told["clerk"])
    # Each notice links to the case.
    assert Notice.objects.filter(link=f"/delegations/{case.pk}/").count() >= 3


def test_e_mail_goes_to_those_with_an_address_who_want_it(people, unit):
    people["clerk"].email = "clerk@example.org"
    people["clerk"].save()
    people["head"].email = ""
    people["head"].save()
    case = DelegationFactory(unit=unit, created_by=people["clerk"], submitted=True)
    workflow.delegation_send_back(
        delegation=case, actor=people["window_clerk"], items=[("invitation", "邀请函无签名")]
    )
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [["clerk@example.org"]]
    assert case.title in mail.outbox[0].subject
    # Delivering again (a worker running the same rows twice) sends nothing more.
    OutboxMessage.objects.update(state=OutboxMessage.State.PENDING)
    deliver_outbox()
    assert len(mail.outbox) == 1
    assert Notice.objects.filter(recipient=people["clerk"]).count() == 1


def test_the_office_can_silence_a_channel_of_one_move(people, unit):
    people["clerk"].email = "clerk@example.org"
    people["clerk"].save()
    NoticeRoute.objects.create(
        workflow="delegation", action="send_back", audience="unit", inbox=True, email=False
    )
    case = DelegationFactory(unit=unit, created_by=people["clerk"], submitted=True)
    workflow.delegation_send_back(
        delegation=case, actor=people["window_clerk"], items=[("invitation", "邀请函无签名")]
    )
    deliver_outbox()
    assert mail.outbox == []
    assert Notice.objects.filter(recipient=people["clerk"]).count() == 1


def test_a_failed_move_tells_nobody(people, unit):
    case = DelegationFactory(unit=unit, created_by=people["clerk"], submitted=True)
    with pytest.raises(StateConflict):
        workflow.delegation_review(delegation=case, actor=people["reviewer"], opinion="x")
    deliver_outbox()
    assert not Notice.objects.exists()
    assert not OutboxMessage.objects.filter(topic="notices.deliver").exists()
