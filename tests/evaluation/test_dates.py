"""Window and freeze dates, checked against dateutil's independent calendar arithmetic."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from evaluation import dates

CASES = [
    date(2026, 1, 31),  # + 9 months lands on 31 October, + 15 on 30 April (clamped), + 6 on 31 July
    date(2024, 2, 29),  # leap day: + 9 is 29 November, + 15 is 29 May, + 12 would be 28 February
    date(2027, 5, 31),  # + 9 is 29 February 2028 (leap year), + 15 is 31 August
    date(2026, 5, 31),  # + 9 is 28 February 2027 (common year)
    date(2026, 11, 30),  # + 15 is 29 February 2028 (no 30 February), + 9 is 30 August
    date(2026, 3, 14),
    date(2026, 12, 1),
    date(2026, 6, 30),
]


@pytest.mark.parametrize("move_in", CASES, ids=str)
def test_window_opens_nine_calendar_months_after(move_in):
    assert dates.window_opens(move_in) == move_in + relativedelta(months=9)


@pytest.mark.parametrize("move_in", CASES, ids=str)
def test_window_closes_fifteen_calendar_months_after(move_in):
    assert dates.window_closes(move_in) == move_in + relativedelta(months=15)


@pytest.mark.parametrize("move_in", CASES, ids=str)
def test_freeze_ends_by_default_nine_months_after(move_in):
    assert dates.freeze_default_end(move_in) == move_in + relativedelta(months=9)


@pytest.mark.parametrize("move_in", CASES, ids=str)
def test_freeze_cannot_end_before_six_months(move_in):
    assert dates.freeze_earliest_end(move_in) == move_in + relativedelta(months=6)


@pytest.mark.parametrize("move_in", CASES, ids=str)
def test_window_closing_starts_one_month_before_it_closes(move_in):
    assert dates.window_closing_from(move_in) == move_in + relativedelta(months=15) - relativedelta(months=1)


def test_the_clamps_the_design_names():
    assert dates.window_opens(date(2026, 5, 31)) == date(2027, 2, 28)
    assert dates.window_opens(date(2027, 5, 31)) == date(2028, 2, 29)
    assert dates.window_opens(date(2026, 1, 31)) == date(2026, 10, 31)
    assert dates.window_closes(date(2026, 1, 31)) == date(2027, 4, 30)
    assert dates.window_closes(date(2026, 11, 30)) == date(2028, 2, 29)
    assert dates.freeze_earliest_end(date(2024, 2, 29)) == date(2024, 8, 29)
    assert dates.freeze_default_end(date(2026, 11, 30)) == date(2027, 8, 30)


def test_every_day_of_two_years_matches_dateutil():
    day = date(2027, 1, 1)
    while day < date(2029, 1, 1):
        for months in (-1, 6, 9, 15):
            assert dates.add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += timedelta(days=1)
