"""The coordinators' overview of every project: rows, filters, sorting, counts, attention list, timeline data.

The dashboard app sits above the apps it shows: each part in `dashboard/parts/` brings what one app knows about a
project (annotations, columns, filters, attention conditions, breakdowns, timeline segments), and `PARTS` lists
them. Everything here is computed from one annotated queryset, so the page runs the same number of queries at 20
or 2 000 projects.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, CharField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects import extensions, search
from projects.models import Membership, OrgUnit, Project, ProjectUnit, Role

from .parts import Column, FilterField, Segment, date_html
from .parts import evaluation as evaluation_part
from .parts import participation as participation_part
from .parts import phases as phases_part

ATTENTION_LIST_LIMIT = 20
PARTS = (phases_part, participation_part, evaluation_part)  # in this order: annotations, timeline segments


def _from_parts(name, core=()):
    return tuple(
        sorted([*core, *(entry for part in PARTS for entry in getattr(part, name, ()))], key=lambda e: e.order)
    )


def attention_conditions():
    return ATTENTION


def _core_annotations(today):
    owners = Membership.objects.filter(project=OuterRef("pk"), role=Role.OWNER).order_by("created_at", "pk")
    units = ProjectUnit.objects.filter(project=OuterRef("pk")).order_by("unit__name")
    unit_count = ProjectUnit.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk"))
    return {
        "owner_name": Subquery(owners.values("user__full_name")[:1]),
        "organisation": Subquery(units.values("unit__name")[:1]),
        "unit_count": Coalesce(Subquery(unit_count.values("n")), 0),
        "move_in": Coalesce("actual_move_in", "planned_move_in"),
    }


def overview_queryset(*, today: date):
    """Every project with what the overview shows about it, as annotations (no query runs yet)."""
    annotations = _core_annotations(today)
    for part in PARTS:
        annotations.update(part.annotations(today))
    return Project.objects.annotate(**annotations)


# Core columns and filters; the parts add theirs.


def _organisation(row):
    if not row.organisation:
        return ""
    if row.unit_count > 1:
        return f"{row.organisation} (+{row.unit_count - 1})"
    return row.organisation


STATUS_LABELS = dict(Project.Status.choices)  # lazy labels, the same objects on every row
STATUS_BADGES = {
    Project.Status.ACTIVE: ("text-bg-primary", "bi-play-circle"),
    Project.Status.COMPLETED: ("text-bg-success", "bi-check-circle"),
    Project.Status.CANCELLED: ("text-bg-secondary", "bi-x-circle"),
}


def status_html(row, cell):
    css, icon = STATUS_BADGES.get(row.status, STATUS_BADGES[Project.Status.CANCELLED])
    return format_html(
        '<span class="badge {}"><i class="bi {}" aria-hidden="true"></i> {}</span>', css, icon, row.get_status_display()
    )


def project_html(row, cell):
    link = format_html('<a href="{}" class="fw-semibold">{}</a>', row.get_absolute_url(), row.name)
    if not row.case_number:
        return link
    return format_html('{}<div class="small text-body-secondary">{} {}</div>', link, gettext("Case"), row.case_number)


CORE_COLUMNS = [
    Column("project", _("Project"), 0, lambda r: r.name, sort="name", html=project_html, width=40, phone=True),
    Column("case_number", _("Case number"), 1, lambda r: r.case_number, sort="case_number", on_page=False, width=14),
    Column("organisation", _("Organisation"), 5, _organisation, sort="organisation", width=28),
    Column("owner", _("Owner"), 6, lambda r: r.owner_name or "", sort="owner_name", width=24),
    Column("status", _("Status"), 7, lambda r: STATUS_LABELS.get(r.status, r.status), sort="status",
           html=status_html, width=12, phone=True),
    Column("planned_move_in", _("Planned move-in"), 40, lambda r: r.planned_move_in, sort="planned_move_in",
           html=date_html, width=14),
    Column("actual_move_in", _("Actual move-in"), 41, lambda r: r.actual_move_in, sort="actual_move_in",
           html=date_html, width=14),
]  # fmt: skip


def columns():
    return COLUMNS


def page_columns():
    """The columns shown on the page (the case number is shown under the project's name there)."""
    return [c for c in columns() if c.on_page]


def _filter_organisation(queryset, value, today):
    inside = ProjectUnit.objects.filter(project=OuterRef("pk")).filter(
        Q(unit=value) | Q(unit__parent=value) | Q(unit__parent__parent=value)
    )
    return queryset.filter(Exists(inside))


def _filter_text(queryset, value, today):
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(pk__in=text_matches(value))


def text_matches(value):
    """The ids of the projects whose own text (the indexed folded column), owner's name or a unit's name has
    every word of `value` (projects/search.py): one set, the union of three lookups that each start from an
    index or a small table (people, units) and reach the projects through an indexed key, computed once, not
    once per project."""
    own = Project.objects.filter(search.contains(value, column="search_text")).order_by().values("pk")
    owners = Membership.objects.filter(search.contains(value, "user__full_name"), role=Role.OWNER)
    units = ProjectUnit.objects.filter(search.contains(value, "unit__name"))
    return own.union(owners.order_by().values("project_id"), units.order_by().values("project_id"))


def _filter_attention(queryset, value, today):
    conditions = {a.key: a for a in attention_conditions()}
    if value == "any":
        return queryset.filter(needs_attention_q(today))
    if value in conditions:
        return queryset.filter(conditions[value].q(today))
    return queryset


def _organisation_choices():
    return OrgUnit.objects.exclude(kind=OrgUnit.Kind.MUNICIPALITY).select_related("parent").order_by("name")


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.kind == OrgUnit.Kind.UNIT and obj.parent:
            return f"{obj.name} ({obj.parent.name})"
        return obj.name


class OrganisationFilter(django_filters.ModelChoiceFilter):
    field_class = OrganisationChoiceField


def _attention_choices():
    return [("any", _("Any reason")), *[(a.key, a.label) for a in attention_conditions()]]


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

CORE_FILTERS = [
    FilterField("q", 0, lambda: django_filters.CharFilter(label=_("Search")), _filter_text),
    FilterField(
        "organisation", 10,
        lambda: OrganisationFilter(label=_("Organisation"), queryset=_organisation_choices(), empty_label=_("All")),
        _filter_organisation,
    ),
    FilterField(
        "status", 30,
        lambda: django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices,
                                            empty_label=_("All")),
        lambda qs, value, today: qs.filter(status=value),
    ),
    FilterField(
        "attention", 40,
        lambda: django_filters.ChoiceFilter(label=_("Needs attention"), choices=_attention_choices(),
                                            empty_label=_("All")),
        _filter_attention,
    ),
    FilterField(
        "move_in_from", 50,
        lambda: django_filters.DateFilter(label=_("Move-in from"), widget=DATE_INPUT),
        lambda qs, value, today: qs.filter(move_in__gte=value),
    ),
    FilterField(
        "move_in_to", 51,
        lambda: django_filters.DateFilter(label=_("Move-in until"), widget=DATE_INPUT),
        lambda qs, value, today: qs.filter(move_in__lte=value),
    ),
]  # fmt: skip

