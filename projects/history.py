"""A project's own history: every recorded change to its data, newest first, with who and old → new values.

Apps register a source for their historical models with `register_source`, so that projects never imports
the apps that depend on it. A source returns the historical rows that belong to one project.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

_SOURCES: list[tuple[Callable, Callable, bool]] = []

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}

# Bookkeeping fields that mean nothing to a reader of the history (ordering keys, file internals). Apps add
# their own with `hide_fields` (hashes, copies of definitions …).
HIDDEN_FIELDS = {"key", "order", "file", "size", "content_type"}


def hide_fields(*names):
    """Keep these field names out of every history entry."""
    HIDDEN_FIELDS.update(names)


def tr(obj, field):
    """A bilingual text of a (historical) object in the active language: `field`_en or `field`_nb."""
    from django.utils.translation import get_language

    if (get_language() or "nb").startswith("en"):
        return getattr(obj, f"{field}_en", "") or getattr(obj, f"{field}_nb")
    return getattr(obj, f"{field}_nb")


def register_source(rows: Callable, label: Callable, show_created: bool = True):
    """rows(project) -> historical records; label(record) -> what the record is about.

    `show_created=False` keeps creation records out of the list (items copied from a template, say: one
    entry for the process stands for them) while still using them to show the first change as old → new.
    """
    _SOURCES.append((rows, label, show_created))


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
    return [
        f
        for f in record._meta.concrete_fields
        if f.name not in skip
        and f.name not in HIDDEN_FIELDS
        and not f.name.startswith("history_")
        and not isinstance(f, models.AutoField)
        and not getattr(f, "auto_now_add", False)
    ]


@dataclass
class HistoryPage:
    """One page of a project's history. No total is counted (that would read every row): the page knows
    whether an older one exists from reading one row more than it shows."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 100_000))
    except (TypeError, ValueError):
        return 1


def history_page(project, number=1, size=50) -> HistoryPage:
    """A page of the project's history, newest first, paged in the database.

    One query reads the page's keys (source, time, id) from every source at once (UNION ALL, ORDER BY,
    LIMIT/OFFSET); then, for each source on the page, one query reads its records with the id of each one's
    previous record of the same object, and one reads those previous records (for old → new). So page 1
    costs the same whether the history holds 100 rows or 10 000. A change of hidden fields only (a hash, say)
    is read but not shown, so a page may show a few entries fewer than `size`.
    """
    from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Value

    number = _page_number(number)
    parts = []
    for index, (rows, _label, show_created) in enumerate(_SOURCES):
        qs = rows(project).order_by()
        if not show_created:
            qs = qs.exclude(history_type="+")
        parts.append(
            qs.annotate(h_source=Value(index, output_field=IntegerField()), h_date=F("history_date"),
                        h_id=F("history_id")).values_list("h_source", "h_date", "h_id")
        )  # fmt: skip
    if not parts:
        return HistoryPage([], number, False)
    union = parts[0].union(*parts[1:], all=True).order_by("-h_date", "-h_source", "-h_id")
    offset = (number - 1) * size
    keys = list(union[offset : offset + size + 1])
    has_next = len(keys) > size
    keys = keys[:size]
    records = {}
    for index, (rows, label, _show_created) in enumerate(_SOURCES):
        ids = [h_id for source, _date, h_id in keys if source == index]
        if not ids:
            continue
        model = rows(project).model
        earlier = model._default_manager.filter(id=OuterRef("id")).filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        page_rows = list(
            rows(project)
            .filter(history_id__in=ids)
            .annotate(previous_id=Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1]))
        )
        previous_ids = [r.previous_id for r in page_rows if r.history_type == "~" and r.previous_id]
        previous = {r.history_id: r for r in rows(project).filter(history_id__in=previous_ids)} if previous_ids else {}
        for record in page_rows:
            records[(index, record.history_id)] = (record, previous.get(record.previous_id), label)
    entries = []
    for source, _date, h_id in keys:
        if (source, h_id) not in records:
            continue
        record, before, label = records[(source, h_id)]
        entry = _entry(record, before, label)
        if entry is not None:
            entries.append(entry)
    return HistoryPage(entries, number, has_next)


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


def _project_rows(project):
    return project.history.select_related("history_user").all()


def _membership_rows(project):
    from .models import Membership

    return Membership.history.filter(project_id=project.pk).select_related("history_user", "user")


def _unit_rows(project):
    from .models import ProjectUnit

    return ProjectUnit.history.filter(project_id=project.pk).select_related("history_user", "unit")


def _document_rows(project):
    from .models import Document

    return Document.history.filter(project_id=project.pk).select_related("history_user")


def _document_label(record):
    from .documents import KINDS

    kind = KINDS.get(record.kind)
    return str(
        _("%(document)s, version %(v)s") % {"document": kind.label if kind else record.kind, "v": record.version}
    )


register_source(_project_rows, lambda r: str(_("Project")))
register_source(_membership_rows, lambda r: str(_("Member: %(person)s") % {"person": r.user}))
register_source(_unit_rows, lambda r: str(_("Unit: %(unit)s") % {"unit": r.unit}))
register_source(_document_rows, _document_label, show_created=False)
