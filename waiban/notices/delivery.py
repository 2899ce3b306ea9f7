"""The worker's side: deliver one queued notice to one user through one channel, once.

The inbox is idempotent by the notice's unique key. E-mail and SMS are logged (NoticeDelivery)
by the same key after sending, and looked up before: a message delivered twice (a worker that
ran it twice, a retry) sends nothing the second time. Between sending and logging a crash may
still send twice; the e-mail then carries the same Message-ID and the SMS the same
Idempotency-Key, by which mail clients and gateways recognise a repeat."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from waiban.accounts.models import User
from waiban.notices.models import Channel, NoticeDelivery, NoticePreference
from waiban.notices.registry import message_for
from waiban.notices.services import notice_send
from waiban.notices.sms import sms_gateway


def _mobile_of(user) -> str:
    """Read with the user (select_related): no query of its own."""
    try:
        return user.notice_preference.mobile or ""
    except NoticePreference.DoesNotExist:
        return ""


def _log(*, key, channel, user, outcome) -> None:
    # One statement, no savepoint: a key logged before (a second delivery) keeps its row.
    NoticeDelivery.objects.bulk_create(
        [NoticeDelivery(key=key, channel=channel, recipient=user, outcome=outcome)],
        ignore_conflicts=True,
    )


def notice_deliver(*, builder, args, user_id, channel, key) -> str:
    """Deliver; returns what happened ("sent", "skipped", "done before", "gone")."""
    users = User.objects.filter(pk=user_id, is_active=True)
    if channel == Channel.SMS:
        users = users.select_related("notice_preference")  # the number, in the same query
    user = users.first()
    if user is None:
        return "gone"
    if channel != Channel.INBOX and NoticeDelivery.objects.filter(key=key).exists():
        return "done before"
    with translation.override(settings.LANGUAGE_CODE):
        message = message_for(builder, args)
    if message is None:  # what it spoke of was deleted
        return "gone"
    if channel == Channel.INBOX:
        notice_send(
            key=key, recipient=user, subject=message.subject, body=message.body, link=message.link
        )
        return "sent"
    if channel == Channel.EMAIL:
        if not user.email:
            _log(key=key, channel=channel, user=user, outcome=NoticeDelivery.Outcome.SKIPPED)
            return "skipped"
        body = message.body
        if message.link and settings.WAIBAN_SITE_URL:
            body = f"{body}\n\n{settings.WAIBAN_SITE_URL.rstrip('/')}{message.link}"
        email = EmailMessage(
            subject=message.subject,
            body=body,
            to=[user.email],
            headers={"Message-ID": f"<{key.replace(':', '.')}@waiban>"},
        )
        email.send()
    elif channel == Channel.SMS:
        phone = _mobile_of(user)
        if not phone:
            _log(key=key, channel=channel, user=user, outcome=NoticeDelivery.Outcome.SKIPPED)
            return "skipped"
        sms_gateway().send(phone=phone, text=message.sms, key=key)
    _log(key=key, channel=channel, user=user, outcome=NoticeDelivery.Outcome.SENT)
    return "sent"
