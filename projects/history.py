"""A project's own history: every recorded change to its data, newest first, with who and old → new values.

Apps register a `HistorySource` for their historical models under the hook `history_source`, so that projects
never imports the apps that depend on it. A source returns the historical rows that belong to one project.
"""

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.db import models
from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext_lazy as _

from . import extensions

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}

# Bookkeeping fields that mean nothing to a reader of the history (ordering keys, file internals). Apps add
# their own under the hook `history_hidden_fields`, as a tuple of names (hashes, copies of definitions …).
HIDDEN_FIELDS = frozenset({"key", "order", "file", "size", "content_type"})


def hidden_fields() -> frozenset:
    """The field names kept out of every history entry."""
    hidden = extensions.get("history_hidden_fields")
    if _HIDDEN[0] is not hidden:
        _HIDDEN[:] = [hidden, HIDDEN_FIELDS.union(*hidden)]
    return _HIDDEN[1]


_HIDDEN = [None, HIDDEN_FIELDS]


def sources() -> tuple:
    """The registered history sources, in order (hook `history_source`)."""
    return extensions.get("history_source")


def tr(obj, field):
    """A bilingual text of a (historical) object in the active language: `field`_en or `field`_nb."""
    from django.utils.translation import get_language

    if (get_language() or "nb").startswith("en"):
        return getattr(obj, f"{field}_en", "") or getattr(obj, f"{field}_nb")
    return getattr(obj, f"{field}_nb")


@functools.cache
def _manager_class(manager_class, queryset_class):
    return manager_class.from_queryset(queryset_class)


def history_of(model):
    """`model.history` (the historical records of every object of `model`) without its cost: simple_history's
    descriptor builds a new manager class on every access (about 0.6 ms, inspecting every method), and a history
    page reads some 40 sources. The class is built once per model here."""
    descriptor = inspect.getattr_static(model, model._meta.simple_history_manager_attribute)
    return _manager_class(descriptor.manager_class, descriptor.queryset_class)(descriptor.model)


@dataclass(frozen=True)
class HistorySource:
    """An entry of the hook `history_source`: rows(project) -> historical records; label(record) -> what the
    record is about.

    `rows` filters by `project.pk` and reads nothing else of the project: the query over every source is
    compiled once for all projects (`_page_keys`).

    `show_created=False` keeps creation records out of the list (items copied from a template, say: one
    entry for the process stands for them) while still using them to show the first change as old → new.
    """

    rows: Callable
    label: Callable
    show_created: bool = True


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: object
    subject: str
    action: str
    action_code: str
    changes: list[Change] = field(default_factory=list)


def _display(record, f):
    value = getattr(record, f.attname)
    if value in (None, ""):
        return "–"
    if isinstance(f, models.ForeignKey):
        # Sources select_related the foreign keys worth naming; others show their id rather than cost a query.
        return str(getattr(record, f.name)) if f.is_cached(record) else f"#{value}"
    if isinstance(f, models.DateTimeField):
        from django.utils import timezone
        from django.utils.formats import date_format

        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(f, models.DateField):
        from django.utils.formats import date_format

        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _tracked_fields(record):
    skip = {"history_id", "history_date", "history_change_reason", "history_type", "history_user", "id"}
    hidden = hidden_fields()
    return [
        f
        for f in record._meta.concrete_fields
        if f.name not in skip
        and f.name not in hidden
        and not f.name.startswith("history_")
        and not isinstance(f, models.AutoField)
        and not getattr(f, "auto_now_add", False)
    ]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _cursor(key) -> str:
    """A page boundary as it goes into a link: the entry's time (microseconds since 1970, UTC), source, id."""
    source, when, h_id = key
    return f"{(when - _EPOCH) // timedelta(microseconds=1)}.{source}.{h_id}"


