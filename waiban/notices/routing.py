"""Who is told, through which channels: the defaults per audience, the office's own routes
(NoticeRoute rows, cached as reference data), and each user's preferences and quiet hours.

``notices_queue`` writes one outbox row per recipient and channel in the caller's transaction;
the worker delivers them (waiban.notices.delivery)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from waiban.core.reference import reference
from waiban.notices.models import Channel, NoticePreference, NoticeRoute
from waiban.outbox.services import outbox_add_many

TOPIC = "notices.deliver"
ALL = frozenset(Channel.values)
# The unit hears of its cases on every channel; the office staff see their queues in the app
# and by e-mail (they sit at the system all day); travellers get the short SMS.
DEFAULT_CHANNELS = {
    "unit": ALL,
    "unit_head": ALL,
    "members": frozenset({Channel.INBOX, Channel.SMS}),
    "next": frozenset({Channel.INBOX, Channel.EMAIL}),
    "office": frozenset({Channel.INBOX, Channel.EMAIL}),
}


@reference("waiban:notice-routes", sources=("notices.NoticeRoute",))
def office_routes() -> dict[tuple[str, str, str], frozenset]:
    return {(r.workflow, r.action, r.audience): r.channels for r in NoticeRoute.objects.all()}


def channels_for(workflow: str, action: str, audience: str) -> frozenset:
    routes = office_routes.get()
    if (workflow, action, audience) in routes:
        return routes[(workflow, action, audience)]
    return DEFAULT_CHANNELS.get(audience, frozenset({Channel.INBOX}))


def _next_loud_moment(preference, now) -> dt.datetime | None:
    """When an SMS may go out, if ``now`` is within the user's quiet hours; else None."""
    local = timezone.localtime(now)
    if not preference.is_quiet(local.time().replace(tzinfo=None)):
        return None
    until = local.replace(
        hour=preference.quiet_until.hour,
        minute=preference.quiet_until.minute,
        second=0,
        microsecond=0,
    )
    if until <= local:
        until += dt.timedelta(days=1)
    return until


def _preference_of(user) -> NoticePreference:
    """The user's preferences, or the defaults. Read with the user: callers load recipients
    with select_related("notice_preference"), so this costs no query."""
    try:
        return user.notice_preference
    except NoticePreference.DoesNotExist:
        return NoticePreference(user=user)


def notices_queue(*, ref: str, recipients: dict, builder: str, args: dict, now=None) -> int:
    """Queue the message ``builder(**args)`` for each user of ``recipients`` (user ->
    channels; users read with select_related("notice_preference")), once per ``ref``: the key of each row is ``notice:<ref>:<user>:<channel>``, so
    queueing the same ref again (a re-run job) adds nothing. Returns the rows newly written."""
    now = now or timezone.now()
    users = [u for u in recipients if u.is_active]
    sms_on = settings.WAIBAN_SMS["backend"] != "none"
    rows = []
    for user in users:
        preference = _preference_of(user)
        for channel in sorted(recipients[user]):
            run_after = None
            if channel == Channel.EMAIL and not (preference.email_on and user.email):
                continue
            if channel == Channel.SMS:
                if not (sms_on and preference.sms_on and preference.has_mobile):
                    continue
                run_after = _next_loud_moment(preference, now)
            key = f"notice:{ref}:{user.pk}:{channel}"
            payload = {
                "builder": builder,
                "args": args,
                "user_id": user.pk,
                "channel": channel,
                "key": key,
            }
            rows.append((key, payload, run_after))
    return outbox_add_many(topic=TOPIC, rows=rows)