COLUMNS = _from_parts("COLUMNS", CORE_COLUMNS)
FILTERS = _from_parts("FILTERS", CORE_FILTERS)
ATTENTION = _from_parts("ATTENTION")
BREAKDOWNS = _from_parts("BREAKDOWNS")


def filter_fields():
    return FILTERS


def filterset_class(today: date):
    """A FilterSet with the core filters and every registered one, each applied by its own function."""
    attrs = {}
    for f in filter_fields():
        flt = f.field()
        flt.method = f"apply_{f.name}"
        attrs[f.name] = flt
        attrs[f"apply_{f.name}"] = staticmethod(lambda qs, name, value, apply=f.apply: apply(qs, value, today))
    return type("OverviewFilterSet", (django_filters.FilterSet,), attrs)


def filtered(*, data, today: date):
    """(filterset, queryset): the overview's projects narrowed by the filters in `data` (the query string)."""
    qs = overview_queryset(today=today)
    filterset = filterset_class(today)(data or None, queryset=qs)
    for field in filterset.form.fields.values():
        select = isinstance(field.widget, forms.Select)
        field.widget.attrs["class"] = "form-select" if select else "form-control"
    if filterset.is_bound and filterset.is_valid():
        qs = filterset.qs
    elif filterset.is_bound:
        qs = qs.none()
    return filterset, qs


