"""Reads of the notices inbox."""

from waiban.core.shared import shared_get, wanted_on_every_page
from waiban.notices.models import Notice

# Every page shows the badge. Sending or reading forgets the count at once (on commit); with a
# cache per process, the other processes see the change within this many seconds.
UNREAD_SECONDS = 60


def unread_count_key(user_id: int) -> str:
    return f"waiban:unread-notices:{user_id}"


@wanted_on_every_page
def _badge_key(request) -> str | None:
    # The menu of every signed-in page shows the badge.
    user = getattr(request, "user", None)
    return unread_count_key(user.pk) if user is not None and user.is_authenticated else None


def unread_notice_count(user) -> int:
    return shared_get(
        unread_count_key(user.pk),
        lambda: Notice.objects.filter(recipient=user, read_at=None).count(),
        UNREAD_SECONDS,
    )
