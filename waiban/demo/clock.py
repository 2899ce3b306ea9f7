"""A simulated clock, so the showcase cases have a past.

The service functions stamp everything with ``django.utils.timezone.now()`` (their own times,
``auto_now_add`` fields, deadlines counted from that day). Running them under a clock set to
"four working days ago" gives the demo a real timeline, with cases that are on time, due soon and
overdue, without writing a single history row by hand.
"""

import contextlib
import datetime as dt
from unittest import mock

from django.utils import timezone

from waiban.core.calendar import WorkingCalendar


@contextlib.contextmanager
def clock_at(moment: dt.datetime):
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def working_days_before(calendar: WorkingCalendar, day: dt.date, n: int) -> dt.date:
    while n > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


def office_time(day: dt.date, rng, *, start_hour=9, end_hour=17) -> dt.datetime:
    """A moment during office hours of ``day``, in the project's time zone."""
    minutes = rng.randrange(start_hour * 60, end_hour * 60)
    naive = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60, rng.randrange(60)))
    return timezone.make_aware(naive)


def job_time(day: dt.date, rng) -> dt.datetime:
    """When the daily jobs run on ``day``: early in the morning, before the office opens."""
    naive = dt.datetime.combine(day, dt.time(6, rng.randrange(30), rng.randrange(60)))
    return timezone.make_aware(naive)
