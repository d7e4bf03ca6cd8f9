"""Writes of the toolbox, for coordinators: an entry with its link or file and the activities it is tied to."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import User
from projects.services import fields_assign, with_history_user
from projects.uploads import attachment_store

from .models import Entry, EntryFile, Placement

FIELDS = ("title", "description", "kind", "language", "url")


def _require(by):
    if not by.has_perm("toolbox.manage_toolbox"):
        raise PermissionDenied


def _placements(values):
    out = []
    for value in values or []:
        template_key, _sep, activity_key = str(value).partition(":")
        if not template_key or not activity_key:
            raise ValidationError({"activities": _("Choose activities from the list.")})
        out.append((template_key, activity_key))
    if not out:
        raise ValidationError({"activities": _("Tie the entry to at least one activity.")})
    return sorted(set(out))


@transaction.atomic
def entry_save(*, by: User, entry: Entry | None = None, activities, upload=None, remove_file=False, **fields) -> Entry:
    """Create or change an entry. It holds a link or a file (not both, not neither) and is tied to at least one
    activity ("template-key:activity-key")."""
    _require(by)
    entry = entry or Entry(created_by=by)
    if entry.pk:
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
    fields_assign(entry, fields, FIELDS)
    entry.title = (entry.title or "").strip()
    entry.url = (entry.url or "").strip()
    placements = _placements(activities)
    existing = EntryFile.objects.filter(entry=entry).first() if entry.pk else None
    keeps_file = existing is not None and not remove_file
    _link_or_file(entry, upload=upload, keeps_file=keeps_file)
    entry.full_clean()
    with_history_user(entry, by).save()
    if existing is not None and (remove_file or upload is not None):
        with_history_user(existing, by).delete()  # the stored file stays, as an item's removed attachment does
    if upload is not None:
        attachment_store(with_history_user(EntryFile(entry=entry), by), upload=upload, by=by)
    _placements_set(entry, placements)
    return entry


def _link_or_file(entry, *, upload, keeps_file):
    """An entry holds a link or a file: not both, not neither."""
    if upload is not None and entry.url:
        raise ValidationError({"file": _("Give either a link or a file, not both.")})
    if upload is None and not keeps_file and not entry.url:
        raise ValidationError({"url": _("Give a link or upload a file.")})
    if keeps_file and upload is None and entry.url:
        raise ValidationError({"url": _("The entry has a file. Remove the file to give a link instead.")})


def _placements_set(entry, placements):
    """The entry's activities become exactly `placements` (those it keeps are left as they are)."""
    Placement.objects.filter(entry=entry).exclude(
        pk__in=[p.pk for p in Placement.objects.filter(entry=entry) if (p.template_key, p.activity_key) in placements]
    ).delete()
    for template_key, activity_key in placements:
        Placement.objects.get_or_create(entry=entry, template_key=template_key, activity_key=activity_key)


@transaction.atomic
def entry_delete(*, entry: Entry, by: User) -> None:
    _require(by)
    with_history_user(entry, by).delete()
