import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone
from stdnum.cn import uscc

from waiban.accounts.models import Authority, Unit, User
from waiban.accounts.roles import Role
from waiban.core.crypto import blind_index
from waiban.core.models import AuditEvent
from waiban.demo.custody import kind_for
from waiban.demo.organisation import DEMO_ACCOUNTS, DEMO_PASSWORD
from waiban.demo.stories import state_plan
from waiban.passports.models import Loan, Passport, PassportEvent
from waiban.passports.production import NEW, RENEW, passport_needs
from waiban.passports.services import check_number
from waiban.passports.states import OUT_STATUSES, VALID_STATUSES, Status
from waiban.people.idnumber import parse_id_number
from waiban.people.models import Person
from waiban.visits.models import (
    ApprovalStep,
    Attachment,
    BudgetLine,
    Delegation,
    DelegationEvent,
    DelegationMember,
    ItineraryStop,
)
from waiban.visits.states import State
from waiban.visits.trip import trips_follow_dates

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
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/")  # django-axes throttles per request
    assert authenticate(request, username="clerk", password=DEMO_PASSWORD) is not None
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

    _check_trips_and_passports()
    _check_rule_findings_a_clerk_can_see()
    _check_visas()

    before = _counts()
    assert "added nothing" in _seed("--if-empty")
    assert _counts() == before
    with pytest.raises(CommandError):
        _seed()
    assert _counts() == before


def _check_visas():
    """The visa officer has work (issue 14): trips waiting, batches in every state, one late."""
    from waiban.visas.models import RegimeEdition, VisaBatch
    from waiban.visas.notes import visa_note_current
    from waiban.visas.selectors import workbench
    from waiban.visas.states import BatchState

    assert RegimeEdition.objects.count() == 1
    assert set(VisaBatch.objects.values_list("state", flat=True)) == set(BatchState.values)
    board = workbench(user=User.objects.get(username="visa"))
    assert board["waiting"] and board["preparing"]
    assert {b.sla for b in board["out"]} >= {"red", "green"}
    for batch in VisaBatch.objects.exclude(state=BatchState.CANCELLED):
        assert visa_note_current(batch) is not None
    for batch in VisaBatch.objects.filter(state=BatchState.BACK):
        events = list(batch.events.order_by("at", "id").values_list("action", flat=True))
        assert events[0] == "create" and events[-1] == "receive"
        assert batch.sent_on <= batch.back_on


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


def test_any_first_dozen_showcase_cases_cover_every_state():
    assert set(state_plan(12)) == set(State.values)
    assert 95 <= len(state_plan(100)) == 100


def _check_trips_and_passports():
    """Passports in custody, and trips that left, came back and were closed, all through the
    services: history and audit for every move, and nothing the daily jobs would still do."""
    today = timezone.localdate()
    passports = list(Passport.objects.select_related("person"))
    assert Passport.objects.filter(status=Status.IN_CUSTODY).count() >= 50
    for passport in passports:
        assert passport.kind == kind_for(passport.person.rank)
        number = check_number(passport.kind, passport.number, exclude_pk=passport.pk)
        assert number == passport.number
    soon = today + dt.timedelta(days=183)
    assert Passport.objects.filter(expiry_date__lt=soon, status=Status.IN_CUSTODY).exists()
    assert Passport.objects.filter(expiry_date__gt=today + dt.timedelta(days=730)).exists()
    clerk_unit = User.objects.get(username="clerk").unit
    assert Passport.objects.filter(person__unit=clerk_unit).count() >= 30

    trips = Delegation.objects.filter(state__in=[State.TRAVELLING, State.BACK_HOME])
    assert Loan.objects.filter(
        delegation__state=State.BACK_HOME, delegation__unit=clerk_unit, returned_at=None
    ).exists()
    assert Passport.objects.filter(status=Status.OVERDUE).exists()  # marked by the daily job
    for trip in trips:
        assert trip.departure_date < today
        assert trip.members.count() == trip.passport_loans.filter(returned_at=None).count()
    assert not trips.filter(state=State.TRAVELLING, return_date__lt=today).exists()
    traveller = User.objects.get(username="traveller").person
    assert trips.filter(members__person=traveller).exists()
    closed = Delegation.objects.filter(state=State.CLOSED)
    assert closed.exists()
    assert not Loan.objects.filter(delegation__in=closed, returned_at=None).exists()
    assert Loan.objects.filter(delegation__in=closed).exists()
    ahead = Delegation.objects.filter(state=State.APPROVED)
    assert not ahead.filter(departure_date__lte=today).exists()
    needs = {need.action for trip in ahead for need in passport_needs(trip)}
    assert {NEW, RENEW} <= needs

    # the passport officer never approved a trip whose passports he lent
    for loan in Loan.objects.all():
        assert not ApprovalStep.objects.filter(
            delegation=loan.delegation_id, decided_by=loan.lent_by_id
        ).exists()
    # every move has its history row and its audit event
    for action, states in (
        ("depart", [State.TRAVELLING, State.BACK_HOME, State.CLOSED]),
        ("come_back", [State.BACK_HOME, State.CLOSED]),
        ("close", [State.CLOSED]),
    ):
        moved = Delegation.objects.filter(state__in=states)
        assert moved.filter(events__action=action).distinct().count() == moved.count()
        assert AuditEvent.objects.filter(action=f"delegation.{action}").count() == moved.count()
    for action in ("register", "lend", "return", "mark_overdue"):
        events = PassportEvent.objects.filter(action=action).count()
        assert events and AuditEvent.objects.filter(action=f"passport.{action}").count() == events
    assert PassportEvent.objects.filter(action="register").count() == len(passports)
    out = Passport.objects.filter(status__in=OUT_STATUSES).count()
    assert out == Loan.objects.filter(returned_at=None).count()
    # the daily job finds nothing left to do: the demo's dates and states agree
    assert trips_follow_dates(today=today) == {"depart": 0, "come_back": 0, "close": 0}


def _check_rule_findings_a_clerk_can_see():
    """The demo clerk has a draft with a passport-validity warning and one with a block; no case
    past the draft has a member whose passport expires before its return (it could not have
    been submitted); every case says who invites; the plans' items match the trips linked."""
    from waiban.plans.models import PlanUse
    from waiban.plans.status import in_plan_status
    from waiban.rules.selectors import draft_findings

    clerk = User.objects.get(username="clerk")
    drafts = Delegation.objects.filter(unit=clerk.unit, state=State.DRAFT)
    validity = {
        f.severity
        for draft in drafts
        for f in draft_findings(draft)
        if f.code == "passport-validity"
    }
    assert {"warn", "block"} <= validity
    blocked = [
        d
        for d in drafts
        if any(f.severity == "block" for f in draft_findings(d) if f.code == "passport-validity")
    ]
    assert all(d.committed_at for d in blocked)  # nothing else stands in the way

    today = timezone.localdate()
    ahead = Delegation.objects.exclude(state=State.DRAFT).filter(return_date__gte=today)
    assert ahead.exists()
    for case in ahead:
        expiring = Passport.objects.filter(
            person__memberships__delegation=case,
            status__in=VALID_STATUSES,
            expiry_date__lt=case.return_date,
        )
        assert not expiring.exists(), case.pk

    assert not Delegation.objects.filter(inviting_organisation_kind="").exists()
    for use in PlanUse.objects.filter(plan_item__isnull=False).select_related("delegation"):
        assert "item_mismatch" not in in_plan_status(delegation=use.delegation).codes
