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


def notice_preferences_save(*, user, preference, email, new_mobile, forget_mobile) -> None:
    """Save a user's own channels, quiet hours, e-mail address and mobile number; audited
    (whether the number changed, never the number)."""
    from waiban.core.audit import audit_record

    with transaction.atomic():
        changed_mobile = bool(new_mobile) or (forget_mobile and preference.has_mobile)
        if new_mobile:
            preference.mobile = new_mobile
        elif forget_mobile:
            preference.mobile = ""
        preference.user = user
        preference.save()
        old_email = user.email
        if email != old_email:
            user.email = email
            user.save(update_fields=["email"])
        audit_record(
            actor=user,
            action="notices.preferences",
            obj=preference,
            new={
                "email_on": preference.email_on,
                "sms_on": preference.sms_on,
                "quiet": f"{preference.quiet_from:%H:%M}-{preference.quiet_until:%H:%M}",
                "mobile_changed": changed_mobile,
                "email_changed": email != old_email,
            },
        )
