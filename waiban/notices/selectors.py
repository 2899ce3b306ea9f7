"""Reads of the notices inbox."""

from django.core.cache import cache

from waiban.notices.models import Notice

# Every page shows the badge. Sending or reading forgets the count at once (on commit); with a
# cache per process, the other processes see the change within this many seconds.
UNREAD_SECONDS = 60


def unread_count_key(user_id: int) -> str:
    return f"waiban:unread-notices:{user_id}"


def unread_notice_count(user) -> int:
    key = unread_count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notice.objects.filter(recipient=user, read_at=None).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count
