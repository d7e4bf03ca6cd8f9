"""The planned schedule: phases in order inside the project's dates, deadlines inside their phase.

A template gives each phase a relative share of the time from the project's start to the planned move-in
(`duration = { share = N }`), or a length after the move-in (`duration = { days_after_move_in = N }`); a
process without a move-in gives each phase its days after the one before (`duration = { days = N }`).
Phases follow each other without gaps or overlaps; an activity's or item's deadline, counted from the start or
the move-in as the template says, is kept inside its phase's planned dates.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Dates:
    start: date | None
    move_in: date | None


def phase_ranges(durations: list[dict], dates: Dates, *, fixed=None) -> list[tuple[date | None, date | None]]:
    """Planned (start, end) per phase. `fixed` maps phase indexes whose dates stay (completed phases) to
    their (start, end); the phases after them share what is left up to the move-in."""
    fixed = fixed or {}
    if durations and all("days" in d for d in durations):
        return _consecutive(durations, dates.start, fixed)
    out: list[tuple[date | None, date | None]] = [(None, None)] * len(durations)
    if dates.start is None or dates.move_in is None or dates.move_in < dates.start:
        return [fixed.get(i, (None, None)) for i in range(len(durations))]
    before = [i for i, d in enumerate(durations) if "share" in d]
    cursor = dates.start
    for i in before:
        if i in fixed and fixed[i][1] is not None:
            cursor = min(max(cursor, fixed[i][1]), dates.move_in)
    todo = [i for i in before if i not in fixed]
    total = sum(durations[i]["share"] for i in todo)
    span = (dates.move_in - cursor).days
    done = 0
    for i in range(len(durations)):
        if i in fixed:
            out[i] = fixed[i]
        elif i in todo:
            begin = cursor + timedelta(days=round(span * done / total))
            done += durations[i]["share"]
            out[i] = (begin, cursor + timedelta(days=round(span * done / total)))
        else:
            out[i] = (dates.move_in, dates.move_in + timedelta(days=durations[i]["after_move_in"]))
    return out


def _consecutive(durations, start, fixed):
    """Phases of so many days each, one after the other from the start (a process without a move-in)."""
    out = []
    cursor = start
    for i, d in enumerate(durations):
        if i in fixed:
            out.append(fixed[i])
            if fixed[i][1] is not None and cursor is not None:
                cursor = max(cursor, fixed[i][1])
        elif cursor is None:
            out.append((None, None))
        else:
            out.append((cursor, cursor + timedelta(days=d["days"])))
            cursor = out[-1][1]
    return out


def add_months(day: date, months: int) -> date:
    """`day` plus calendar months, clamped to the month's last day (31 May + 9 months = end of February).
    evaluation.dates uses this one for the evaluation window and the freeze period."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def due_date(spec, dates: Dates, phase_range) -> date | None:
    """A deadline from its template spec ({from, days} or {from, months}), kept inside the phase's planned
    dates."""
    if not spec:
        return None
    base = dates.start if spec["from"] == "start" else dates.move_in
    if base is None:
        return None
    due = add_months(base, spec["months"]) if "months" in spec else base + timedelta(days=spec["days"])
    begin, end = phase_range
    if begin is not None and due < begin:
        due = begin
    if end is not None and due > end:
        due = end
    return due