def _parse_cursor(value):
    """(time, source, id) from a link, or None for anything else (the newest page is shown then)."""
    try:
        micros, source, h_id = (int(part) for part in str(value).split("."))
        return _EPOCH + timedelta(microseconds=micros), source, h_id
    except (TypeError, ValueError, OverflowError):
        return None


@dataclass
class HistoryPage:
    """One page of a project's history. The links carry a cursor, the time, source and id of the entry at
    the page's edge (keyset pagination): the next page reads the entries beyond it, so a page deep in a long
    history costs what the newest page costs. No total is counted (that would read every row): the page knows
    whether more exist from reading one row more than it shows. `number` only labels the page."""

    object_list: list
    number: int
    has_next: bool  # older entries exist
    has_previous: bool  # newer entries exist
    older: str = ""  # the cursor of the page's oldest entry
    newer: str = ""  # the cursor of the page's newest entry

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return max(1, self.number - 1)

    @property
    def older_query(self):
        return urlencode({"older": self.older, "page": self.next_page_number()})

    @property
    def newer_query(self):
        return urlencode({"newer": self.newer, "page": self.previous_page_number()})


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 100_000))
    except (TypeError, ValueError):
        return 1


def _beyond(index, cursor, older):
    """The rows of source `index` beyond `cursor` in the order (time, source, id): before it when `older`."""
    when, source, h_id = cursor
    if older:
        if index < source:
            return Q(history_date__lte=when)
        if index > source:
            return Q(history_date__lt=when)
        # The redundant bound lets the database start an index scan at the cursor (it cannot from an OR).
        return Q(history_date__lte=when) & (Q(history_date__lt=when) | Q(history_date=when, history_id__lt=h_id))
    if index > source:
        return Q(history_date__gte=when)
    if index < source:
        return Q(history_date__gt=when)
    return Q(history_date__gte=when) & (Q(history_date__gt=when) | Q(history_date=when, history_id__gt=h_id))


def _keys_union(project, limit, cursor, going_older):
    """The keys query as a queryset: (source, time, id) of each source's rows beyond the cursor, UNION ALL,
    in page order, at most `limit` rows."""
    parts = []
    for index, source in enumerate(sources()):
        qs = source.rows(project).order_by()
        if not source.show_created:
            qs = qs.exclude(history_type="+")
        if cursor is not None:
            qs = qs.filter(_beyond(index, cursor, going_older))
        parts.append(
            qs.annotate(h_source=Value(index, output_field=IntegerField()), h_date=F("history_date"),
                        h_id=F("history_id")).values_list("h_source", "h_date", "h_id")
        )  # fmt: skip
    union = parts[0].union(*parts[1:], all=True)
    order = ("-h_date", "-h_source", "-h_id") if going_older else ("h_date", "h_source", "h_id")
    return union.order_by(*order)[:limit]


class _ProjectKey:
    """What a source is given while the keys query is compiled for every project at once: the project's key
    and nothing else (a source that reads more of the project makes the query compile per page instead)."""

    __slots__ = ("pk",)

    def __init__(self, pk):
        self.pk = pk

    @property
    def id(self):
        return self.pk


_SLOTS = ("pk", "when", "id")  # the places in the keys query's parameters that take each page's values
# Two sets of stand-in values: the keys query compiled with each must differ exactly where these go. They lie in
# the range of a 32-bit key (Django drops a comparison with a value outside a column's range from the SQL).
_MARKS = (
    {"pk": 2_013_170_001, "when": datetime(1901, 2, 3, 4, 5, 6, 7001, tzinfo=UTC), "id": 2_013_170_011},
    {"pk": 2_013_170_002, "when": datetime(1902, 3, 4, 5, 6, 7, 7002, tzinfo=UTC), "id": 2_013_170_012},
)
# (database, limit, cursor's source, direction) -> (sql, [(fixed value, slot, int wrapper)]) or None
_COMPILED: dict = {}


