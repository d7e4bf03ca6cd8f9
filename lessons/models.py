"""The lessons-learned register across projects (erfaringslogg): what happened and what to do next time,
written in a project for one of its phases; coordinators decide which lessons are shared, and the owner of a
later project following the same template sees the shared lessons of the phase they are in.

A lesson names its phase by the template's key and the phase's key (stable across template versions) and keeps
the phase's name as it was, so it stays readable after its project is gone."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phases.models import Bilingual
from projects.models import Project
from projects.validators import single_line


class Lesson(Bilingual, models.Model):
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons")
    project_name = models.CharField(_("project"), max_length=200, validators=[single_line])
    template_key = models.SlugField(max_length=80)
    phase_key = models.SlugField(max_length=80)
    phase_name_nb = models.CharField(max_length=200, validators=[single_line])
    phase_name_en = models.CharField(max_length=200, validators=[single_line])
    what_happened = models.TextField(_("what happened"), validators=[MaxLengthValidator(4000)])
    next_time = models.TextField(_("what to do next time"), validators=[MaxLengthValidator(4000)])
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, validators=[single_line],
        help_text=_("A few words, separated by commas: e.g. information, noise, IT."),
    )  # fmt: skip
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    shared = models.BooleanField(_("shared with later projects"), default=False)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["template_key", "phase_key", "shared"], name="lesson_phase_shared")]

    def __str__(self):
        return self.next_time[:80]

    @property
    def phase_name(self):
        return self.tr("phase_name")

    @property
    def tag_list(self):
        return [t.strip() for t in self.tags.split(",") if t.strip()]