def sort_options():
    return {"move_in": "move_in", **{c.key: c.sort for c in columns() if c.sort}}


def sorted_rows(qs, sort: str):
    """Order by a column key, `-key` for descending; unknown keys fall back to the project name."""
    options = sort_options()
    key = (sort or "").lstrip("-")
    if key not in options:
        return qs.order_by("name", "pk"), ""
    field = options[key]
    if sort.startswith("-"):
        return qs.order_by(_desc(field), "name", "pk"), sort
    return qs.order_by(_asc(field), "name", "pk"), sort


def _asc(field):
    return F(field).asc(nulls_last=True)


def _desc(field):
    return F(field).desc(nulls_last=True)


def needs_attention_q(today):
    q = Q(pk__in=[])
    for a in attention_conditions():
        q |= a.q(today)
    return Q(status=Project.Status.ACTIVE) & q


@dataclass
class Summary:
    numbers: dict  # total, att_<key> per attention condition, att_any
    breakdowns: list  # {label, param, rows: [(value, label, n)]} per registered breakdown
    attention: object  # the first projects needing attention, soonest move-in first: a queryset of their ids


def _flags(today):
    return {f"att_{a.key}": ExpressionWrapper(a.q(today), output_field=BooleanField()) for a in attention_conditions()}


def summarise(qs, today: date, *, attention_limit=ATTENTION_LIST_LIMIT) -> Summary:
    """Counts per attention condition and per breakdown from one grouped query: the filtered projects grouped by
    status, the breakdowns' fields and the attention flags, which come from the rollups and stored dates (joined
    rows, no subquery per project), so the database returns a few hundred groups, not a row per project. The
    attention list's projects are a subquery (`attention`) that the page's rows query reads with them."""
    flags = _flags(today)
    fields = list(dict.fromkeys(f for b in BREAKDOWNS for f in b.fields))
    groups = list(qs.order_by().annotate(**flags).values("status", *fields, *flags).annotate(n=Count("pk")))
    numbers = {"total": sum(g["n"] for g in groups)}
    active = [g for g in groups if g["status"] == Project.Status.ACTIVE]
    for name in flags:
        numbers[name] = sum(g["n"] for g in active if g[name])
    numbers["att_any"] = sum(g["n"] for g in active if any(g[name] for name in flags))
    needing = qs.filter(needs_attention_q(today)).order_by(_asc("move_in"), "name", "pk")
    return Summary(numbers, [_breakdown(b, groups) for b in BREAKDOWNS], needing.values("pk")[:attention_limit])


def _breakdown(b, groups) -> dict:
    """One breakdown's rows (value, label, count), in its order: a label is made per group, not per project."""
    tally = {}
    counts = Counter()
    for g in groups:
        counts[tuple(g[f] for f in b.fields)] += g["n"]
    for values, n in counts.items():
        choice = b.choice(dict(zip(b.fields, values, strict=True)))
        if choice is None:
            continue
        sort, value, label = choice
        tally.setdefault(value, [sort, value, label, 0])[3] += n
    groups = [(value, label, n) for _sort, value, label, n in sorted(tally.values(), key=lambda e: e[0])]
    return {"label": b.label, "param": b.param, "rows": groups}


def decorate(rows, today: date):
    """What the columns read besides the annotations: today, and whether the texts are shown in English (asked
    once for the rows, not per cell)."""
    english = phases_part.is_english()
    for row in rows:
        row.dashboard_today = today
        row.dashboard_english = english
    return rows


def rows_by_pk(ids, today: date, *, attention=None) -> dict:
    """The annotated rows of these projects and, with `attention` (a queryset of ids), of those too, with their
    attention flags (one query). The two sets are one union of ids, not `pk IN … OR pk IN …`: PostgreSQL then
    plans a semi-join of some 70 rows by primary key, where an OR made it guess half the projects."""
    if not ids and attention is None:
        return {}
    qs = overview_queryset(today=today)
    if attention is None:
        return {row.pk: row for row in qs.filter(pk__in=ids)}
    page = Project.objects.filter(pk__in=ids).order_by().values("pk")
    listed = Project.objects.filter(pk__in=attention).order_by().values("pk")  # the slice wrapped: SQLite's union
    return {row.pk: row for row in qs.filter(pk__in=page.union(listed)).annotate(**_flags(today))}


