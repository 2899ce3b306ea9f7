import io

import pytest
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count
from stdnum.cn import uscc

from waiban.accounts.models import Authority, Unit, User
from waiban.accounts.roles import Role
from waiban.core.crypto import blind_index
from waiban.core.models import AuditEvent
from waiban.demo.organisation import DEMO_ACCOUNTS, DEMO_PASSWORD
from waiban.people.idnumber import parse_id_number
from waiban.people.models import Person
from waiban.visits.models import (
    Attachment,
    BudgetLine,
    Delegation,
    DelegationEvent,
    DelegationMember,
    ItineraryStop,
)
from waiban.visits.states import State

pytestmark = pytest.mark.django_db


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict:
    models = [Authority, Unit, User, Person, Delegation, DelegationEvent, AuditEvent, Attachment]
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_has_every_state_every_role_valid_ids_and_seeds_only_once():
    output = _seed()

    assert set(Delegation.objects.values_list("state", flat=True)) == set(State.values)
    demo_users = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    assert set(demo_users.values_list("role", flat=True)) == set(Role.values)
    assert authenticate(username="clerk", password=DEMO_PASSWORD) is not None
    clerk, head = User.objects.get(username="clerk"), User.objects.get(username="unithead")
    assert clerk.unit_id == head.unit_id
    assert Person.objects.filter(unit=clerk.unit).count() >= 30
    assert "clerk" in output and DEMO_PASSWORD in output

    people = list(Person.objects.all())
    assert 250 <= len(people) <= 350
    for person in people:
        info = parse_id_number(person.id_number)
        assert info.birth_date == person.birth_date and info.sex == person.sex
        assert person.id_number_hash == blind_index(person.id_number)
        assert person.surname_pinyin.isupper()
    for code in Unit.objects.values_list("uscc", flat=True):
        assert uscc.is_valid(code), code
    assert Authority.objects.get(code="450000").handles_subordinate_cases

    # the history was written by the services: every submitted case has a number and events
    submitted = Delegation.objects.exclude(case_number=None)
    assert submitted.exists()
    assert not submitted.filter(events=None).exists()
    assert not Delegation.objects.exclude(state=State.DRAFT).filter(events=None).exists()
    assert Delegation.objects.filter(state=State.PENDING_APPROVAL, deadline=None).count() == 0
    invitation = Attachment.objects.filter(kind="invitation").first()
    with default_storage.open(invitation.file.name) as stored:
        assert stored.read(5) == b"%PDF-"

    before = _counts()
    assert "added nothing" in _seed("--if-empty")
    assert _counts() == before
    with pytest.raises(CommandError):
        _seed()
    assert _counts() == before


def test_a_bulk_run_writes_the_number_of_delegations_asked_for():
    _seed("--delegations", "500", "--seed", "7")

    assert Delegation.objects.count() == 500
    assert not Delegation.objects.filter(members=None).exists()
    assert not Delegation.objects.filter(stops=None).exists()
    assert not Delegation.objects.exclude(funding_source="host").filter(budget_lines=None).exists()
    assert ItineraryStop.objects.count() >= 500
    assert DelegationMember.objects.count() >= 1000
    assert BudgetLine.objects.exists()
    assert not Delegation.objects.exclude(state=State.DRAFT).filter(events=None).exists()
    duplicates = (
        Delegation.objects.exclude(case_number=None)
        .values("case_number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    # leaders are members, as the completeness check demands
    for delegation in Delegation.objects.filter(leader__isnull=False)[:200]:
        assert delegation.members.filter(person_id=delegation.leader_id, role="leader").exists()
