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


def _entries(records, label, show_created=True):
    """Pair each record with the previous one of the same object and list what changed."""
    previous = {}
    out = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        fields = _tracked_fields(record)
        before = previous.get(record.id)
        changes = []
        if record.history_type == "~" and before is not None:
            for f in fields:
                if getattr(before, f.attname) != getattr(record, f.attname):
                    changes.append(Change(str(f.verbose_name), _display(before, f), _display(record, f)))
            if not changes:
                previous[record.id] = record
                continue
        previous[record.id] = record
        if record.history_type == "+" and not show_created:
            continue
        out.append(
            Entry(
                when=record.history_date,
                who=record.history_user,
                subject=label(record),
                action=str(ACTIONS[record.history_type]),
                action_code=record.history_type,
                changes=changes,
            )
        )
    return out


def project_history(project, limit=None) -> list[Entry]:
    """Entries of the project's history, newest first (one query per source).

    With `limit`, only the newest records of each source are read (with some older ones, so that most
    changes can be shown as old → new); a change whose previous record falls outside shows no detail.
    """
    entries = []
    for rows, label, show_created in _SOURCES:
        records = rows(project)
        if limit:
            records = records.order_by("-history_date", "-history_id")[: limit * 4]
        entries.extend(_entries(list(records), label, show_created))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit] if limit else entries


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