@dataclass
class AttentionRow:
    project: Project
    reasons: list


def overview_page(qs, *, number, total, today: date, summary: Summary | None = None):
    """(page of 50 rows, attention list). The filtered and sorted queryset is asked only for the page's
    primary keys; one more query then reads the annotations of just those rows and of the attention list's
    (`summary.attention`, a subquery read in the same query, with their attention flags), so the database
    computes them for at most 70 projects."""
    paginator = Paginator(qs.values_list("pk", flat=True), 50)
    paginator.__dict__["count"] = total
    page = paginator.get_page(number)
    page_ids = list(page.object_list)
    rows = rows_by_pk(page_ids, today, attention=summary.attention if summary else None)
    decorate(list(rows.values()), today)
    page.object_list = [rows[pk] for pk in page_ids if pk in rows]
    if summary is None:
        return page, []
    # The attention list: of the rows read, those that need attention, in the subquery's order (move-in, name,
    # id; names compared as the database's binary collation does), the first ATTENTION_LIST_LIMIT. The page's rows
    # that need attention are among them only where they rank that high, so this is exactly the subquery's set.
    conditions = list(attention_conditions())
    needing = [
        (row, [(a, a.describe(row)) for a in conditions if getattr(row, f"att_{a.key}")])
        for row in rows.values()
        if row.status == Project.Status.ACTIVE
    ]
    needing = [AttentionRow(row, reasons) for row, reasons in needing if reasons]
    needing.sort(key=lambda e: (e.project.move_in is None, e.project.move_in or date.min, e.project.name, e.project.pk))
    return page, needing[:ATTENTION_LIST_LIMIT]


EXPORT_CHUNK = 1000


class ExportRow:
    """One exported row: the values read, as the attributes the columns read (no model instance is built)."""


EXPORT_SET_READ = ("owner_name", "organisation", "unit_count", "mandatory_overdue")  # read once per export


def _export_sets(qs, today: date):
    """The values that the page reads with a subquery per row, read for all the exported projects at once: one
    query each, grouped or ordered by project (docs/decisions.md: "Exports: set-based reads"). The filtered set
    of projects is a subquery; without a filter, every project."""
    from phases.models import ChecklistItem

    ids = qs.order_by().values("pk")
    within = {"project__in": ids} if qs.query.where else {}
    owners = {}
    for project_id, name in (
        Membership.objects.filter(role=Role.OWNER, **within)
        .order_by("project_id", "created_at", "pk")
        .values_list("project_id", "user__full_name")
    ):
        owners.setdefault(project_id, name)
    units = {}  # project id -> [first unit's name, count]
    unit_rows = ProjectUnit.objects.filter(**within).order_by("project_id", "unit__name")
    for project_id, name in unit_rows.values_list("project_id", "unit__name"):
        entry = units.get(project_id)
        if entry is None:
            units[project_id] = [name, 1]
        else:
            entry[1] += 1
    overdue = dict(
        ChecklistItem.objects.filter(mandatory=True, status=ChecklistItem.Status.OPEN, due_date__lt=today, **within)
        .order_by()
        .values_list("project_id")
        .annotate(n=Count("pk"))
    )
    return owners, units, overdue


def export_rows(qs, today: date):
    """Every filtered row (in the chosen order) with the page decorators applied: what the exports write, read
    as plain values (EXPORT_CHUNK rows at a time while the file is streamed) and merged with the owner, units and
    overdue count read once for all the rows (`_export_sets`), the same values the page's annotations give."""
    owners, units, overdue = _export_sets(qs, today)
    names = [f.attname for f in Project._meta.concrete_fields]
    names += [name for name in qs.query.annotations if name not in EXPORT_SET_READ and name not in names]
    english = phases_part.is_english()
    no_units = (None, 0)
    for values in qs.values(*names).iterator(chunk_size=EXPORT_CHUNK):
        pk = values["id"]
        organisation, unit_count = units.get(pk, no_units)
        first_due = values.get("mandatory_first_due")
        values.update(
            pk=pk,
            owner_name=owners.get(pk),
            organisation=organisation,
            unit_count=unit_count,
            # as the page's annotation: counted only once the earliest open mandatory deadline has passed
            mandatory_overdue=overdue.get(pk) if first_due is not None and first_due < today else 0,
            dashboard_today=today,
            dashboard_english=english,
        )
        row = ExportRow()
        row.__dict__ = values
        yield row


