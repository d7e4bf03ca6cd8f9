"""What the process contributes to the coordinators' overview: current phase and progress, open and overdue
mandatory items, the next deadline by name, how long a gate has been blocked, and the phases on the timeline.

What depends on many rows is read from the rollup (`phases/rollups.py`, one joined row per project), so the
overview neither runs more queries nor reads more rows per project as the portfolio grows.
"""

from datetime import timedelta

import django_filters
from django.db.models import Case, Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.formats import date_format, localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from phases import rollups
from phases.models import ChecklistItem, Phase, ProcessTemplate, is_english

from . import DASH, Attention, Breakdown, Column, FilterField, Segment, count_badge, time_html, tr_row

OPEN = ChecklistItem.Status.OPEN
GATE_BLOCKED_DAYS = 30  # a gate whose phase should have ended this long ago needs a coordinator
COUNTS = ("phase_count", "items_total", "items_done", "mandatory_open", "phase_open_mandatory")  # 0, not None


def annotations(today):
    """The rollup (`ProjectProgress`, one joined row per project) and, only where the earliest open
    mandatory deadline has passed, the count of overdue mandatory items (that count depends on today)."""
    out = {
        name: Coalesce(F(f"progress__{name}"), 0) if name in COUNTS else F(f"progress__{name}")
        for name in rollups.FIELDS
    }
    overdue = (
        ChecklistItem.objects.filter(project=OuterRef("pk"), mandatory=True, status=OPEN, due_date__lt=today)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    out["mandatory_overdue"] = Case(
        When(progress__mandatory_first_due__lt=today, then=Subquery(overdue, output_field=IntegerField())),
        default=Value(0),
        output_field=IntegerField(),
    )
    return out


def progress(row):
    return round(100 * row.items_done / row.items_total) if row.items_total else 0


def phase_label(row):
    if row.current_phase_order is not None:
        return gettext("%(n)s of %(total)s: %(name)s") % {
            "n": row.current_phase_order,
            "total": row.phase_count,
            "name": tr_row(row, "current_phase_name"),
        }
    if row.phase_count:
        return gettext("All phases completed")
    return ""


def gate_blocked_since(row):
    """The planned end of the current phase, once passed with mandatory items of the phase still open."""
    end = row.phase_planned_end
    if end and row.phase_open_mandatory and end < row.dashboard_today:
        return end
    return None


def next_deadline(row):
    """(date, name) of what is due next: the earliest open item with a deadline, or the planned move-in. An
    optional item past its deadline blocks nothing: then the earliest open mandatory item is next. Worked out
    once per row (two columns and the page's cell read it)."""
    if "_next_deadline" not in row.__dict__:
        row.__dict__["_next_deadline"] = _next_deadline(row)
    return row.__dict__["_next_deadline"]


def _next_deadline(row):
    candidates = []
    if row.next_item_due is not None and (row.next_item_mandatory or row.next_item_due >= row.dashboard_today):
        candidates.append((row.next_item_due, tr_row(row, "next_item_text")))
    elif row.next_item_due is not None and row.mandatory_first_due is not None:
        # an optional item whose deadline passed (the freeze item after the freeze) is not what is due next
        candidates.append((row.mandatory_first_due, tr_row(row, "next_mandatory_text")))
    if row.status == "active" and row.planned_move_in and not row.actual_move_in:
        candidates.append((row.planned_move_in, gettext("Planned move-in")))
    return min(candidates, key=lambda c: c[0]) if candidates else None


def phase_html(row, label):
    """The phase column on the page: its label and the share of items done, or "No process"."""
    if not label:
        return format_html('<span class="text-body-secondary">{}</span>', gettext("No process"))
    percent = localize(progress(row))
    name = mark_safe(gettext("Items done: %(name)s") % {"name": escape(row.name)})  # as blocktranslate escapes
    return format_html(
        '<div class="text-nowrap">{}</div><div class="d-flex align-items-center gap-2"><progress class="pg-progress'
        ' flex-grow-1" value="{}" max="{}" aria-label="{}">{} %</progress><span class="small text-body-secondary'
        ' text-nowrap">{} %</span></div>',
        label, localize(row.items_done), localize(row.items_total or 1), name, percent, percent,
    )  # fmt: skip


def deadline_html(row, cell):
    deadline = next_deadline(row)
    if not deadline:
        return format_html('<span class="text-body-secondary">{}</span>', gettext("None"))
    day, what = deadline
    if day < row.dashboard_today:
        shown = format_html(
            '<time datetime="{}" class="text-danger fw-semibold">{}</time> <span class="badge text-bg-danger"><i'
            ' class="bi bi-exclamation-circle" aria-hidden="true"></i> {}</span>',
            day.isoformat(), date_format(day, "SHORT_DATE_FORMAT"), gettext("Overdue"),
        )  # fmt: skip
    else:
        shown = time_html(day)
    return format_html('{}<div class="small text-body-secondary dashboard-what">{}</div>', shown, what)


def mandatory_overdue_html(row, cell):
    return count_badge(row.mandatory_overdue, "bi-exclamation-circle", gettext("overdue"))


def gate_blocked_html(row, cell):
    if not cell:
        return DASH
    return format_html(
        '<span class="text-danger"><i class="bi bi-sign-stop" aria-hidden="true"></i> {}</span>', time_html(cell)
    )


COLUMNS = (
    Column("phase", _("Phase"), 10, phase_label, sort="current_phase_order",
           html=phase_html, width=34),
    Column("progress", _("Progress (%)"), 11, progress, on_page=False, width=12),
    Column("mandatory_open", _("Open mandatory items"), 20, lambda r: r.mandatory_open, sort="mandatory_open",
           width=14),
    Column("mandatory_overdue", _("Overdue mandatory items"), 21, lambda r: r.mandatory_overdue,
           sort="mandatory_overdue", html=mandatory_overdue_html, width=14),
    Column("next_deadline", _("Next deadline"), 45, lambda r: (next_deadline(r) or (None,))[0], sort="next_item_due",
           html=deadline_html, width=14, phone=True),
    Column("next_deadline_what", _("Next deadline: what"), 46,
           lambda r: (next_deadline(r) or (None, ""))[1], on_page=False, width=40),
    Column("gate_blocked_since", _("Gate overdue since"), 47, gate_blocked_since, sort="phase_planned_end",
           html=gate_blocked_html, width=14),
)  # fmt: skip


def _phase_choices():
    """Each phase key of the loaded templates (a few rows), named as in the newest version."""
    seen = {}
    for template in ProcessTemplate.objects.order_by("key", "-version").only("definition", "key", "version"):
        for n, phase in enumerate(template.definition.get("phases", []), 1):
            name = phase["name"]
            label = name.get("en") if is_english() else name.get("nb")
            seen.setdefault(phase["key"], f"{n}. {label}")
    return [*seen.items(), ("completed", _("All phases completed"))]


def _filter_phase(queryset, value, today):
    if value == "completed":
        return queryset.filter(current_phase_id__isnull=True, phase_count__gt=0)
    return queryset.filter(current_phase_key=value)


def _phase_group(values):
    if not values["current_phase_key"]:
        return (99, "completed", str(_("All phases completed or no process")))
    name = (values["current_phase_name_en"] if is_english() else None) or values["current_phase_name_nb"]
    return (values["current_phase_order"], values["current_phase_key"], f"{values['current_phase_order']}. {name}")


def _gate_blocked(today):
    """Projects whose current phase (the first not completed) has open mandatory items and a planned end (its
    own, else its activities' last deadline) more than GATE_BLOCKED_DAYS ago, from the rollup."""
    return Q(
        progress__phase_open_mandatory__gt=0,
        progress__phase_planned_end__lt=today - timedelta(days=GATE_BLOCKED_DAYS),
    )


def _short(d):
    from django.utils.formats import date_format

    return date_format(d, "SHORT_DATE_FORMAT") if d else ""


def timeline(rows, today):
    """Each phase as a bar over its planned dates; a completed phase ends on its completion, an open one whose
    planned end has passed is drawn to today as late. One query for the page."""
    ids = [r.pk for r in rows]
    phases = (
        Phase.objects.filter(project_id__in=ids)
        .annotate(last_due=Max("activities__due_date"))
        .order_by("project_id", "order")
    )
    starts = {r.pk: r.start_date for r in rows}
    out = {}
    for ph in phases:
        start = ph.planned_start or starts[ph.project_id]
        planned_end = ph.planned_end or ph.last_due or start
        if ph.completed_at:
            end, kind = ph.completed_at.date(), "phase-done"
        elif planned_end < today:
            end, kind = today, "phase-late"
        else:
            end, kind = planned_end, "phase"
        end = max(end, start)
        label = _("Phase %(n)s: %(name)s") % {"n": ph.order, "name": ph.name}
        out.setdefault(ph.project_id, []).append(Segment(start, end, label, kind))
        starts[ph.project_id] = end
    return out


FILTERS = (
    FilterField(
        "phase",
        20,
        lambda: django_filters.ChoiceFilter(label=_("Phase"), choices=_phase_choices(), empty_label=_("All")),
        _filter_phase,
    ),
)

BREAKDOWNS = (
    Breakdown(
        "phase",
        _("Projects per current phase"),
        10,
        "phase",
        ("current_phase_order", "current_phase_key", "current_phase_name_nb", "current_phase_name_en"),
        _phase_group,
    ),
)

ATTENTION = (
    Attention(
        "gate_blocked",
        _("Gate blocked for long"),
        10,
        _gate_blocked,
        lambda row: (
            _("The gate of “%(phase)s” has been blocked since %(date)s (planned end of the phase)")
            % {"phase": tr_row(row, "current_phase_name"), "date": _short(row.phase_planned_end)}
        ),
    ),
    Attention(
        "overdue",
        _("Deadlines overdue"),
        50,
        lambda today: Q(progress__mandatory_first_due__lt=today),
        lambda row: (
            ngettext(
                "%(n)s mandatory item past its deadline",
                "%(n)s mandatory items past their deadline",
                row.mandatory_overdue,
            )
            % {"n": row.mandatory_overdue}
        ),
    ),
)
