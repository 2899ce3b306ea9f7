"""The notification outbox: a notice is written once per key, however often it is sent."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from waiban.notices.models import Notice


def notice_send(*, key, recipient, subject, body="", link="") -> Notice | None:
    """Write the notice unless one with this key exists (idempotent); returns the new notice."""
    if Notice.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                key=key, recipient=recipient, subject=subject[:200], body=body, link=link[:200]
            )
            return notice
    except IntegrityError:  # another process sent it in the meantime
        return None


def notices_mark_read(*, recipient) -> int:
    marked = Notice.objects.filter(recipient=recipient, read_at=None).update(read_at=timezone.now())
    return marked
