"""Reads of the toolbox: the list and its search, the entries of an activity, the activities an entry can be
tied to."""

from django.db.models import Prefetch, QuerySet, Subquery

from phases.models import Process, ProcessTemplate, is_english
from projects import search

from .models import Entry, EntryFile, Placement


def _entries() -> QuerySet[Entry]:
    return Entry.objects.prefetch_related(
        Prefetch("placements", queryset=Placement.objects.order_by("template_key", "activity_key")),
        Prefetch("file_attachment", queryset=EntryFile.objects.all()),
    ).select_related("file_attachment")


def entries_matching(*, query: str = "", kind: str = "", language: str = "") -> QuerySet[Entry]:
    """Entries whose title or description contains every word of `query`, accents and case aside."""
    qs = Entry.objects.select_related("file_attachment").prefetch_related("placements")
    if query:
        qs = qs.filter(search.contains(query, "title", "description"))
    if kind:
        qs = qs.filter(kind=kind)
    if language:
        qs = qs.filter(language=language)
    return qs.order_by("title", "pk")


def template_key_of(project) -> str | None:
    return Process.objects.filter(project=project).values_list("template__key", flat=True).first()


def entries_for_activity(*, project, activity) -> list[Entry]:
    """The entries tied to this activity's key in the template the project follows (any version of it), in
    one query."""
    template_key = Process.objects.filter(project_id=project.pk).values("template__key")[:1]
    return list(
        Entry.objects.filter(placements__template_key=Subquery(template_key), placements__activity_key=activity.key)
        .select_related("file_attachment")
        .order_by("title", "pk")
        .distinct()
    )


def activity_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(template name, [("template-key:activity-key", "Phase – Activity")])] from the newest version of each
    template, for tying an entry to activities."""
    lang = "en" if is_english() else "nb"
    newest = {}
    for template in ProcessTemplate.objects.order_by("key", "-version"):
        newest.setdefault(template.key, template)
    groups = []
    for template in newest.values():
        options = []
        for phase in template.definition.get("phases", []):
            for activity in phase.get("activities", []):
                label = f"{phase['name'][lang]} – {activity['name'][lang]}"
                options.append((f"{template.key}:{activity['key']}", label))
        groups.append((template.name, options))
    return groups


def placement_labels() -> dict[str, str]:
    """ "template-key:activity-key" -> its label, for showing where an entry is placed."""
    return {value: f"{group} · {label}" for group, options in activity_choices() for value, label in options}
