import datetime as dt

import pytest
from django.utils import timezone

from waiban.core.audit import AuditEvent
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.documents.selectors import code_verify
from waiban.documents.trust import Status
from waiban.visas import services
from waiban.visas.models import Embassy, VisaBatchEvent
from waiban.visas.needs import trip_visas
from waiban.visas.notes import visa_note_current
from waiban.visas.tests.conftest import three_country_trip

TODAY = timezone.localdate


def _send(batch, officer, **kw):
    kw.setdefault("courier", "广西驻京办 李明")
    kw.setdefault("sent_on", TODAY())
    return services.visa_batch_send(batch=batch, actor=officer, **kw)


def _grant(application, officer, **kw):
    values = dict(
        result="granted",
        visa_number="V1234567",
        valid_from=TODAY(),
        valid_until=TODAY() + dt.timedelta(days=90),
        entries="single",
        stay_days=30,
    )
    values.update(kw)
    return services.visa_result_record(application=application, actor=officer, **values)


def test_a_batch_lists_every_member_and_its_note_verifies_valid(
    unit, regimes, signing_keys, visa_officer, batch_of
):
    delegation = three_country_trip(unit)
    batch = batch_of(delegation)
    assert batch.applications.count() == 3
    note = visa_note_current(batch)
    assert note is not None and note.kind == "visa_note"
    verdict = code_verify(note.qr_text)
    assert verdict.status == Status.VALID
    assert verdict.claims.facts.countries == ["DE"]
    assert len(verdict.claims.facts.members) == 3
    # No passport number in the signed code.
    for application in batch.applications.select_related("passport"):
        assert application.passport.number not in note.qr_text
    assert AuditEvent.objects.filter(action="visa_batch.create").exists()


def test_the_whole_round_sent_results_back_with_history(
    unit, regimes, signing_keys, visa_officer, batch_of
):
    delegation = three_country_trip(unit)
    batch = batch_of(delegation)
    batch = _send(batch, visa_officer)
    assert batch.state == "sent"
    # The expected return follows the embassy's lead time by default.
    assert batch.expected_back == TODAY() + dt.timedelta(days=15)
    applications = list(batch.applications.all())
    with pytest.raises(ServiceError) as caught:
        services.visa_batch_receive(batch=batch, actor=visa_officer, back_on=TODAY())
    assert caught.value.code == "results_missing"
    _grant(applications[0], visa_officer)
    services.visa_result_record(application=applications[1], actor=visa_officer, result="refused")
    services.visa_result_record(application=applications[2], actor=visa_officer, result="returned")
    batch.refresh_from_db()
    batch = services.visa_batch_receive(batch=batch, actor=visa_officer, back_on=TODAY())
    assert batch.state == "back"
    actions = list(VisaBatchEvent.objects.filter(batch=batch).values_list("action", flat=True))
    assert actions == ["create", "send", "result", "result", "result", "receive"]
    # The visa's number is recorded, but not written into the audit trail.
    audit = AuditEvent.objects.filter(action="visa_batch.result").first()
    assert "V1234567" not in str(audit.new_values)
    statuses = {n.member.pk: n for n in trip_visas(delegation).needs if n.country == "DE"}
    assert statuses[applications[0].member_id].application.result == "granted"


def test_a_refused_member_can_go_in_a_new_batch_but_a_granted_one_not(
    unit, regimes, signing_keys, visa_officer, batch_of
):
    delegation = three_country_trip(unit)
    batch = _send(batch_of(delegation), visa_officer)
    first, second, third = batch.applications.all()
    _grant(first, visa_officer)
    _grant(second, visa_officer)
    services.visa_result_record(application=third, actor=visa_officer, result="refused")
    services.visa_batch_receive(batch=batch, actor=visa_officer, back_on=TODAY())
    again = batch_of(delegation)
    assert list(again.applications.values_list("member_id", flat=True)) == [third.member_id]


def test_a_second_open_batch_for_the_same_embassy_is_refused(
    unit, regimes, signing_keys, visa_officer, batch_of
):
    delegation = three_country_trip(unit)
    batch_of(delegation)
    with pytest.raises(ServiceError) as caught:
        batch_of(delegation)
    assert caught.value.code == "batch_open"


def test_an_exempt_country_gives_nothing_to_send(unit, regimes, visa_officer, batch_of):
    delegation = three_country_trip(unit)
    with pytest.raises(ServiceError) as caught:
        batch_of(delegation, country="TH")
    assert caught.value.code == "nothing_to_send"


def test_a_draft_trip_gets_no_batch(unit, regimes, visa_officer, batch_of):
    delegation = three_country_trip(unit, state="draft")
    with pytest.raises(ServiceError) as caught:
        batch_of(delegation)
    assert caught.value.code == "not_approved"


