"""What runs in the background, by name: outbox handlers by topic, periodic jobs by name.

Register in your app's ``background.py`` (imported at start-up by ``OutboxConfig.ready``)::

    from waiban.outbox.registry import outbox_handler, periodic_job

    @outbox_handler("visits.notify_unit")
    def notify_unit(*, delegation_id):  # called with the message's payload as keywords
        ...  # must be idempotent: a message may be delivered more than once

    @periodic_job("visits.follow_trip_dates", daily_at="05:00")
    def follow_trip_dates():
        ...
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

HANDLERS: dict[str, Callable] = {}
JOBS: dict[str, "PeriodicJobSpec"] = {}


class UnknownTopic(LookupError):
    pass


def outbox_handler(topic: str):
    """Register the function that delivers the messages of ``topic``."""

    def register(function: Callable) -> Callable:
        known = HANDLERS.get(topic)
        # Re-importing the same module (autoreload, tests) registers the same function again.
        if known is not None and known.__qualname__ != function.__qualname__:
            raise ValueError(f"two handlers for outbox topic {topic!r}")
        HANDLERS[topic] = function
        return function

    return register


def handler_for(topic: str) -> Callable:
    try:
        return HANDLERS[topic]
    except KeyError:
        raise UnknownTopic(f"no outbox handler for topic {topic!r}") from None


@dataclass(frozen=True)
class PeriodicJobSpec:
    name: str
    function: Callable
    daily_at: dt.time | None = None  # local time (settings.TIME_ZONE)
    every: dt.timedelta | None = None


def periodic_job(name: str, *, daily_at: str | None = None, every: dt.timedelta | None = None):
    """Register a job run once a day at ``daily_at`` ("HH:MM", local time) or once per ``every``,
    by one worker among all of them; it runs as an outbox message, so a failure is retried."""
    if (daily_at is None) == (every is None):
        raise ValueError("give a periodic job either daily_at or every")
    at = dt.time.fromisoformat(daily_at) if daily_at else None

    def register(function: Callable) -> Callable:
        JOBS[name] = PeriodicJobSpec(name=name, function=function, daily_at=at, every=every)
        return function

    return register