# The timeline: projects as rows over months.

TIMELINE_LABEL_WIDTH = 260
TIMELINE_MONTH_WIDTH = 42  # at most; narrower when the span is long, so the whole chart fits TIMELINE_WIDTH
TIMELINE_MIN_MONTH_WIDTH = 14
TIMELINE_WIDTH = 1180  # a 1280 px screen shows the whole chart, never cut
TIMELINE_ROW_HEIGHT = 30
TIMELINE_TOP = 34  # room for the year and month labels
TIMELINE_MAX_MONTHS = 60


def _month_index(d: date, first: date) -> float:
    """Months from the first day of `first`'s month to `d`, with the day as a fraction."""
    import calendar

    days = calendar.monthrange(d.year, d.month)[1]
    return (d.year - first.year) * 12 + (d.month - first.month) + (d.day - 1) / days


def _core_segments(rows, today):
    out = {}
    for row in rows:
        segments = []
        if row.planned_move_in:
            segments.append(Segment(row.planned_move_in, None, _("Planned move-in"), "planned-move-in"))
        if row.actual_move_in:
            segments.append(Segment(row.actual_move_in, None, _("Actual move-in"), "move-in"))
        out[row.pk] = segments
    return out


@dataclass
class TimelineRow:
    project: Project
    segments: list  # (Segment, x, width)
    y: int = 0
    shown: list = None  # (Segment, x, width, start ISO, start shown, end ISO, end shown): what the template writes


def _date_texts():
    """A function date -> (ISO, short date as shown), formatting each distinct date once per page (the
    template's date filter cost more than the rest of the timeline)."""
    memo = {None: ("", "")}

    def texts(d):
        if d not in memo:
            memo[d] = (d.isoformat(), date_format(d, "SHORT_DATE_FORMAT"))
        return memo[d]

    return texts


