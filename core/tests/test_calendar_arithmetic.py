"""Working-day arithmetic (LEGAL.md §7) on the seeded official calendar and on provisional years."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import CalendarUnavailable, ValidationFailed
from core.services import calendar as cal
from core.services.calendar import CalendarSnapshot, provisional_holidays

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def snap():
    return cal.calendar_snapshot(today=D(2026, 6, 1))


def test_given_official_2026_when_adding_one_workday_to_sept_30_then_national_day_block_is_skipped(snap):
    # 国办 notice for 2026: 10-01 … 10-07 off, 10-08 (Thursday) is the first working day again,
    # 09-20 (Sunday) and 10-10 (Saturday) are make-up working days.
    assert snap.add_workdays(D(2026, 9, 30), 1) == (D(2026, 10, 8), False)
    assert snap.add_workdays(D(2026, 9, 30), 2).date == D(2026, 10, 9)
    assert snap.add_workdays(D(2026, 9, 30), 3).date == D(2026, 10, 10)
    assert snap.is_workday(D(2026, 9, 20))


def test_given_spring_festival_2026_then_the_whole_block_is_rest_and_make_up_saturdays_are_workdays(snap):
    for day in range(15, 24):
        assert not snap.is_workday(D(2026, 2, day)), day
    assert snap.is_workday(D(2026, 2, 14)) and snap.is_workday(D(2026, 2, 28))
    # Friday 13th + 1 WD = the make-up Saturday 14th; Saturday 14th + 1 WD = Tuesday 24th.
    assert snap.add_workdays(D(2026, 2, 13), 1).date == D(2026, 2, 14)
    assert snap.add_workdays(D(2026, 2, 14), 1).date == D(2026, 2, 24)
    assert snap.workdays_between(D(2026, 2, 13), D(2026, 2, 28)).days == 6  # 14, 24, 25, 26, 27, 28
    assert snap.workdays_between(D(2026, 2, 27), D(2026, 3, 2)).days == 2  # 28 (make-up), 2


def test_start_day_is_not_counted_and_zero_returns_the_start(snap):
    assert snap.add_workdays(D(2026, 3, 2), 1).date == D(2026, 3, 3)
    assert snap.add_workdays(D(2026, 3, 7), 0).date == D(2026, 3, 7)
    assert snap.add_workdays(D(2026, 3, 7), 1).date == D(2026, 3, 9)  # Saturday start: Monday is day 1
    assert snap.add_workdays(D(2026, 3, 9), -1).date == D(2026, 3, 6)


def test_calendar_days_move_a_last_day_on_a_rest_day_to_the_next_working_day(snap):
    assert snap.add_calendar_days(D(2026, 9, 16), 15).date == D(2026, 10, 8)  # 10-01 holiday → 10-08
    assert snap.add_calendar_days(D(2026, 3, 2), 5).date == D(2026, 3, 9)  # Saturday → Monday
    assert snap.add_calendar_days(D(2026, 3, 2), 3).date == D(2026, 3, 5)
    with pytest.raises(ValidationFailed):
        snap.add_calendar_days(D(2026, 3, 2), -1)


def test_months_end_on_the_matching_day_else_month_end_then_rest_day_rule(snap):
    # 2026-02-28 is a make-up working day (Saturday), so the month-end result stays on it.
    assert snap.add_months(D(2026, 1, 31), 1).date == D(2026, 2, 28)
    assert cal.months_later(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert snap.add_months(D(2025, 12, 31), 2).date == D(2026, 2, 28)
    assert snap.add_months(D(2026, 3, 15), 6).date == D(2026, 9, 15)
    assert snap.add_months(D(2026, 7, 3), 3).date == D(2026, 10, 8)


def test_official_results_are_not_provisional_and_results_in_a_provisional_year_are():
    snap = cal.calendar_snapshot(today=D(2026, 6, 1))
    assert 2027 in snap.provisional_years and 2026 not in snap.provisional_years
    r = snap.add_workdays(D(2026, 12, 30), 3)
    assert r.provisional and r.date == D(2027, 1, 5)  # 12-31, (01-01 元旦), 01-04, 01-05
    assert not snap.add_workdays(D(2026, 12, 1), 3).provisional
    assert snap.workdays_between(D(2026, 12, 1), D(2027, 1, 10)).provisional


def test_years_without_data_are_refused_with_calendar_unavailable():
    snap = cal.calendar_snapshot(today=D(2026, 6, 1))
    assert snap.last_year == 2031
    with pytest.raises(CalendarUnavailable) as err:
        snap.add_workdays(D(2032, 1, 5), 1)
    assert err.value.code == "calendar_unavailable" and "2032" in err.value.message
    with pytest.raises(CalendarUnavailable):
        snap.add_workdays(D(2003, 12, 31), 1)
    with pytest.raises(CalendarUnavailable):
        snap.add_workdays(D(2031, 12, 20), 30)


def test_months_beyond_the_month_end_the_next_day_rolls(snap):
    # 2026-05-31 is a Sunday: one month from 04-30 is 05-30 (Saturday) → Monday 06-01.
    assert snap.add_months(D(2026, 4, 30), 1).date == D(2026, 6, 1)


# --- provisional years -----------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_provisional_algorithm_gives_a_subset_of_the_official_days_off(year):
    from core.services.calendar import official_package_days

    hol, wrk = official_package_days(year)
    computed = provisional_holidays(year)
    assert len([d for d in computed if "补假" not in computed[d]]) == 13  # 795号令: 13 statutory days
    off = {d for d in hol} | {d for d in (D(year, 1, 1) + dt.timedelta(days=i) for i in range(366))
                                if d.year == year and d.weekday() >= 5 and d not in wrk}
    assert set(computed) <= off, sorted(set(computed) - off)


def test_provisional_2027_has_the_lunar_and_solar_term_holidays_and_makeup_days_off():
    days = provisional_holidays(2027)
    # 春节 2027: 除夕 02-05 (Friday) … 初三 02-08; 02-06/07 fall on the weekend → 02-09, 02-10 off.
    for d in (D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)):
        assert days[d] == "春节"
    assert days[D(2027, 2, 9)].startswith("春节") and days[D(2027, 2, 10)].startswith("春节")
    assert days[D(2027, 4, 5)] == "清明节"
    assert days[D(2027, 6, 9)] == "端午节"
    assert days[D(2027, 9, 15)] == "中秋节"
    # 国庆 10-02/10-03 are Saturday/Sunday → 10-04 and 10-05 off.
    assert days[D(2027, 10, 4)].endswith("（补假）") and days[D(2027, 10, 5)].endswith("（补假）")
    assert D(2027, 10, 6) not in days


def test_provisional_year_is_stored_once_and_marked_in_the_table():
    from core.models import CalendarYear, WorkdayOverride

    cal.calendar_snapshot(today=D(2026, 6, 1))
    cal.calendar_snapshot(today=D(2026, 6, 1))
    row = CalendarYear.objects.get(year=2027)
    assert row.source == CalendarYear.Source.PROVISIONAL
    stored = WorkdayOverride.objects.filter(date__year=2027, provisional=True).count()
    assert stored == len(provisional_holidays(2027))
    assert CalendarYear.objects.filter(year=2027).count() == 1


# --- properties --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixed_snap():
    """A snapshot independent of the database: official days 2004–2026 + provisional 2027–2029."""
    from core.services.calendar import official_package_days

    overrides: dict[dt.date, bool] = {}
    for y in range(2004, 2027):
        hol, wrk = official_package_days(y)
        overrides.update({d: False for d in hol})
        overrides.update({d: True for d in wrk})
    for y in range(2027, 2030):
        overrides.update({d: False for d in provisional_holidays(y)})
    return CalendarSnapshot(
        first_year=2004, last_year=2029, overrides=overrides, provisional_years=[2027, 2028, 2029]
    )


days = st.dates(min_value=D(2004, 1, 1), max_value=D(2028, 12, 31))
counts = st.integers(min_value=0, max_value=200)


@settings(max_examples=400, deadline=None)
@given(d=days, n=counts)
def test_property_add_then_count_round_trips(fixed_snap, d, n):
    r = fixed_snap.add_workdays(d, n)
    assert fixed_snap.workdays_between(d, r.date).days == n


@settings(max_examples=400, deadline=None)
@given(d=days, n=st.integers(min_value=1, max_value=200))
def test_property_result_is_a_working_day_after_the_start(fixed_snap, d, n):
    r = fixed_snap.add_workdays(d, n).date
    assert r > d and fixed_snap.is_workday(r)
    # and no working day is skipped: the day before the result is the (n-1)-th one
    assert fixed_snap.workdays_between(d, r - dt.timedelta(days=1)).days == n - 1


@settings(max_examples=300, deadline=None)
@given(a=days, b=days, n=counts)
def test_property_monotonic_in_start_and_in_n(fixed_snap, a, b, n):
    lo, hi = min(a, b), max(a, b)
    assert fixed_snap.add_workdays(lo, n).date <= fixed_snap.add_workdays(hi, n).date
    assert fixed_snap.add_workdays(lo, n).date <= fixed_snap.add_workdays(lo, n + 1).date


@settings(max_examples=300, deadline=None)
# Start early enough that start + 400 days (+ a roll forward) stays inside the snapshot (to 2029).
@given(d=st.dates(min_value=D(2004, 1, 1), max_value=D(2028, 6, 30)),
       n=st.integers(min_value=0, max_value=400))
def test_property_calendar_days_land_on_a_working_day_no_earlier_than_start_plus_n(fixed_snap, d, n):
    r = fixed_snap.add_calendar_days(d, n).date
    raw = d + dt.timedelta(days=n)
    assert r >= raw and fixed_snap.is_workday(r)
    assert all(not fixed_snap.is_workday(raw + dt.timedelta(days=k)) for k in range((r - raw).days))


@settings(max_examples=300, deadline=None)
@given(d=days, n=st.integers(min_value=1, max_value=200))
def test_property_backwards_undoes_forwards_from_a_working_day(fixed_snap, d, n):
    start = fixed_snap.roll_forward(d).date
    assert fixed_snap.add_workdays(fixed_snap.add_workdays(start, n).date, -n).date == start


@settings(max_examples=200, deadline=None)
@given(d=days, n=counts)
def test_property_provisional_exactly_when_the_period_reaches_a_provisional_year(fixed_snap, d, n):
    r = fixed_snap.add_workdays(d, n)
    touches = any(y >= 2027 for y in range((d + dt.timedelta(days=1)).year, r.date.year + 1)) and r.date > d
    assert r.provisional == touches
