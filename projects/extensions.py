"""One way for an app to plug into the apps below it: named hooks.

An app adds an entry (a function, or a small object such as a `Tab` or a `Column`) under a hook's name in its
`hooks.py`, and the app that reads the hook asks for the entries in order:

    @extensions.register("nav_item", order=30)
    def _templates_link(request): ...

    for fn in extensions.get("nav_item"): ...

`get(name)` gives the entries sorted by `order` (then in the order they were registered); an entry that has an
`order` attribute (a `Column`, a `Tab`) is placed by it unless `order` is given. `by_key(name)` gives entries
that carry a key (`key` or another attribute) as a dict. The same entry registered twice under one name is kept
once. Every app's `hooks.py` is imported once, when the apps are ready (`projects.apps`), so a hook is filled
before the first request; a test adds an entry for its own duration with `registered(name, entry)`.

The hooks, who reads them and what an entry is, are listed in docs/architecture.md ("Hooks");
`tests/projects/test_hooks.py` fails when a hook is registered or read under a name the table does not list.
`project_created` and `project_updated` stay Django signals (sent inside the service's transaction).
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.dispatch import Signal

project_created = Signal()  # sender=Project, project=…, by=…, options={…}
# Sent inside project_update's transaction when fields changed; `before` holds their earlier values.
project_updated = Signal()  # sender=Project, project=…, by=…, before={field: old value}

_ENTRIES: dict[str, list[tuple[Any, Any]]] = defaultdict(list)  # name -> [(order, entry)] in registration order
_SORTED: dict[str, tuple] = {}  # name -> the entries in order (what `get` returns), rebuilt after a change
_KEYED: dict[tuple[str, str], dict] = {}


def register(name: str, entry=None, *, order=None):
    """Add `entry` under the hook `name`; without `entry`, a decorator that adds the function it decorates."""
    if entry is None:
        return lambda fn: register(name, fn, order=order)
    if all(existing != entry for _order, existing in _ENTRIES[name]):
        _ENTRIES[name].append((getattr(entry, "order", 0) if order is None else order, entry))
        _changed(name)
    return entry


def get(name: str) -> tuple:
    """The entries of the hook `name`, in order (an empty tuple if nobody registered one)."""
    try:
        return _SORTED[name]
    except KeyError:
        entries = tuple(entry for _order, entry in sorted(_ENTRIES.get(name, ()), key=lambda p: p[0]))
        _SORTED[name] = entries
        return entries


def by_key(name: str, attr: str = "key") -> dict:
    """The entries of the hook `name` as {entry.<attr>: entry}; a later entry with the same key wins."""
    try:
        return _KEYED[(name, attr)]
    except KeyError:
        keyed = {getattr(entry, attr): entry for entry in get(name)}
        _KEYED[(name, attr)] = keyed
        return keyed


def unregister(name: str, entry) -> None:
    _ENTRIES[name] = [(o, e) for o, e in _ENTRIES[name] if e != entry]
    _changed(name)


@contextmanager
def registered(name: str, *entries, order=None, alone: bool = False):
    """For a test: `entries` are registered under `name` inside the `with` block and removed after it; with
    `alone=True` they are the hook's only entries there (the apps' own come back afterwards)."""
    saved = list(_ENTRIES[name])
    if alone:
        _ENTRIES[name] = []
        _changed(name)
    try:
        for entry in entries:
            register(name, entry, order=order)
        yield entries[0] if len(entries) == 1 else entries
    finally:
        _ENTRIES[name] = saved
        _changed(name)


def names() -> set[str]:
    """The names of every hook somebody registered an entry under."""
    return {name for name, entries in _ENTRIES.items() if entries}


def _changed(name):
    _SORTED.pop(name, None)
    for key in [k for k in _KEYED if k[0] == name]:
        del _KEYED[key]


@dataclass(frozen=True)
class Tab:
    """A tab in the project's second row (hook `project_tab`)."""

    key: str
    label: Any
    url_name: str
    order: int
    perm: str = "projects.view_project"


@dataclass(frozen=True)
class CreateField:
    """A field on the project-create form (hook `project_create_field`): `factory()` builds it; its value reaches
    the `project_created` receivers in `options[name]`."""

    name: str
    factory: Any


