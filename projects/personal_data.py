"""Personal data: one person's export, and the retention rule for completed projects.

Generic over the apps: the export follows every foreign key to the user model, and retention works on the
project's history sources (hook `history_source`) plus the free-text fields each app declares as a
`PersonalText` under the hook `personal_text`, so this module names no app above `projects`. An app changes how
a field is exported with an `ExportValue` under the hook `export_value`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from . import extensions
from .models import Notification, Project, User
from .reminders import in_languages


@dataclass(frozen=True)
class PersonalText:
    """Free-text `fields` of `model` that may hold personal remarks; blanked (live and in history) by retention."""

    model: type[models.Model]
    fields: tuple[str, ...]
    rows: Callable  # rows(project) -> queryset of the live rows of that project


_SKIP_APPS = {"admin", "sessions", "axes", "contenttypes"}


def _value(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


@dataclass(frozen=True)
class ExportValue:
    """Under the hook `export_value`: what a person's export shows for `field` of `model` instead of the stored
    value, as fn(obj, user) (signed content, whose rows some readers may not see, as that person may read it)."""

    model: type[models.Model]
    field: str
    fn: Callable

    @property
    def key(self):
        return (self.model, self.field)


def _row(obj, user=None):
    out = {}
    for f in obj._meta.concrete_fields:
        shown = extensions.by_key("export_value").get((type(obj), f.attname))
        out[f.attname] = _value(shown.fn(obj, user) if shown is not None else getattr(obj, f.attname))
    return out


def person_data(*, user: User) -> dict:
    """Everything the service keeps that points to this person, as plain data (for a JSON export)."""
    user = User.objects.get(pk=user.pk)  # a fresh instance: an `export_value` may keep what it read on it
    data = {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "active": user.is_active,
            "administrator": user.is_staff,
            "global_roles": sorted(user.groups.values_list("name", flat=True)),
            "joined": _value(user.date_joined) if hasattr(user, "date_joined") else None,
            "last_login": _value(user.last_login),
        },
        "records": {},
        "history": {},
    }
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in _SKIP_APPS or model is User:
            continue
        historical = issubclass(model, HistoricalChanges)
        for field in meta.concrete_fields:
            if not (field.is_relation and field.related_model is User):
                continue
            if historical and field.name != "history_user":
                continue
            rows = model._default_manager.filter(**{field.name: user}).order_by("pk")
            for obj in rows:
                if historical:
                    data["history"].setdefault(meta.label, []).append(
                        {
                            "when": _value(obj.history_date),
                            "what": {"+": "created", "~": "changed", "-": "deleted"}[obj.history_type],
                            "object": str(getattr(obj, meta.pk.attname if meta.pk else "id", "")),
                            "values": {k: v for k, v in _row(obj, user).items() if not k.startswith("history_")},
                        }
                    )
                else:
                    data["records"].setdefault(f"{meta.label}.{field.name}", []).append(_row(obj, user))
    return data


def completed_since(project: Project):
    """When the project's status last became completed (from its history), or None if it is not completed."""
    if project.status != Project.Status.COMPLETED:
        return None
    last_open = project.history.exclude(status=Project.Status.COMPLETED).order_by("-history_date").first()
    later = project.history.filter(status=Project.Status.COMPLETED)
    if last_open:
        later = later.filter(history_date__gt=last_open.history_date)
    return later.aggregate(first=Min("history_date"))["first"]


def projects_due_for_anonymisation(*, years: int | None = None, now=None):
    """Completed, not yet anonymised projects whose completion lies more than `years` years back."""
    years = settings.RETENTION_YEARS if years is None else years
    now = now or timezone.now()
    try:
        limit = now.replace(year=now.year - years)
    except ValueError:  # 29 February
        limit = now.replace(year=now.year - years, day=28)
    due = []
    for project in Project.objects.filter(status=Project.Status.COMPLETED, anonymised_at__isnull=True):
        since = completed_since(project)
        if since is not None and since <= limit:
            due.append(project)
    return due


@transaction.atomic
def project_anonymise(*, project: Project) -> dict:
    """Remove names from the project's history and blank the declared free text, live and in history.

    What stays: every record itself (a sign-off's step, role, signer account, decision, time and content
    hash; memberships; generated PDFs, which are archive documents; notifications with a neutral text). The
    project is marked anonymised.
    """
    from .history import sources as history_sources

    counts = {"history": 0, "texts": 0}
    project = Project.objects.select_for_update(no_key=True).get(pk=project.pk)
    sources = [lambda p: p.history.all(), *(s.rows for s in history_sources())]
    seen = set()
    for rows in sources:
        qs = rows(project)
        key = (qs.model, tuple(qs.values_list("pk", flat=True)))
        if key in seen:
            continue
        seen.add(key)
        counts["history"] += qs.model._default_manager.filter(pk__in=key[1]).update(
            history_user=None, history_change_reason=None
        )
    for text in extensions.get("personal_text"):
        live = text.rows(project)
        blank = dict.fromkeys(text.fields, "")
        ids = list(live.values_list("pk", flat=True))
        # The plain QuerySet.update: records that refuse changes (sign-offs) allow this one, by design.
        counts["texts"] += models.QuerySet.update(text.model._base_manager.filter(pk__in=ids), **blank)
        if hasattr(text.model, "history"):
            text.model.history.model._default_manager.filter(**{f"{text.model._meta.pk.attname}__in": ids}).update(
                **blank, history_user=None
            )
    # Reminders name items, steps and sometimes people: each of the project's notifications keeps its
    # recipient, time and read state, and its text becomes a neutral one.
    counts["texts"] += Notification.objects.filter(project=project).update(
        text=in_languages(lambda: _("A reminder in a project whose personal data has been removed."))
    )
    Project.objects.filter(pk=project.pk).update(anonymised_at=timezone.now())
    return counts
