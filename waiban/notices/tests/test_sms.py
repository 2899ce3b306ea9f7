"""SMS through a real local gateway: sent once per notice whatever the worker does, retried
with back-off when the gateway fails, held back in quiet hours, the number kept encrypted."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from waiban.notices.models import NoticeDelivery, NoticePreference
from waiban.outbox.models import OutboxMessage
from waiban.testing.factories import DelegationFactory
from waiban.testing.outbox import deliver_outbox
from waiban.visits import workflow

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def wants_sms(clerk):
    return NoticePreference.objects.create(
        user=clerk, mobile=PHONE, quiet_from=dt.time(0, 0), quiet_until=dt.time(0, 0)
    )


def _send_back(unit, clerk, staff):
    case = DelegationFactory(unit=unit, created_by=clerk, submitted=True)
    workflow.delegation_send_back(
        delegation=case, actor=staff["window_clerk"], items=[("invitation", "邀请函无签名")]
    )
    return case


def _sms_rows():
    return OutboxMessage.objects.filter(topic="notices.deliver", payload__channel="sms")


def test_the_gateway_receives_one_short_message_without_personal_numbers(
    sms_gateway, wants_sms, unit, clerk, staff
):
    case = _send_back(unit, clerk, staff)
    deliver_outbox()
    assert len(sms_gateway.received) == 1
    request = sms_gateway.received[0]
    assert request["body"]["phone"] == PHONE
    assert case.case_number in request["body"]["text"]
    assert request["headers"]["Authorization"] == "Bearer test-token"
    member = case.members.first().person
    assert member.id_number not in request["body"]["text"]
    # The number is stored encrypted.
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile FROM notices_noticepreference")
        assert PHONE not in cursor.fetchone()[0]

    # The worker running the same message again sends nothing.
    _sms_rows().update(state=OutboxMessage.State.PENDING)
    deliver_outbox()
    assert len(sms_gateway.received) == 1


def test_a_failing_gateway_is_retried_later_and_the_message_goes_once(
    sms_gateway, wants_sms, unit, clerk, staff
):
    sms_gateway.answers = [(503, 0)]
    _send_back(unit, clerk, staff)
    deliver_outbox()
    row = _sms_rows().get()
    assert row.state == OutboxMessage.State.PENDING and row.attempts == 1
    assert "http_503" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert not NoticeDelivery.objects.exists()

    deliver_outbox(now=row.next_attempt_at + dt.timedelta(seconds=1))
    row.refresh_from_db()
    assert row.state == OutboxMessage.State.DONE
    assert len(sms_gateway.received) == 2
    assert len(set(sms_gateway.keys())) == 1  # the same message to the gateway both times
    assert NoticeDelivery.objects.get().outcome == "sent"


def test_a_timeout_is_retried_with_the_same_idempotency_key(
    sms_gateway, wants_sms, unit, clerk, staff
):
    sms_gateway.answers = [(200, 2.5)]  # answers after the client's 1 s timeout
    _send_back(unit, clerk, staff)
    deliver_outbox()
    row = _sms_rows().get()
    assert row.state == OutboxMessage.State.PENDING
    deliver_outbox(now=row.next_attempt_at + dt.timedelta(seconds=1))
    keys = sms_gateway.keys()
    assert len(keys) == 2 and keys[0] == keys[1]  # the gateway can tell it is one message
    assert NoticeDelivery.objects.count() == 1


def test_quiet_hours_hold_the_sms_but_not_the_inbox(sms_gateway, clerk, unit, staff):
    NoticePreference.objects.create(
        user=clerk, mobile=PHONE, quiet_from=dt.time(0, 0), quiet_until=dt.time(23, 59)
    )
    _send_back(unit, clerk, staff)
    deliver_outbox()
    assert sms_gateway.received == []
    assert clerk.notices.count() == 1
    row = _sms_rows().get()
    assert row.next_attempt_at > timezone.now()


def test_no_mobile_or_sms_switched_off_queues_no_sms(sms_gateway, clerk, unit, staff):
    NoticePreference.objects.create(user=clerk, mobile=PHONE, sms_on=False)
    _send_back(unit, clerk, staff)
    assert not _sms_rows().exists()
