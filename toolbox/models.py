"""The toolbox (verktøykasse) that coordinators keep: examples, plans, checklists, procedures, course links and
the requirement specification from earlier projects, each tied to activities of the process templates.

An entry is tied to an activity by the template's key and the activity's key (`Placement`), never to a row: a
project's activities are copies, and a new version of a template keeps the keys, so it keeps its entries."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Attachment
from projects.validators import single_line


class Entry(models.Model):
    class Kind(models.TextChoices):
        EXAMPLE = "example", _("Example")
        PLAN = "plan", _("Plan")
        CHECKLIST = "checklist", _("Checklist")
        PROCEDURE = "procedure", _("Procedure")
        COURSE = "course", _("Course")
        SPECIFICATION = "specification", _("Requirement specification")
        TEMPLATE = "template", _("Template to fill in")

    class Language(models.TextChoices):
        NB = "nb", _("Norwegian Bokmål")
        NN = "nn", _("Norwegian Nynorsk")
        EN = "en", _("English")

    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    description = models.TextField(_("description"), blank=True, validators=[MaxLengthValidator(2000)])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.NB)
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toolbox entry")
        verbose_name_plural = _("toolbox entries")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class Placement(models.Model):
    """Where an entry is shown: an activity of a template, by their keys (stable across template versions)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="placements")
    template_key = models.SlugField(max_length=80)
    activity_key = models.SlugField(max_length=80)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["entry", "template_key", "activity_key"], name="toolbox_placement_once")
        ]
        indexes = [models.Index(fields=["template_key", "activity_key"], name="toolbox_placement_activity")]

    def __str__(self):
        return f"{self.template_key}:{self.activity_key}"


class EntryFile(Attachment):
    """The file of an entry, stored like every attachment (Django's storage API, SHA-256 checked on download)."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="file_attachment")

    history = HistoricalRecords()

    class Meta(Attachment.Meta):
        verbose_name = _("toolbox file")
        verbose_name_plural = _("toolbox files")

    def upload_dir(self):
        return "toolbox"
