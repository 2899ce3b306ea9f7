"""Public disclosure (the ``disclosure`` rule): the notice's fixed fields without personal
numbers, the clerk's record of its posting, and the warnings when one is missing or late."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.core.errors import StateConflict
from waiban.core.models import AuditEvent
from waiban.reports.disclosure import DISCLOSURE, disclosure_record, disclosure_statuses, due_dates
from waiban.rules.models import RuleVersion
from waiban.testing.factories import DelegationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _approved(unit, clerk, leaves_in):
    return DelegationFactory(
        unit=unit,
        created_by=clerk,
        approved=True,
        departure_date=timezone.localdate() + dt.timedelta(days=leaves_in),
    )


def _warnings(case):
    return {s.kind: s.warning for s in disclosure_statuses(case)}


def test_the_notice_has_its_fixed_fields_and_no_personal_number(client, unit, clerk, staff):
    case = _approved(unit, clerk, 40)
    person = case.members.first().person
    for user in (clerk, staff["reviewer"]):
        client.force_login(user)
        page = client.get(reverse("reports:disclosure", args=[case.pk, "before"]))
        text = page.content.decode()
        assert page.status_code == 200
        assert person.name_zh in text and person.post in text and case.title in text
        assert person.id_number not in text and person.phone not in text
    assert 'data-testid="disclosure-form"' not in text  # the office reads, the clerk records


def test_the_clerk_records_the_notice_before_the_trip(client, unit, clerk):
    case = _approved(unit, clerk, 40)
    assert _warnings(case) == {"before": ""}
    client.force_login(clerk)
    url = reverse("reports:disclosure", args=[case.pk, "before"])
    response = client.post(url, {"posted_on": timezone.localdate(), "place": "单位公示栏"})
    assert response.status_code == 302
    assert case.disclosures.get().place == "单位公示栏"
    assert AuditEvent.objects.filter(action="delegation.disclosure_before").exists()
    page = client.get(reverse("visits:detail", args=[case.pk])).content.decode()
    assert 'data-disclosure="before" data-recorded="yes"' in page


def test_a_missing_notice_warns_once_overdue_and_a_late_one_says_so(unit, clerk):
    soon = _approved(unit, clerk, 2)
    assert "Overdue" in _warnings(soon)["before"]
    disclosure_record(
        delegation=soon, actor=clerk, kind="before", posted_on=timezone.localdate(), place="内网"
    )
    assert "after the" in _warnings(soon)["before"]


def test_the_rule_version_sets_the_working_days(unit, clerk, staff):
    case = _approved(unit, clerk, 40)
    default = due_dates(case)["before"]
    RuleVersion.objects.create(
        rule=DISCLOSURE,
        severity="warn",
        params={"before_working_days": 10, "after_days": 30},
        source="某市外办",
        effective_from=dt.date(2000, 1, 1),
        created_by=staff["reviewer"],
    )
    assert due_dates(case)["before"] < default


def test_the_notice_after_the_trip_waits_for_the_return(unit, clerk, case):
    travelling = _approved(unit, clerk, -2)
    travelling.state = "travelling"
    travelling.save()
    with pytest.raises(StateConflict):
        disclosure_record(
            delegation=travelling,
            actor=clerk,
            kind="after",
            posted_on=timezone.localdate(),
            place="内网",
        )
    disclosure_record(
        delegation=case, actor=clerk, kind="after", posted_on=timezone.localdate(), place="内网"
    )
    assert case.disclosures.get(kind="after").place == "内网"


@pytest.mark.parametrize(
    "data",
    [
        {"posted_on": "2999-01-01", "place": "内网"},
        {"posted_on": "yesterday", "place": "内网"},
        {"posted_on": "2026-01-01", "place": "   "},
        {},
    ],
)
def test_bad_input_is_refused_beside_the_field(client, unit, clerk, data):
    case = _approved(unit, clerk, 40)
    client.force_login(clerk)
    response = client.post(reverse("reports:disclosure", args=[case.pk, "before"]), data)
    assert response.status_code == 400
    assert "data-field-error" in response.content.decode()
    assert not case.disclosures.exists()


@pytest.mark.parametrize("role", list(Role))
def test_who_reads_and_who_records_the_notice(client, unit, clerk, authority, role):
    case = _approved(unit, clerk, 40)
    unit_side = role in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER)
    user = UserFactory(role=role, **({"unit": unit} if unit_side else {"authority": authority}))
    client.force_login(user)
    url = reverse("reports:disclosure", args=[case.pk, "before"])
    reads = role not in (Role.TRAVELLER, Role.SYS_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
    assert client.get(url).status_code == (200 if reads else 404)
    response = client.post(url, {"posted_on": timezone.localdate(), "place": "栏"})
    assert response.status_code == (302 if role == Role.UNIT_CLERK else 404)
    assert case.disclosures.exists() == (role == Role.UNIT_CLERK)


def test_another_unit_and_an_unknown_kind_find_nothing(client, unit, clerk, authority):
    case = _approved(unit, clerk, 40)
    client.force_login(clerk)
    assert client.get(reverse("reports:disclosure", args=[case.pk, "sideways"])).status_code == 404
    other = UserFactory(role=Role.UNIT_CLERK, unit=UnitFactory(authority=authority))
    client.force_login(other)
    assert client.get(reverse("reports:disclosure", args=[case.pk, "before"])).status_code == 404
