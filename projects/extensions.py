"""Places where apps that build on projects plug in, so that projects imports none of them.

- `tab(...)`: a tab in the project's second row (Faser, Medvirkning, …).
- `overview_panel(fn)`: fn(request, project) -> {"template": ..., **context} or None, shown on the overview.
- `list_decorator(fn)`: fn(projects, user) sets display attributes on a page of projects in bulk
  (`phase_label`, `next_deadline`), so a list runs a fixed number of queries.
- `create_field(name, factory)`: an extra field on the project-create form; its value reaches
  `project_created` receivers in `options`.
- `project_created`: a signal sent inside `project_create`'s transaction; `project_updated` likewise inside
  `project_update` with the earlier values of the fields that changed (the process replans on new dates).
- `nav_item(order)`: fn(request) -> an entry in the top bar, or None.
- `landing_page(order)`: fn(user) -> the URL of this person's landing page, or None.
- `demo_seeder(fn)`: fn(projects_by_case_number, users_by_email) adds an app's part of the demo data.
- The coordinators' overview: `dashboard_annotations`, `dashboard_column`, `dashboard_filter`, `attention`,
  `timeline_source`, `dashboard_page_decorator`, `risk_matrix_provider`, `summary_refresher` (see below).
- `task_source(TaskSource(...))`: a kind of row on *Mine oppgaver* (what waits for the person), paged in the
  database: counts, the keys of the first rows in deadline order, and the rows of one page.
- `calendar_events(order)`: fn(projects, user) -> list of `CalendarEvent`, dated things for the iCal feeds.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.dispatch import Signal

project_created = Signal()  # sender=Project, project=…, by=…, options={…}
# Sent inside project_update's transaction when fields changed; `before` holds their earlier values.
project_updated = Signal()  # sender=Project, project=…, by=…, before={field: old value}


@dataclass(frozen=True)
class Tab:
    key: str
    label: Any
    url_name: str
    order: int
    perm: str = "projects.view_project"


TABS: list[Tab] = []
OVERVIEW_PANELS: list[tuple[int, Any]] = []
LIST_DECORATORS: list[Any] = []
CREATE_FIELDS: dict[str, Any] = {}
DEMO_SEEDERS: list[tuple[int, Any]] = []
DEMO_PREPARERS: list[Any] = []


def tab(key, label, url_name, order, perm="projects.view_project"):
    if all(t.key != key for t in TABS):
        TABS.append(Tab(key, label, url_name, order, perm))
        TABS.sort(key=lambda t: t.order)


def overview_panel(order):
    return _ordered(OVERVIEW_PANELS, order)


def list_decorator(fn):
    if fn not in LIST_DECORATORS:
        LIST_DECORATORS.append(fn)
    return fn


def create_field(name, factory):
    CREATE_FIELDS[name] = factory


def demo_seeder(order):
    return _ordered(DEMO_SEEDERS, order)


def demo_preparer(fn):
    """fn() runs before the demo projects are created (loading process templates, say)."""
    if fn not in DEMO_PREPARERS:
        DEMO_PREPARERS.append(fn)
    return fn


NAV_ITEMS: list[tuple[int, Any]] = []
LANDING_PAGES: list[tuple[int, Any]] = []


def landing_page(order):
    """fn(user) -> a URL or None: where `home` sends this person (the first answer by order wins; nobody
    answering means *Mine prosjekter*)."""
    return _ordered(LANDING_PAGES, order)


def nav_item(order):
    """fn(request) -> {"label", "url", "count", "active"} or None: an entry in the top bar."""
    return _ordered(NAV_ITEMS, order)


def _ordered(registry, order):
    """A decorator that adds fn to `registry` once, kept sorted by `order`."""

    def register(fn):
        if fn not in [f for _, f in registry]:
            registry.append((order, fn))
            registry.sort(key=lambda p: p[0])
        return fn

    return register


# The coordinators' overview (projects/dashboard.py). Each app contributes what it knows about a project as
# queryset annotations (Subquery/Count over OuterRef("pk"), so that the overview runs a fixed number of
# queries at any size), and names columns, filters, attention conditions and timeline segments over them.


@dataclass(frozen=True)
class Column:
    """A column of the overview and of its exports.

    `value(row)` gives the cell: a str, int, date or None (exports keep dates as dates). `html(row)`, if given,
    gives the cell on the page (safe HTML, built with format_html; default: the value, dates as <time>).
    `sort` is the annotation or field the column sorts by (None: not sortable); `on_page=False` keeps a column
    in the exports only. `order` places it among the others; `width` is its XLSX width in characters.
    """

    key: str
    label: Any
    order: int
    value: Any
    sort: Any = None
    html: Any = None
    on_page: bool = True
    width: int = 16


@dataclass(frozen=True)
class FilterField:
    """A filter on the overview: `field()` builds a django-filter Filter whose `method` is `apply`.

    apply(queryset, value, today) -> queryset, on the annotated project queryset.
    """

    name: str
    order: int
    field: Any
    apply: Any


@dataclass(frozen=True)
class Attention:
    """Something that makes a project need a coordinator now: `q(today)` is a Q on the annotated queryset,
    `describe(row)` the text shown on the attention list for a project that meets it."""

    key: str
    label: Any
    order: int
    q: Any
    describe: Any


@dataclass(frozen=True)
class Segment:
    """A bar (start to end) or, without `end`, a marker on the timeline of one project."""

    start: Any
    end: Any
    label: Any
    kind: str  # css class suffix: phase, phase-done, move-in, freeze, evaluation, …


DASHBOARD_ANNOTATIONS: list[tuple[int, Any]] = []
DASHBOARD_COLUMNS: list[Column] = []
DASHBOARD_FILTERS: list[FilterField] = []
ATTENTION: list[Attention] = []
TIMELINE_SOURCES: list[tuple[int, Any]] = []
PAGE_DECORATORS: list[tuple[int, Any]] = []
BREAKDOWNS: list = []
RISK_MATRIX_PROVIDERS: list[Any] = []


def dashboard_annotations(order):
    """fn(today) -> {name: expression}, added to the overview's project queryset (names must be unique)."""
    return _ordered(DASHBOARD_ANNOTATIONS, order)