def _adapted(values, connection):
    """The stand-ins or this page's values as the database driver gets them (a time as text on SQLite)."""
    when = values.get("when")
    if when is not None:
        when = models.DateTimeField().get_db_prep_value(when, connection)
    return {"pk": values["pk"], "when": when, "id": values.get("id")}


def _compile_keys(limit, source, going_older, connection):
    """The keys query's SQL for any project (and any cursor time and id in `source`), with the places of the
    project's key and of the cursor in its parameters; None if the sources' SQL depends on more than those
    (then every page compiles its own)."""
    compiled = []
    for marks in _MARKS:
        cursor = None if source is None else (marks["when"], source, marks["id"])
        try:
            qs = _keys_union(_ProjectKey(marks["pk"]), limit, cursor, going_older)
        except AttributeError:  # a source read more of the project than its key
            return None
        compiled.append((qs.query.get_compiler(connection=connection).as_sql(), _adapted(marks, connection)))
    ((sql_a, params_a), marks_a), ((sql_b, params_b), marks_b) = compiled
    if sql_a != sql_b or len(params_a) != len(params_b):
        return None
    needed = _SLOTS if source is not None else ("pk",)
    params = []
    for a, b in zip(params_a, params_b, strict=True):
        slot = next((name for name in needed if a == marks_a[name] and b == marks_b[name]), None)
        if slot is not None:
            # The driver's integer wrapper (psycopg's Int8, say) is kept for this page's value.
            params.append((None, slot, type(a) if isinstance(a, int) and type(a) is not int else None))
        elif a == b and type(a) is type(b):
            params.append((a, None, None))
        else:
            return None
    if any(all(slot != name for _fixed, slot, _wrap in params) for name in needed):
        return None  # a value the query must depend on is not in it
    return sql_a, params


