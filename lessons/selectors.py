"""Reads of the register: a project's own lessons, the shared lessons for the phase a project is in, and the
register's search."""

from django.db.models import QuerySet, Subquery

from phases.models import Phase, Process
from projects import search

from .models import Lesson


def lessons_of(*, project) -> list[Lesson]:
    return list(Lesson.objects.filter(project=project).select_related("written_by", "shared_by"))


def current_phase(project) -> Phase | None:
    """The first phase not completed (the phase the project is in)."""
    return Phase.objects.filter(project=project, completed_at__isnull=True).order_by("order").first()


def shared_for_phase(*, project, phase: Phase | None, limit: int | None = None) -> list[Lesson]:
    """Shared lessons of other projects for `phase` of the template this project follows."""
    if phase is None:
        return []
    template_key = Process.objects.filter(project=project).values_list("template__key", flat=True).first()
    if template_key is None:
        return []
    qs = (
        Lesson.objects.filter(template_key=template_key, phase_key=phase.key, shared=True)
        .exclude(project=project)
        .order_by("-shared_at", "-pk")
    )
    return list(qs[:limit] if limit else qs)


def shared_for_current_phase(*, project, limit: int) -> list[Lesson]:
    """The shared lessons for the phase the project is in (its first phase not completed), in one query."""
    phase_key = Phase.objects.filter(project_id=project.pk, completed_at__isnull=True).order_by("order").values("key")
    template_key = Process.objects.filter(project_id=project.pk).values("template__key")
    return list(
        Lesson.objects.filter(template_key=Subquery(template_key[:1]), phase_key=Subquery(phase_key[:1]), shared=True)
        .exclude(project_id=project.pk)
        .order_by("-shared_at", "-pk")[:limit]
    )


def register(*, user, query: str = "", state: str = "") -> QuerySet[Lesson]:
    """The register as `user` may read it: coordinators every lesson, others the shared ones; `query` matches
    every word in what happened, what to do next time, the tags, the phase or the project (accents aside)."""
    qs = Lesson.objects.select_related("written_by")
    if not user.has_perm("lessons.share_lesson") or state == "shared":
        qs = qs.filter(shared=True)
    elif state == "unshared":
        qs = qs.filter(shared=False)
    if query:
        qs = qs.filter(
            search.contains(
                query, "what_happened", "next_time", "tags", "phase_name_nb", "phase_name_en", "project_name"
            )
        )
    return qs.order_by("-written_at", "-pk")
