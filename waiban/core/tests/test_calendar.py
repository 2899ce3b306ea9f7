"""Working days: Chinese public holidays and adjusted workdays (调休), office table, fallback."""

import datetime as dt

import pytest

from waiban.core.calendar import WorkingCalendar, years_without_holiday_data
from waiban.core.models import HolidayDay

D = dt.date


@pytest.mark.parametrize(
    "start, days, due",
    [
        (D(2026, 11, 20), 1, D(2026, 11, 23)),  # Friday + 1 working day = Monday
        (D(2026, 11, 23), 3, D(2026, 11, 26)),  # an ordinary week
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # National Day: 1-7 October 2026 off
        (D(2026, 9, 24), 1, D(2026, 9, 28)),  # Mid-autumn: 25-27 September 2026 off
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # Saturday 10 October 2026 is an adjusted workday
    ],
)
def test_deadlines_skip_weekends_and_public_holidays(start, days, due):
    calendar = WorkingCalendar(overrides={})
    assert calendar.add_working_days(start, days) == due


def test_an_adjusted_working_weekend_day_counts_and_an_ordinary_weekend_does_not():
    calendar = WorkingCalendar(overrides={})
    assert calendar.is_workday(D(2026, 9, 20))  # Sunday, adjusted workday (调休)
    assert not calendar.is_workday(D(2026, 9, 13))  # an ordinary Sunday
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2


def test_years_the_package_does_not_know_fall_back_to_weekends_and_are_flagged(db):
    calendar = WorkingCalendar()
    assert not calendar.knows_year(2031)
    assert calendar.add_working_days(D(2031, 1, 31), 1) == D(2031, 2, 3)  # Fri -> Mon
    assert years_without_holiday_data([2026, 2031]) == [2031]


def test_the_offices_own_holiday_table_fills_an_unknown_year(db):
    HolidayDay.objects.create(date=D(2031, 2, 3), is_workday=False, name="春节")
    HolidayDay.objects.create(date=D(2031, 2, 8), is_workday=True, name="春节调休")
    calendar = WorkingCalendar()
    assert calendar.knows_year(2031)
    assert calendar.add_working_days(D(2031, 1, 31), 1) == D(2031, 2, 4)
    assert calendar.is_workday(D(2031, 2, 8))  # a Saturday made a working day
    assert years_without_holiday_data([2031]) == []


def test_staff_see_a_warning_when_this_years_holidays_are_unknown(client, db, staff, monkeypatch):
    monkeypatch.setattr(
        "waiban.core.context_processors.years_without_holiday_data", lambda years: [2031]
    )
    client.force_login(staff["window_clerk"])
    html = client.get("/delegations/workbench/").content.decode()
    assert "2031" in html and "alert-warning" in html


def test_a_holiday_entered_by_the_office_counts_at_once_although_the_table_is_cached(db):
    assert WorkingCalendar().is_workday(D(2031, 2, 4))  # a Tuesday, cached as a working day
    HolidayDay.objects.create(date=D(2031, 2, 4), is_workday=False, name="春节")
    assert not WorkingCalendar().is_workday(D(2031, 2, 4))