def _page_keys(project, limit, cursor, going_older) -> list[tuple[int, datetime, int]]:
    """The page's keys (source, time, id), at most `limit`, from one query over every source.

    Building and compiling that query from some 40 querysets costs more than the database takes to run it
    (some 14 ms against 5 on the benchmark's project), and its SQL is the same for every project: only the
    project's key and the cursor's time and id change. So it is compiled once per shape of page (limit,
    direction, the cursor's source) with stand-in values, and each page runs that SQL with its own values. A
    source must filter by the project's key alone for this (`HistorySource`); one that does not is caught
    (compiled with two sets of stand-ins, the SQL must differ only in those) and compiled per page instead."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    source = None if cursor is None else cursor[1]
    # The registered sources are part of the shape: a test that registers one for a while gets its own SQL.
    shape = (connection.vendor, connection.settings_dict["NAME"], limit, source, going_older, sources())
    if shape not in _COMPILED:
        _COMPILED[shape] = _compile_keys(limit, source, going_older, connection)
    if _COMPILED[shape] is None:
        return list(_keys_union(project, limit, cursor, going_older))
    sql, slots = _COMPILED[shape]
    values = {"pk": project.pk}
    if cursor is not None:
        values.update(when=cursor[0], id=cursor[2])
    values = _adapted(values, connection)
    params = [fixed if slot is None else wrap(values[slot]) if wrap else values[slot] for fixed, slot, wrap in slots]
    field = Value(None, output_field=models.DateTimeField())
    converters = connection.ops.get_db_converters(field) + field.get_db_converters(connection)
    with connection.cursor() as db:
        db.execute(sql, params)
        rows = db.fetchall()
    keys = []
    for source_index, when, h_id in rows:
        for convert in converters:
            when = convert(when, field, connection)
        keys.append((source_index, when, h_id))
    return keys


def history_page(project, size=50, *, older=None, newer=None, number=1) -> HistoryPage:
    """A page of the project's history, newest first, paged in the database by keyset.

    Without a cursor, the newest `size` entries; with `older` (a cursor from a link), the `size` entries
    before it; with `newer`, the `size` entries after it. One query reads the page's keys (source, time, id)
    from every source at once (each source's rows beyond the cursor, UNION ALL, ORDER BY, LIMIT); then, for
    each source on the page, one query reads its records with the id of each one's previous record of the same
    object, and one reads those previous records (for old → new). So the newest page costs the same whether
    the history holds 100 rows or 10 000, and a page deep in it costs what the newest costs. A change of hidden
    fields only (a hash, say) is read but not shown, so a page may show a few entries fewer than `size`.
    """
    number = _page_number(number)
    cursor = _parse_cursor(older) if older else None
    going_older = True
    if cursor is None and newer:
        cursor = _parse_cursor(newer)
        going_older = cursor is None
    if cursor is None:
        number = 1
    if not sources():
        return HistoryPage([], 1, False, False)
    keys = _page_keys(project, size + 1, cursor, going_older)
    more = len(keys) > size
    if going_older:
        keys = keys[:size]
        has_next, has_previous = more, cursor is not None
    else:
        keys = list(reversed(keys[:size]))
        has_next, has_previous = True, more
    if not has_previous:
        number = 1
    records = _page_records(project, keys)
    entries = []
    for source, _date, h_id in keys:
        if (source, h_id) not in records:
            continue
        record, before, label = records[(source, h_id)]
        entry = _entry(record, before, label)
        if entry is not None:
            entries.append(entry)
    return HistoryPage(
        entries,
        number,
        has_next,
        has_previous,
        older=_cursor(keys[-1]) if keys else "",
        newer=_cursor(keys[0]) if keys else "",
    )


def _page_records(project, keys) -> dict:
    """{(source, history id): (record, the object's previous record, label)} of the page's keys: per source on
    the page, one query for its records with each one's previous record's id, one for those previous records."""
    records = {}
    for index, history_source in enumerate(sources()):
        ids = [h_id for source, _date, h_id in keys if source == index]
        if not ids:
            continue
        label = history_source.label
        base = history_source.rows(project)
        model = base.model
        earlier = model._default_manager.filter(id=OuterRef("id"), history_date__lte=OuterRef("history_date")).filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        page_rows = list(
            base.filter(history_id__in=ids).annotate(
                previous_id=Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1])
            )
        )
        previous_ids = [r.previous_id for r in page_rows if r.history_type == "~" and r.previous_id]
        previous = {r.history_id: r for r in base.filter(history_id__in=previous_ids)} if previous_ids else {}
        for record in page_rows:
            records[(index, record.history_id)] = (record, previous.get(record.previous_id), label)
    return records


def _entry(record, before, label) -> Entry | None:
    """What one historical record changed compared with the object's previous record (None: nothing shown)."""
    changes = []
    if record.history_type == "~" and before is not None:
        for f in _tracked_fields(record):
            if getattr(before, f.attname) != getattr(record, f.attname):
                changes.append(Change(str(f.verbose_name), _display(before, f), _display(record, f)))
        if not changes:
            return None
    return Entry(
        when=record.history_date,
        who=record.history_user,
        subject=label(record),
        action=str(ACTIONS[record.history_type]),
        action_code=record.history_type,
        changes=changes,
    )


def project_rows(project):
    from .models import Project

    return history_of(Project).filter(id=project.pk).select_related("history_user")


def membership_rows(project):
    from .models import Membership

    return history_of(Membership).filter(project_id=project.pk).select_related("history_user", "user")


def unit_rows(project):
    from .models import ProjectUnit

    return history_of(ProjectUnit).filter(project_id=project.pk).select_related("history_user", "unit")


def document_rows(project):
    from .models import GeneratedDocument

    return history_of(GeneratedDocument).filter(project_id=project.pk).select_related("history_user")


def document_label(record):
    from .documents import kinds

    kind = kinds().get(record.kind)
    return str(
        _("%(document)s, version %(v)s") % {"document": kind.label if kind else record.kind, "v": record.version}
    )


# The core's own sources are registered in projects/hooks.py.
