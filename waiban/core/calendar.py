"""Chinese working days: public holidays and adjusted workdays (调休).

Sources, in order: the office's own holiday table (``HolidayDay`` rows, for years the
``chinese-calendar`` package does not know yet, or to correct it), then the package, then
weekends only. The last case is flagged so the UI can warn that deadlines may be off.
"""

import datetime as dt
from functools import lru_cache

import chinese_calendar

from waiban.core.reference import reference


@reference("waiban:holiday-overrides", sources=("core.HolidayDay",))
def office_overrides() -> dict[dt.date, bool]:
    """The office's holiday table: every signed-in page checks whether holiday data is
    missing, and lists draw their traffic lights with it."""
    from waiban.core.models import HolidayDay

    return dict(HolidayDay.objects.values_list("date", "is_workday"))


@lru_cache(maxsize=4096)
def _package_is_workday(day: dt.date) -> bool:
    # The package's answer for a date never changes (and it re-checks its year range on every
    # call): a deadline or lead-time count asks about the same few months again and again.
    return chinese_calendar.is_workday(day)


@lru_cache(maxsize=1)
def _package_years() -> frozenset[int]:
    years = set()
    for year in range(2004, 2100):
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            break
        years.add(year)
    return frozenset(years)


class WorkingCalendar:
    """A snapshot of the holiday sources; build one per request or batch, not per date."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        self.overrides = office_overrides.get() if overrides is None else overrides
        self.office_years = {day.year for day in self.overrides}

    def knows_year(self, year: int) -> bool:
        return year in _package_years() or year in self.office_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in _package_years():
            return _package_is_workday(day)
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date on which ``days`` working days after ``start`` have passed.

        The start day itself does not count: a case received on Friday with a 1-day limit is due
        the next working day.
        """
        day = start
        remaining = days
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative if end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


def years_without_holiday_data(years) -> list[int]:
    calendar = WorkingCalendar()
    return sorted(year for year in set(years) if not calendar.knows_year(year))
