"""The data cage: anomaly rules as versioned data, the nightly scan with evidence, the
supervisor's decisions; the unit never sees any of it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.passports.models import Loan
from waiban.passports.tests.helpers import make_passport
from waiban.reports import services
from waiban.reports.cage import anomalies_scan, anomaly_decide, similarity
from waiban.reports.models import Anomaly, AnomalyStatus
from waiban.reports.tests.conftest import SECTION, as_approved, back_home_case, report_data
from waiban.rules.models import RuleVersion
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _rules(**filters):
    return set(Anomaly.objects.filter(**filters).values_list("rule", flat=True))


def _extra_day(case, clerk):
    stops = as_approved(case)
    stops[-1]["departure_date"] += dt.timedelta(days=1)
    services.actual_itinerary_save(delegation=case, actor=clerk, stops=stops)


def test_an_extra_day_is_found_with_its_evidence_and_the_supervisor_sees_it(
    client, case, clerk, staff
):
    _extra_day(case, clerk)
    counts = anomalies_scan(year=case.return_date.year)
    assert counts["found"] >= 1
    row = Anomaly.objects.get(delegation=case, rule="cage-days-over")
    assert row.evidence == {"actual": 8, "approved": 7}
    client.force_login(staff["supervisor"])
    page = client.get(reverse("reports:anomalies")).content.decode()
    assert 'data-anomaly="cage-days-over"' in page and "8 days abroad against 7" in page
    # Scanning again finds nothing new.
    assert anomalies_scan(year=case.return_date.year)["found"] == 0


def test_a_thin_report_and_a_near_copy_are_found(unit, clerk, reviewer):
    first = back_home_case(unit, clerk, days_ago=20)
    second = back_home_case(unit, clerk, days_ago=2)
    for case in (first, second):
        services.actual_itinerary_save(delegation=case, actor=clerk, stops=as_approved(case))
        report = services.report_save(delegation=case, actor=clerk, data=report_data())
        services.report_submit(report=report, actor=clerk)
    anomalies_scan(year=second.return_date.year)
    assert "cage-report-thin" in _rules(delegation=second)
    assert "cage-report-similar" in _rules(delegation=second)
    assert "cage-report-similar" not in _rules(delegation=first)  # nothing earlier to copy


def test_a_passport_back_late_and_an_overdue_report_are_found(unit, clerk, staff):
    case = back_home_case(unit, clerk, days_ago=40)
    passport = make_passport(case.members.first().person, status="lent_out")
    Loan.objects.create(
        passport=passport,
        delegation=case,
        taken_by="王",
        lent_by=staff["reviewer"],
        due_date=case.return_date + dt.timedelta(days=7),
    )
    anomalies_scan(year=case.return_date.year)
    assert {"cage-passport-late", "cage-report-overdue"} <= _rules(delegation=case)


def test_the_rule_version_decides(case, clerk, staff):
    _extra_day(case, clerk)
    RuleVersion.objects.create(
        rule="cage-days-over",
        severity="info",
        params={"tolerance_days": 2},
        source="本省 2025",
        effective_from=dt.date(2000, 1, 1),
        created_by=staff["reviewer"],
    )
    anomalies_scan(year=case.return_date.year)
    assert "cage-days-over" not in _rules(delegation=case)


def test_the_supervisor_explains_or_refers_with_a_note(client, case, clerk, staff):
    _extra_day(case, clerk)
    anomalies_scan(year=case.return_date.year)
    row = Anomaly.objects.get(delegation=case, rule="cage-days-over")
    supervisor = staff["supervisor"]
    with pytest.raises(ServiceError) as refused:
        anomaly_decide(anomaly=row, actor=supervisor, action="explain", note=" ")
    assert refused.value.code == "note_required"
    client.force_login(supervisor)
    url = reverse("reports:anomaly_action", args=[row.pk, "refer"])
    assert client.post(url, {"version": row.version, "note": "移交纪检"}).status_code == 302
    row.refresh_from_db()
    assert row.status == AnomalyStatus.REFERRED
    assert list(row.events.values_list("action", flat=True)) == ["found", "refer"]
    # A referred finding stays referred when the scan runs again.
    anomalies_scan(year=case.return_date.year)
    row.refresh_from_db()
    assert row.status == AnomalyStatus.REFERRED
    assert client.post(url, {"version": "x", "note": "再"}).status_code == 302  # told, no 5xx
    with pytest.raises(PermissionDenied):
        anomaly_decide(anomaly=row, actor=staff["reviewer"], action="reopen", note="x")


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SUPERVISOR])
def test_nobody_but_the_supervisor_sees_the_cage(client, case, clerk, unit, authority, role):
    _extra_day(case, clerk)
    anomalies_scan(year=case.return_date.year)
    row = Anomaly.objects.first()
    unit_side = role in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.TRAVELLER)
    user = UserFactory(role=role, **({"unit": unit} if unit_side else {"authority": authority}))
    client.force_login(user)
    assert client.get(reverse("reports:anomalies")).status_code == 404
    url = reverse("reports:anomaly_action", args=[row.pk, "explain"])
    assert client.post(url, {"note": "x"}).status_code == 404
    if role in (Role.UNIT_CLERK, Role.UNIT_HEAD):
        page = client.get(reverse("visits:detail", args=[case.pk])).content.decode()
        assert "cage" not in page


def test_trigram_similarity_measures_shared_trigrams():
    assert similarity(SECTION, SECTION) == 1.0
    assert similarity(SECTION, "完全不同的一段文字内容") < 0.2
    assert similarity("", SECTION) == 0.0


def test_the_scan_runs_as_a_daily_job():
    from waiban.outbox.registry import JOBS

    assert JOBS["reports.anomalies_scan"].function is anomalies_scan
    assert timezone.localdate()  # the job takes no arguments
