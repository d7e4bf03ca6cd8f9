"""Writes of the register: a lesson written in a project, shared or withdrawn by a coordinator."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.models import Phase, Process
from projects.models import Project, User
from projects.services import with_history_user

from .models import Lesson


@transaction.atomic
def lesson_write(
    *, project: Project, by: User, phase: Phase, what_happened: str, next_time: str, tags: str = ""
) -> Lesson:
    """A lesson from one of the project's phases (the evaluation phase too). Not shared until a coordinator
    shares it."""
    if not by.has_perm("lessons.write_lesson", project):
        raise PermissionDenied
    if phase.project_id != project.pk:
        raise ValidationError({"phase": _("Choose one of the project's phases.")})
    template_key = Process.objects.filter(project=project).values_list("template__key", flat=True).first()
    if template_key is None:
        raise ValidationError(_("The project has no process yet."))
    tags = ", ".join(dict.fromkeys(t.strip() for t in (tags or "").split(",") if t.strip()))
    lesson = Lesson(
        project=project,
        project_name=project.name,
        template_key=template_key,
        phase_key=phase.key,
        phase_name_nb=phase.name_nb,
        phase_name_en=phase.name_en or phase.name_nb,
        what_happened=(what_happened or "").strip(),
        next_time=(next_time or "").strip(),
        tags=tags,
        written_by=by,
    )
    lesson.full_clean()
    with_history_user(lesson, by).save()
    return lesson


@transaction.atomic
def lesson_share(*, lesson: Lesson, by: User, shared: bool) -> Lesson:
    """A coordinator shares a lesson with the owners of later projects, or withdraws it."""
    if not by.has_perm("lessons.share_lesson"):
        raise PermissionDenied
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    lesson.shared = shared
    lesson.shared_by = by if shared else None
    lesson.shared_at = timezone.now() if shared else None
    with_history_user(lesson, by).save()
    return lesson
