"""The rules at submission: block stops it, warnings need a justification, versions are kept."""

import datetime as dt

import pytest
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.core.models import AuditEvent
from waiban.rules.models import Finding, RuleVersion
from waiban.rules.services import rule_version_create
from waiban.testing.factories import (
    DelegationFactory,
    PersonFactory,
    UserFactory,
    explain_every_correction,
)
from waiban.visits import workflow
from waiban.visits.models import DelegationMember
from waiban.visits.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(authority):
    return UserFactory(role=Role.SYS_ADMIN, authority=authority)


def _new_version(sysadmin, rule="group-size", params=None, **kwargs):
    kwargs.setdefault("effective_from", timezone.localdate())
    return rule_version_create(
        actor=sysadmin,
        rule=rule,
        severity=kwargs.pop("severity", "block"),
        params=params if params is not None else {"max_people": 5},
        source=kwargs.pop("source", "省外办通知〔2026〕1号"),
        **kwargs,
    )


def test_the_factory_default_delegation_submits_with_only_information_findings(clerk, unit):
    delegation = workflow.delegation_submit(
        delegation=DelegationFactory(unit=unit, created_by=clerk), actor=clerk
    )
    assert delegation.state == State.PRE_REVIEW
    assert {f.severity for f in Finding.objects.filter(delegation=delegation)} <= {"info"}


def test_a_seventh_member_blocks_submission_and_changes_nothing(clerk, unit):
    delegation = DelegationFactory(unit=unit, created_by=clerk, members=7)
    with pytest.raises(ServiceError) as exc:
        workflow.delegation_submit(delegation=delegation, actor=clerk)
    assert exc.value.code == "rule_blocked"
    assert [f["code"] for f in exc.value.params["findings"]] == ["group-size"]
    assert "7 people" in exc.value.params["problems"][0]["message"]
    delegation.refresh_from_db()
    assert delegation.state == State.DRAFT and delegation.case_number is None
    assert not Finding.objects.exists()


def test_a_warning_needs_a_written_justification_which_is_stored_with_the_finding(clerk, unit):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    people = [m.person for m in delegation.members.all()[:2]]
    for person in people:
        person.in_leadership_team = True
        person.save()
    with pytest.raises(ServiceError) as exc:
        workflow.delegation_submit(delegation=delegation, actor=clerk, justifications={})
    assert exc.value.code == "justification_required"
    key = exc.value.params["findings"][0]["key"]
    assert key == f"same-leadership:{unit.pk}"
    with pytest.raises(ServiceError):
        workflow.delegation_submit(delegation=delegation, actor=clerk, justifications={key: "  "})
    workflow.delegation_submit(
        delegation=delegation, actor=clerk, justifications={key: "两位分管不同业务，均为必要人员。"}
    )
    stored = Finding.objects.get(delegation=delegation, rule="same-leadership")
    assert stored.severity == "warn" and stored.justification == "两位分管不同业务，均为必要人员。"
    assert stored.rule_version is None and stored.rule_params == {"max_together": 1}
    assert stored.round == 1
    audit = AuditEvent.objects.get(action="delegation.submit", object_id=str(delegation.pk))
    assert audit.new_values["rule_versions"]["group-size"] == "default"
    assert audit.new_values["findings"][0]["key"] == key


def test_frequency_names_the_earlier_approved_trip_and_ignores_refused_ones(clerk, unit):
    head = PersonFactory(unit=unit, rank="bureau_deputy", post="副厅长")
    today = timezone.localdate()
    earlier = DelegationFactory(
        unit=unit,
        approved=True,
        departure_date=today - dt.timedelta(days=200),
        return_date=today - dt.timedelta(days=195),
    )
    refused = DelegationFactory(unit=unit, submitted=True, state=State.REFUSED)
    for trip in (earlier, refused):
        DelegationMember.objects.create(
            delegation=trip,
            person=head,
            role="member",
            position=9,
            rank_at_submission="bureau_deputy",
        )
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    DelegationMember.objects.create(delegation=delegation, person=head, role="member", position=9)
    with pytest.raises(ServiceError) as exc:
        workflow.delegation_submit(delegation=delegation, actor=clerk)
    [finding] = exc.value.params["findings"]
    assert finding["code"] == "frequency"
    assert earlier.case_number in finding["message"] and head.name_zh in finding["message"]
    assert finding["data"]["trips"] == [
        {"delegation": earlier.pk, "case_number": earlier.case_number}
    ]


@pytest.mark.parametrize("cache", ["per process", "shared"])
def test_a_rule_change_applies_to_new_submissions_only(clerk, unit, sysadmin, settings, cache):
    # With a shared cache the versions are kept in it, and forgotten when one is added.
    settings.CACHE_URL = "redis://shared-by-every-process" if cache == "shared" else ""
    first = workflow.delegation_submit(
        delegation=DelegationFactory(unit=unit, created_by=clerk, members=6), actor=clerk
    )
    first_findings = list(Finding.objects.filter(delegation=first).values_list("rule", flat=True))

    # a version for tomorrow changes nothing today
    _new_version(sysadmin, effective_from=timezone.localdate() + dt.timedelta(days=1))
    second = workflow.delegation_submit(
        delegation=DelegationFactory(unit=unit, created_by=clerk, members=6), actor=clerk
    )
    assert second.state == State.PRE_REVIEW

    version = _new_version(sysadmin)
    with pytest.raises(ServiceError) as exc:
        workflow.delegation_submit(
            delegation=DelegationFactory(unit=unit, created_by=clerk, members=6), actor=clerk
        )
    assert exc.value.code == "rule_blocked"
    assert "more than the 5 allowed" in exc.value.params["findings"][0]["message"]
    assert "省外办通知〔2026〕1号" in exc.value.params["findings"][0]["message"]

    # the case submitted earlier keeps what it was judged by
    assert list(Finding.objects.filter(delegation=first).values_list("rule", flat=True)) == (
        first_findings
    )
    assert RuleVersion.objects.filter(pk=version.pk).exists()