def timeline(rows, today: date) -> dict:
    """Bars and markers of each project, placed on a shared month axis (one query per registered source)."""
    by_project = {row.pk: [] for row in rows}
    for source in [_core_segments, *(part.timeline for part in PARTS if hasattr(part, "timeline"))]:
        for project_id, segments in source(rows, today).items():
            by_project.setdefault(project_id, []).extend(segments)
    dates = [today]
    for segments in by_project.values():
        for s in segments:
            dates.extend(d for d in (s.start, s.end) if d)
    first = min(dates).replace(day=1)
    last = max(dates)
    months = min(int(_month_index(last, first)) + 2, TIMELINE_MAX_MONTHS)
    if months == TIMELINE_MAX_MONTHS:  # too wide: centre the axis on today
        start = today.replace(day=1)
        y, m = divmod(start.month - 1 - TIMELINE_MAX_MONTHS // 3, 12)
        first = date(start.year + y, m + 1, 1)

    month_width = max(
        min(TIMELINE_MONTH_WIDTH, (TIMELINE_WIDTH - TIMELINE_LABEL_WIDTH) / months), TIMELINE_MIN_MONTH_WIDTH
    )

    def x(d):
        index = min(max(_month_index(d, first), 0), months)
        return round(TIMELINE_LABEL_WIDTH + index * month_width, 1)

    axis = []
    for i in range(months):
        y, m = divmod(first.month - 1 + i, 12)
        day = date(first.year + y, m + 1, 1)
        # Every month named while there is room for it, else the quarters.
        named = month_width >= 30 or day.month in (1, 4, 7, 10)
        axis.append({"x": round(TIMELINE_LABEL_WIDTH + i * month_width, 1), "date": day, "named": named})
    out_rows = []
    texts = _date_texts()
    for n, row in enumerate(rows):
        placed, shown = [], []
        segments = sorted(by_project.get(row.pk, []), key=lambda s: (s.end is None, s.start))
        for s in segments:
            start = x(s.start)
            width = max(round(x(s.end) - start, 1), 2) if s.end else 0
            placed.append((s, start, width))
            shown.append((s, start, width, *texts(s.start), *texts(s.end)))
        out_rows.append(TimelineRow(row, placed, y=TIMELINE_TOP + n * TIMELINE_ROW_HEIGHT, shown=shown))
    return {
        "axis": axis,
        "rows": out_rows,
        "width": round(TIMELINE_LABEL_WIDTH + months * month_width),
        "height": TIMELINE_TOP + len(rows) * TIMELINE_ROW_HEIGHT + 6,
        "today_x": x(today),
        "label_width": TIMELINE_LABEL_WIDTH,
        "row_height": TIMELINE_ROW_HEIGHT,
        "month_width": month_width,
    }


# The portfolio risk matrix, from the app that keeps risk assessments.


def risk_matrix(qs, *, cell: str = "") -> dict:
    """A 5×5 grid of open risks over the filtered projects: rows are likelihood 5 (top) to 1, columns
    consequence 1 to 5. `cell` ("likelihood-consequence") picks the cell whose risks are listed. A risk with an
    `after_position` (likelihood, consequence) and `has_residual` is also counted where it lies after its measures
    (each cell's `after`; `residual` when any risk has one), so the matrix reads before → after."""
    risks = []
    for provider in extensions.get("dashboard_risk_matrix"):
        risks.extend(provider(qs))
    grid = {(lk, c): [] for lk in range(1, 6) for c in range(1, 6)}
    after = dict.fromkeys(grid, 0)  # where the risks lie once their measures are in place (residual risk)
    residual = False
    for likelihood, consequence, risk in risks:
        if (likelihood, consequence) in grid:
            grid[(likelihood, consequence)].append(risk)
        position = getattr(risk, "after_position", (likelihood, consequence))
        residual = residual or bool(getattr(risk, "has_residual", False))
        if position in after:
            after[position] += 1
    try:
        chosen = tuple(int(p) for p in cell.split("-"))
    except ValueError:
        chosen = None
    if chosen not in grid:
        chosen = None
    rows = [
        (lk, [{"likelihood": lk, "consequence": c, "score": lk * c, "count": len(grid[(lk, c)]),
               "after": after[(lk, c)], "level": _risk_level(lk * c),
               "label": RISK_LEVEL_LABELS[_risk_level(lk * c)], "key": f"{lk}-{c}"} for c in range(1, 6)])
        for lk in range(5, 0, -1)
    ]  # fmt: skip
    return {
        "rows": rows,
        "total": len(risks),
        "residual": residual,
        "chosen": {"likelihood": chosen[0], "consequence": chosen[1], "risks": grid[chosen]} if chosen else None,
    }


def _risk_level(score):
    """The same levels as a project's own matrix: 1–4 low, 5–9 medium, 10–25 high (docs/decisions.md)."""
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


RISK_LEVEL_LABELS = {"low": _("Low"), "medium": _("Medium"), "high": _("High")}


# What waits for a coordinator (the queue that opens the overview), from the hook `coordinator_queue`.

QUEUE_LIMIT = 10  # rows shown per kind; the count says how many there are


def queue_counts() -> dict:
    """{source key: how many things of that kind wait for a coordinator}, every source in one query (their keys,
    UNION ALL, grouped); kinds with nothing waiting are left out."""
    sources = extensions.get("coordinator_queue")
    if not sources:
        return {}
    parts = [
        source.pending()
        .order_by()
        .annotate(queue_key=Value(source.key, output_field=CharField()))
        .values_list("queue_key")
        for source in sources
    ]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    sql, params = union.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT q.queue_key, COUNT(*) FROM ({sql}) q GROUP BY q.queue_key", params)  # noqa: S608
        return dict(cursor.fetchall())


def queue_count(request=None) -> int:
    """How many things wait for a coordinator (for the top bar; the overview's own counts when it read them)."""
    counts = getattr(request, "coordinator_queue_counts", None)
    return sum((queue_counts() if counts is None else counts).values())


@dataclass
class QueueGroup:
    source: extensions.QueueSource
    count: int
    rows: list


def queue(limit: int = QUEUE_LIMIT, *, request=None) -> list[QueueGroup]:
    """Each kind of thing that waits, with its count and its oldest `limit` rows (kinds with nothing left out):
    one query for the counts, one for the rows of each kind that has some. The counts are kept on `request` for
    the top bar."""
    counts = queue_counts()
    if request is not None:
        request.coordinator_queue_counts = counts
    return [
        QueueGroup(source, counts[source.key], source.rows(limit))
        for source in extensions.get("coordinator_queue")
        if counts.get(source.key)
    ]