def rollup_rows_store(model, project_ids, compute, fields):
    """Store `model`'s one row per project for these projects, in one transaction: create the missing rows, lock
    them all in project order, and only then call `compute(ids)` ({project id: {field: value}}), so a second
    transaction on the same project waits for the first and reads what it committed; then write the fields
    back. Each app's refresher says what to compute; this is how every rollup is stored."""
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
        _rows_update(model, list(locked.values()), fields)


# From this many rows on, PostgreSQL writes the rollups back with one UPDATE … FROM (VALUES …) per batch: Django's
# bulk_update builds a CASE WHEN per field and row, which takes seconds of Python per thousand projects (the
# benchmark's 20 000 projects and `refresh_rollups` spent most of their time there); a service's one project and
# SQLite keep bulk_update.
VALUES_UPDATE_FROM = 50
VALUES_UPDATE_BATCH = 1000


def _rows_update(model, rows, fields):
    from django.db import connection

    if connection.vendor != "postgresql" or len(rows) < VALUES_UPDATE_FROM:
        model.objects.bulk_update(rows, fields, batch_size=500)
        return
    meta = model._meta
    key = meta.get_field("project")
    columns = [key, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    cast = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in columns)
    assign = ", ".join(f"{quote(f.column)} = v.column{n}" for n, f in enumerate(columns[1:], start=2))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), VALUES_UPDATE_BATCH):
            batch = rows[start : start + VALUES_UPDATE_BATCH]
            values = ", ".join([f"({cast})"] * len(batch))
            params = [f.get_db_prep_save(getattr(row, f.attname), connection) for row in batch for f in columns]
            # Only quoted names and %s placeholders are put into the statement; the values go as parameters.
            where = f"{table}.{quote(key.column)} = v.column1"
            cursor.execute(f"UPDATE {table} SET {assign} FROM (VALUES {values}) AS v WHERE {where}", params)  # noqa: S608


def rollups_refresh(project_ids):
    """Recompute every app's rollup (hook `rollup_refresher`: fn(project_ids) recomputes the
    one row per project an app stores for the overview) of these projects (after a membership change, a backfill,
    or test data written without the services)."""
    ids = list(project_ids)
    for fn in get("rollup_refresher"):
        fn(ids)


@dataclass(frozen=True)
class QueueSource:
    """A kind of thing that waits for a coordinator (hook `coordinator_queue`): the list that opens *Oversikt*,
    counted in the top bar.

    - `pending()` -> a queryset of the waiting objects; every source's is counted in one query (their keys,
      UNION ALL), so the top bar costs one query whatever the number of sources;
    - `rows(limit)` -> at most `limit` `QueueRow`s, the oldest first, in a fixed number of queries.
    """

    key: str
    label: Any  # lazy text naming the kind, e.g. "Order forms sent to EBE"
    order: int
    pending: Any
    rows: Any


@dataclass
class QueueRow:
    """One thing waiting for a coordinator: what, in which project, since when, and where it is handled."""

    title: str
    project: Any
    since: date | None
    url: str
    action: Any  # the link's text, e.g. "Accept the order"


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


@dataclass(frozen=True)
class CalendarWindow:
    """The days a default calendar feed covers (from `start` to `end`, both included); sources leave out what is
    done (ticked items, activities of completed phases). A feed for "everything" passes no window (None)."""

    start: date
    end: date

    def __contains__(self, day) -> bool:
        return day is not None and self.start <= day <= self.end


class CalendarProjects(list):
    """The projects of a feed, handed to every `calendar_events` source: a list of them (for names and
    permissions), and `ids`, what a source filters its rows by. For a personal feed `ids` is the query that
    selects the person's projects, so the database reads it as a subquery: a list of 20 000 ids as 20 000
    parameters took longer to build, send and parse than to read the rows."""

    def __init__(self, projects, ids=None):
        super().__init__(projects)
        self.ids = [p.pk for p in self] if ids is None else ids


@dataclass(slots=True)  # a representative's feed of everything makes some 90 000 per 2 000 projects
class CalendarEvent:
    """A dated thing of a project in the calendar feeds. `uid` must stay the same for the same thing."""

    uid: str
    day: date
    summary: str
    project: Any
    url: str = ""
    description: str = ""