def test_an_authoritys_own_version_beats_the_version_for_every_authority(clerk, unit, sysadmin):
    _new_version(sysadmin, params={"max_people": 2})
    _new_version(sysadmin, params={"max_people": 6}, authority=unit.authority)
    delegation = workflow.delegation_submit(
        delegation=DelegationFactory(unit=unit, created_by=clerk, members=6), actor=clerk
    )
    assert delegation.state == State.PRE_REVIEW


def test_a_resubmission_is_judged_again_and_its_findings_are_a_new_round(clerk, unit, staff):
    delegation = DelegationFactory(unit=unit, created_by=clerk)
    workflow.delegation_submit(delegation=delegation, actor=clerk)
    workflow.delegation_send_back(
        delegation=delegation, actor=staff["window_clerk"], items=[("stops", "改期")]
    )
    workflow.delegation_resubmit(
        delegation=delegation, actor=clerk, explanations=explain_every_correction(delegation)
    )
    assert set(Finding.objects.filter(delegation=delegation).values_list("round", flat=True)) == {
        1,
        2,
    }


def test_only_the_system_administrator_adds_rule_versions_with_valid_parameters(clerk, sysadmin):
    with pytest.raises(PermissionDenied):
        _new_version(clerk)
    with pytest.raises(ServiceError) as exc:
        _new_version(sysadmin, params={"max_people": "six"})
    assert exc.value.code == "bad_params"
    with pytest.raises(ServiceError) as exc:
        _new_version(sysadmin, source=" ")
    assert exc.value.code == "source_required"
    version = _new_version(sysadmin)
    audit = AuditEvent.objects.get(action="rules.version_create")
    assert audit.new_values["params"] == {"max_people": 5} and audit.actor == sysadmin
    with pytest.raises(TypeError):
        version.save()  # append-only: a change is a new version


def test_the_system_administrator_adds_a_version_in_the_admin_but_cannot_edit_it(client, sysadmin):
    sysadmin.is_staff = True
    sysadmin.save()
    client.force_login(sysadmin)
    page = client.get("/admin/rules/ruleversion/add/?rule=stay-days")
    assert page.status_code == 200 and "中办发〔2013〕16号" in page.content.decode()
    response = client.post(
        "/admin/rules/ruleversion/add/",
        {
            "rule": "stay-days",
            "severity": "block",
            "params": '{"limits": {"1": 6, "2": 8, "3": 10}, "extra_day_regions": [], "extra_days": 1}',
            "source": "某省外办〔2026〕2号",
            "effective_from": "2026-01-01",
            "note": "一国放宽至6天",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = RuleVersion.objects.get()
    assert version.created_by == sysadmin and version.params["limits"]["1"] == 6
    change = client.post(f"/admin/rules/ruleversion/{version.pk}/change/", {"rule": "group-size"})
    assert change.status_code == 403


def test_a_case_sent_back_is_resubmitted_under_the_rule_versions_of_its_first_submission(
    client, clerk, unit, staff, sysadmin
):
    from django.urls import reverse

    from waiban.rules.selectors import draft_findings
    from waiban.rules.tests.test_live import _form
    from waiban.visits.models import Delegation

    case = workflow.delegation_submit(
        delegation=DelegationFactory(unit=unit, created_by=clerk, members=3), actor=clerk
    )
    yesterday = timezone.now() - dt.timedelta(days=1)
    Delegation.objects.filter(pk=case.pk).update(submitted_at=yesterday)
    case = workflow.delegation_send_back(
        delegation=case, actor=staff["window_clerk"], items=[("title", "标题有误")]
    )
    _new_version(sysadmin, params={"max_people": 2})  # in force from today: 3 people too many

    assert "group-size" not in {f.code for f in draft_findings(case)}
    # The live panel of the edit form agrees.
    client.force_login(clerk)
    day = timezone.localdate() + dt.timedelta(days=45)
    people = [m.person for m in case.members.all()]
    data = _form(people, [("DE", "柏林", day, day + dt.timedelta(days=3))])
    live = client.post(reverse("rules:live"), {**data, "delegation": str(case.pk)}).json()
    assert "group-size" not in {f["code"] for f in live["findings"]}
    case = workflow.delegation_resubmit(
        delegation=case, actor=clerk, explanations=explain_every_correction(case)
    )
    assert case.state == "pre_review"

    # A new application is judged by today's versions.
    with pytest.raises(ServiceError) as refused:
        workflow.delegation_submit(
            delegation=DelegationFactory(unit=unit, created_by=clerk, members=3), actor=clerk
        )
    assert "group-size" in {p["field"] for p in refused.value.params["problems"]}


def test_a_trip_whose_departure_has_passed_cannot_be_submitted(clerk, unit):
    past = timezone.localdate() - dt.timedelta(days=3)
    delegation = DelegationFactory(
        unit=unit, created_by=clerk, departure_date=past, return_date=past + dt.timedelta(days=2)
    )
    delegation.stops.update(arrival_date=past, departure_date=past + dt.timedelta(days=2))
    with pytest.raises(ServiceError) as refused:
        workflow.delegation_submit(delegation=delegation, actor=clerk)
    messages = " ".join(p["message"] for p in refused.value.params["problems"])
    assert refused.value.code == "rule_blocked"
    assert f"The departure date {past.isoformat()} has already passed" in messages
    delegation.refresh_from_db()
    assert delegation.state == State.DRAFT
