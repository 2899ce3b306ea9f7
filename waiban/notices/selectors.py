"""Reads of the notices inbox."""

from waiban.notices.models import Notice


def unread_notice_count(user) -> int:
    """The menu's badge: one indexed count per page, always as the database has it."""
    return Notice.objects.filter(recipient=user, read_at=None).count()
