"""What evaluation contributes to the coordinators' overview: the freeze period and the evaluation window
(state and dates), a filter and a count by window state, "evaluation overdue" as an attention condition, and
the freeze and the window on the timeline. The dates are stored on `Evaluation`, so everything is a join to
that one row and a CASE over it: no query of its own."""

import django_filters
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation.models import FreezeState, WindowState

from . import DASH, Attention, Breakdown, Column, FilterField, Segment, time_html

NO_MOVE_IN = "none"
STATE_LABELS = {NO_MOVE_IN: _("No move-in recorded"), **dict(WindowState.choices)}
STATE_BADGES = {
    WindowState.NOT_YET: "text-bg-light border",
    WindowState.OPEN: "text-bg-info",
    WindowState.CLOSING: "text-bg-warning",
    WindowState.OVERDUE: "text-bg-danger",
    WindowState.DONE: "text-bg-success",
}


def annotations(today):
    out = {  # the project's one evaluation row, joined
        f"eval_{name}": F(f"evaluation__{name}")
        for name in ("window_opens", "window_closing", "window_closes", "freeze_ends", "completed_at", "move_in")
    }
    out["evaluation_state"] = Case(
        When(eval_completed_at__isnull=False, then=Value(WindowState.DONE)),
        When(eval_window_opens__isnull=True, then=Value(NO_MOVE_IN)),
        When(eval_window_opens__gt=today, then=Value(WindowState.NOT_YET)),
        When(eval_window_closes__lt=today, then=Value(WindowState.OVERDUE)),
        When(eval_window_closing__lte=today, then=Value(WindowState.CLOSING)),
        default=Value(WindowState.OPEN),
        output_field=CharField(),
    )
    return out


def freeze_state(row):
    if row.eval_freeze_ends is None:
        return None
    if row.eval_completed_at or row.dashboard_today > row.eval_freeze_ends:
        return FreezeState.ENDED
    return FreezeState.ACTIVE


def freeze_value(row):
    state = freeze_state(row)
    return FreezeState(state).label if state else ""


def freeze_html(row, cell):
    state = freeze_state(row)
    if not state:
        return DASH
    label = FreezeState(state).label
    if state == FreezeState.ACTIVE:
        return format_html(
            '<span class="badge text-bg-secondary"><i class="bi bi-snow" aria-hidden="true"></i> {}</span><div'
            ' class="small text-body-secondary">{} {}</div>',
            label, gettext("until"), time_html(row.eval_freeze_ends),
        )  # fmt: skip
    return format_html('<span class="text-body-secondary">{}</span>', label)


def window_html(row, cell):
    state = row.evaluation_state
    if state == NO_MOVE_IN:
        return DASH
    badge = format_html('<span class="badge {}">{}</span>', STATE_BADGES.get(state, ""), STATE_LABELS[state])
    if state == WindowState.DONE:
        return badge
    return format_html(
        '{}<div class="small text-body-secondary text-nowrap">{} – {}</div>',
        badge, time_html(row.eval_window_opens), time_html(row.eval_window_closes),
    )  # fmt: skip


COLUMNS = (
    Column("freeze", _("Freeze period"), 42, freeze_value, html=freeze_html, width=18),
    Column("freeze_ends", _("Freeze period ends"), 43, lambda r: r.eval_freeze_ends, on_page=False, width=14),
    Column("evaluation", _("Evaluation window"), 44, lambda r: STATE_LABELS[r.evaluation_state],
           sort="eval_window_opens",
           html=window_html, width=18),
    Column("window_opens", _("Evaluation window opens"), 44.1, lambda r: r.eval_window_opens, on_page=False,
           width=14),
    Column("window_closes", _("Evaluation window closes"), 44.2, lambda r: r.eval_window_closes, on_page=False,
           width=14),
)  # fmt: skip


def timeline(rows, today):
    """The freeze period and the evaluation window, from the rows' annotations (no query)."""
    out = {}
    for row in rows:
        if row.eval_move_in is None:
            continue
        out[row.pk] = [
            Segment(row.eval_move_in, row.eval_freeze_ends, _("Freeze period"), "freeze"),
            Segment(row.eval_window_opens, row.eval_window_closes, _("Evaluation window"), "evaluation"),
        ]
    return out


FILTERS = (
    FilterField(
        "evaluation",
        45,
        lambda: django_filters.ChoiceFilter(
            label=_("Evaluation window"), choices=list(STATE_LABELS.items()), empty_label=_("All")
        ),
        lambda qs, value, today: qs.filter(evaluation_state=value),
    ),
)

BREAKDOWNS = (
    Breakdown(
        "evaluation",
        _("Projects per evaluation window"),
        20,
        "evaluation",
        ("evaluation_state",),
        lambda values: (
            list(STATE_LABELS).index(values["evaluation_state"]),
            values["evaluation_state"],
            str(STATE_LABELS[values["evaluation_state"]]),
        ),
    ),
)

ATTENTION = (
    Attention(
        "evaluation_overdue",
        _("Evaluation overdue"),
        30,
        lambda today: Q(  # evaluation_state OVERDUE: the stored dates of the joined row against today
            eval_completed_at__isnull=True, eval_window_opens__lte=today, eval_window_closes__lt=today
        ),
        lambda row: (
            _("The evaluation window closed on %(date)s without a completed evaluation")
            % {"date": date_format(row.eval_window_closes, "SHORT_DATE_FORMAT")}
        ),
    ),
)
