"""The dates that follow from the actual move-in (DESIGN §4). One function per date, each tested beside it.

Calendar months with the end-of-month clamp: 31 May + 9 months is the last day of February.
"""

from datetime import date

from phases.planning import add_months  # one calendar-month rule for template deadlines and these dates

WINDOW_OPENS_MONTHS = 9
WINDOW_CLOSES_MONTHS = 15
FREEZE_DEFAULT_MONTHS = 9
FREEZE_MINIMUM_MONTHS = 6
CLOSING_SOON_MONTHS = 1  # the window is "closing" in its last month


__all__ = ["add_months"]


def window_opens(move_in: date) -> date:
    """The first day of the evaluation window: move-in + 9 calendar months."""
    return add_months(move_in, WINDOW_OPENS_MONTHS)


def window_closes(move_in: date) -> date:
    """The last day of the evaluation window: move-in + 15 calendar months."""
    return add_months(move_in, WINDOW_CLOSES_MONTHS)


def window_closing_from(move_in: date) -> date:
    """From this day the window is 'closing': one calendar month before it closes."""
    return add_months(window_closes(move_in), -CLOSING_SOON_MONTHS)


def freeze_default_end(move_in: date) -> date:
    """The freeze period's default last day: move-in + 9 calendar months."""
    return add_months(move_in, FREEZE_DEFAULT_MONTHS)


def freeze_earliest_end(move_in: date) -> date:
    """The freeze period can never end before move-in + 6 calendar months."""
    return add_months(move_in, FREEZE_MINIMUM_MONTHS)
