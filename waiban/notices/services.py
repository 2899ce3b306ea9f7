"""The notification outbox: a notice is written once per key, however often it is sent."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from waiban.core.shared import shared_forget
from waiban.notices.models import Notice
from waiban.notices.selectors import unread_count_key


def _forget_unread_count(user_id: int) -> None:
    """Now, for this transaction's own next read, and again on commit, in case another
    request counted the old rows in between."""
    shared_forget(unread_count_key(user_id))


def notice_send(*, key, recipient, subject, body="") -> Notice | None:
    """Write the notice unless one with this key exists (idempotent); returns the new notice."""
    if Notice.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                key=key, recipient=recipient, subject=subject[:200], body=body
            )
            _forget_unread_count(recipient.pk)
            return notice
    except IntegrityError:  # another process sent it in the meantime
        return None


def notices_mark_read(*, recipient) -> int:
    marked = Notice.objects.filter(recipient=recipient, read_at=None).update(read_at=timezone.now())
    _forget_unread_count(recipient.pk)
    return marked