def dashboard_column(column: Column):
    _replace(DASHBOARD_COLUMNS, column, "key")


def dashboard_filter(field: FilterField):
    _replace(DASHBOARD_FILTERS, field, "name")


def attention(condition: Attention):
    _replace(ATTENTION, condition, "key")


def timeline_source(order):
    """fn(rows, today) -> {project_id: [Segment, …]}: an app's bars and markers for a page of projects,
    in one query for the whole page."""
    return _ordered(TIMELINE_SOURCES, order)


def dashboard_page_decorator(order):
    """fn(rows) sets attributes on the rows shown (a page, or every exported row) in one query, for what an
    annotation cannot carry (an item's name in the active language, say)."""
    return _ordered(PAGE_DECORATORS, order)


@dataclass(frozen=True)
class Breakdown:
    """Counts of the filtered projects by something an app knows (the current phase, say), shown at the top of
    the overview. `fields` are annotations to group by; `choice(values)` maps one group's values (a dict) to
    (sort key, filter value, label), or None to leave the group out. Every breakdown and the attention counts
    come from one grouped query, so a new breakdown costs no query."""

    key: str
    label: Any
    order: int
    param: str  # the filter a count links to
    fields: tuple
    choice: Any


def dashboard_breakdown(breakdown: Breakdown):
    _replace(BREAKDOWNS, breakdown, "key")


def risk_matrix_provider(fn):
    """fn(project_queryset) -> list of (likelihood 1-5, consequence 1-5, risk) for the open risks of those
    projects, where a risk has `title`, `project` and `get_absolute_url()`. The portfolio risk matrix is
    shown when an app registers one."""
    if fn not in RISK_MATRIX_PROVIDERS:
        RISK_MATRIX_PROVIDERS.append(fn)
    return fn


SUMMARY_REFRESHERS: list[Any] = []


def summary_refresher(fn):
    """fn(project_ids) recomputes, for those projects, the summary an app stores for the overview (one row per
    project: what the overview would otherwise compute from many rows on every request). Each app calls its own
    from the services that change what it summarises; `summaries_refresh` runs them all."""
    if fn not in SUMMARY_REFRESHERS:
        SUMMARY_REFRESHERS.append(fn)
    return fn


def summary_rows_store(model, project_ids, compute, fields):
    """Store `model`'s one row per project for these projects, in one transaction: create the missing rows, lock
    them all in project order, and only then call `compute(ids)` ({project id: {field: value}}), so a second
    transaction on the same project waits for the first and reads what it committed; then write the fields
    back. Each app's refresher says what to compute; this is how every summary is stored."""
    from django.db import transaction

    ids = sorted(set(project_ids))
    if not ids:
        return
    with transaction.atomic():
        model.objects.bulk_create([model(project_id=pk) for pk in ids], ignore_conflicts=True)
        rows = model.objects.select_for_update().filter(project_id__in=ids).order_by("project_id")
        locked = {row.project_id: row for row in rows}
        for pk, values in compute(ids).items():
            for name, value in values.items():
                setattr(locked[pk], name, value)
        model.objects.bulk_update(locked.values(), fields, batch_size=500)


def summaries_refresh(project_ids):
    """Recompute every app's stored overview summary of these projects (after a membership change, a backfill,
    or test data written without the services)."""
    ids = list(project_ids)
    for fn in SUMMARY_REFRESHERS:
        fn(ids)


def _replace(registry, entry, attr):
    """Add `entry` to `registry` (replacing one with the same key), kept sorted by `order`."""
    registry[:] = [e for e in registry if getattr(e, attr) != getattr(entry, attr)]
    registry.append(entry)
    registry.sort(key=lambda e: e.order)


@dataclass
class TaskRow:
    """One line on *Mine oppgaver*: something assigned to the person or waiting for their sign-off."""

    kind: Any  # lazy label, e.g. "Checklist item"
    title: str
    url: str
    project: Any  # the Project
    due_date: date | None = None
    detail: str = ""

    def is_overdue(self, today):
        return self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class TaskSource:
    """A kind of row on *Mine oppgaver*, read a page at a time so that the page costs the same whatever the
    number of the person's projects.

    - `counts(user, today)` -> (rows, overdue rows), counted in the database;
    - `keys(user, today, limit)` -> at most `limit` pairs (deadline or None, key) of the person's rows in
      deadline order, undated last (keys only: ids, no content);
    - `rows(user, today, keys)` -> {key: TaskRow} for the keys of one page.
    """

    key: str
    order: int
    counts: Any
    keys: Any
    rows: Any


TASK_SOURCES: list[TaskSource] = []


def task_source(source: TaskSource):
    _replace(TASK_SOURCES, source, "key")


@dataclass
class CalendarEvent:
    """A dated thing of a project in the calendar feeds. `uid` must stay the same for the same thing."""

    uid: str
    day: date
    summary: str
    project: Any
    url: str = ""
    description: str = ""


CALENDAR_EVENTS: list[tuple[int, Any]] = []


def calendar_events(order):
    return _ordered(CALENDAR_EVENTS, order)