@pytest.mark.parametrize(
    "kw, code",
    [
        ({"courier": ""}, "courier_required"),
        ({"courier": "x" * 101}, "too_long"),
        ({"sent_on": None}, "date_required"),
        ({"sent_on": dt.date(2999, 1, 1)}, "date_in_future"),
        ({"expected_back": dt.date(2000, 1, 1)}, "back_before_sent"),
    ],
)
def test_sending_refuses_bad_input(unit, regimes, signing_keys, visa_officer, batch_of, kw, code):
    batch = batch_of(three_country_trip(unit))
    with pytest.raises(ServiceError) as caught:
        _send(batch, visa_officer, **kw)
    assert caught.value.code == code
    batch.refresh_from_db()
    assert batch.state == "preparing"


@pytest.mark.parametrize(
    "kw, code",
    [
        ({"result": "pending"}, "bad_result"),
        ({"visa_number": ""}, "visa_number_required"),
        ({"valid_from": None}, "validity_required"),
        ({"valid_until": dt.date(2000, 1, 1)}, "validity_reversed"),
        ({"entries": ""}, "entries_required"),
    ],
)
def test_a_grant_needs_its_visa_details(
    unit, regimes, signing_keys, visa_officer, batch_of, kw, code
):
    batch = _send(batch_of(three_country_trip(unit)), visa_officer)
    with pytest.raises(ServiceError) as caught:
        _grant(batch.applications.first(), visa_officer, **kw)
    assert caught.value.code == code


def test_results_wait_until_the_batch_is_sent(unit, regimes, signing_keys, visa_officer, batch_of):
    batch = batch_of(three_country_trip(unit))
    with pytest.raises(ServiceError) as caught:
        _grant(batch.applications.first(), visa_officer)
    assert caught.value.code == "not_sent"


def test_cancelling_revokes_the_note(unit, regimes, signing_keys, visa_officer, batch_of):
    batch = batch_of(three_country_trip(unit))
    note = visa_note_current(batch)
    with pytest.raises(ServiceError):
        services.visa_batch_cancel(batch=batch, actor=visa_officer, reason=" ")
    services.visa_batch_cancel(batch=batch, actor=visa_officer, reason="trip postponed")
    batch.refresh_from_db()
    assert batch.state == "cancelled"
    assert visa_note_current(batch) is None
    assert code_verify(note.qr_text).status == Status.REVOKED


def test_a_stale_version_is_refused(unit, regimes, signing_keys, visa_officer, batch_of):
    batch = batch_of(three_country_trip(unit))
    with pytest.raises(StateConflict):
        _send(batch, visa_officer, expected_version=batch.version + 5)


def test_only_the_offices_visa_officers_move_a_batch(
    unit, regimes, signing_keys, visa_officer, batch_of, staff
):
    from waiban.accounts.roles import Role
    from waiban.testing.factories import UserFactory

    batch = batch_of(three_country_trip(unit))
    for actor in staff.values():
        with pytest.raises(PermissionDenied):
            _send(batch, actor)
    elsewhere = UserFactory(role=Role.VISA_OFFICER)
    with pytest.raises(PermissionDenied) as caught:
        _send(batch, elsewhere)
    assert caught.value.code == "not_found"
    with pytest.raises(PermissionDenied):
        services.visa_batch_create(
            delegation=batch.delegation,
            embassy=Embassy.objects.get(country="IE"),
            actor=staff["reviewer"],
        )


def test_the_unit_is_told_when_the_passports_go_and_come_back(
    unit, clerk, regimes, signing_keys, visa_officer, batch_of, django_capture_on_commit_callbacks
):
    from waiban.notices.models import Notice

    batch = batch_of(three_country_trip(unit))
    with django_capture_on_commit_callbacks(execute=True):
        _send(batch, visa_officer)
    notice = Notice.objects.filter(recipient=clerk).first()
    assert notice is not None and batch.delegation.case_number in notice.subject


def test_a_late_batch_tells_the_visa_officer_once_per_period(
    unit, regimes, signing_keys, visa_officer, batch_of, django_capture_on_commit_callbacks
):
    from waiban.notices.models import Notice
    from waiban.visas.reminders import visa_batches_remind

    batch = _send(batch_of(three_country_trip(unit)), visa_officer)
    due = batch.expected_back
    assert visa_batches_remind(today=due) == 0  # not late yet
    with django_capture_on_commit_callbacks(execute=True):
        assert visa_batches_remind(today=due + dt.timedelta(days=1)) == 1
        assert visa_batches_remind(today=due + dt.timedelta(days=2)) == 0  # same period
    notice = Notice.objects.get(recipient=visa_officer)
    assert batch.delegation.case_number in notice.subject and due.isoformat() in notice.subject


def test_a_batch_with_a_member_without_passport_is_not_sent(
    unit, regimes, signing_keys, visa_officer, batch_of
):
    from waiban.passports.models import Passport

    delegation = three_country_trip(unit)
    member = delegation.members.last()
    Passport.objects.filter(person=member.person).update(status="cancelled")
    batch = batch_of(delegation)
    with pytest.raises(ServiceError) as caught:
        _send(batch, visa_officer)
    assert caught.value.code == "passport_missing"
    assert member.person.name_zh in caught.value.message
