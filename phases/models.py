"""Process templates and each project's own copy of one: phases, activities and checklist items."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Attachment, Project, Role
from projects.validators import sensible_date, single_line


def is_english() -> bool:
    """Whether the active language is English: texts stored in both languages show `_en`, falling back to `_nb`.
    A caller with many rows asks once, not per row."""
    return (get_language() or "nb").startswith("en")


class Bilingual:
    """Texts copied from a template are stored in both languages; `tr("name")` picks the active one."""

    def tr(self, field):
        if is_english():
            return getattr(self, f"{field}_en") or getattr(self, f"{field}_nb")
        return getattr(self, f"{field}_nb")

    @property
    def name(self):
        return self.tr("name")


class ProcessTemplate(Bilingual, models.Model):
    """One version of a process template, as loaded from its TOML file. Never changed once loaded."""

    key = models.SlugField(_("key"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    name_nb = models.CharField(_("name (bokmål)"), max_length=200, validators=[single_line])
    name_en = models.CharField(_("name (English)"), max_length=200, validators=[single_line])
    description_nb = models.TextField(_("description (bokmål)"))
    description_en = models.TextField(_("description (English)"))
    definition = models.JSONField(_("definition"))
    source = models.TextField(_("source file"))
    sha256 = models.CharField(_("SHA-256 of the source"), max_length=64, validators=[single_line])
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("process template")
        verbose_name_plural = _("process templates")
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="template_key_version_unique")]

    def __str__(self):
        return f"{self.name_nb} (v{self.version})"

    @property
    def description(self):
        return self.tr("description")

    def counts(self):
        phases = self.definition["phases"]
        activities = [a for p in phases for a in p["activities"]]
        items = [i for a in activities for i in a["items"]]
        return {
            "phases": len(phases),
            "activities": len(activities),
            "items": len(items),
            "mandatory": sum(1 for i in items if i["mandatory"]),
            "steps": sum(len(a["participation_steps"]) for a in activities),
        }


class Process(models.Model):
    """The template (and version) a project was started from."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="process")
    template = models.ForeignKey(ProcessTemplate, on_delete=models.PROTECT, related_name="processes")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self):
        return f"{self.project} – {self.template}"


class Phase(Bilingual, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    key = models.SlugField(max_length=80)
    order = models.PositiveSmallIntegerField()
    name_nb = models.CharField(max_length=200, validators=[single_line])
    name_en = models.CharField(max_length=200, validators=[single_line])
    description_nb = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("completed by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    override_reason = models.TextField(_("reason for override"), blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True, validators=[sensible_date])
    planned_end = models.DateField(_("planned end"), null=True, blank=True, validators=[sensible_date])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="phase_order_unique")]

    def __str__(self):
        return self.name_nb

    @property
    def description(self):
        return self.tr("description")

    @property
    def is_completed(self):
        return self.completed_at is not None

    @property
    def overridden(self):
        return bool(self.override_reason)


class Activity(Bilingual, models.Model):
    class Track(models.TextChoices):
        NONE = "", _("–")
        BUILDING = "building", _("Building track")
        INTERNAL = "internal", _("Internal track")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="activities")
    key = models.SlugField(max_length=80)
    order = models.PositiveSmallIntegerField()
    name_nb = models.CharField(max_length=200, validators=[single_line])
    name_en = models.CharField(max_length=200, validators=[single_line])
    guidance_nb = models.TextField(blank=True)
    guidance_en = models.TextField(blank=True)
    owner_role = models.CharField(max_length=20, choices=Role.choices)
    track = models.CharField(max_length=20, choices=Track.choices, blank=True)
    work_product = models.CharField(max_length=40, blank=True, validators=[single_line])
    participation_steps = models.JSONField(default=list, blank=True)
    due_date = models.DateField(_("deadline"), validators=[sensible_date], null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["phase__order", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="activity_key_unique")]

    def __str__(self):
        return self.name_nb

    @property
    def guidance(self):
        return self.tr("guidance")


class ChecklistItem(Bilingual, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="items")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=80)
    order = models.PositiveSmallIntegerField()
    text_nb = models.CharField(max_length=300, validators=[single_line])
    text_en = models.CharField(max_length=300, validators=[single_line])
    mandatory = models.BooleanField(_("mandatory"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    not_applicable_reason = models.TextField(_("reason it does not apply"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="assigned_items",
    )  # fmt: skip
    due_date = models.DateField(_("deadline"), validators=[sensible_date], null=True, blank=True)
    completed_at = models.DateTimeField(_("done at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["phase__order", "activity__order", "order"]
        indexes = [
            models.Index(fields=["project", "status"]),
            models.Index(fields=["assignee", "status"]),
            # The coordinators' overview: projects with mandatory items past their deadline, over all projects.
            models.Index(
                fields=["due_date", "project"],
                condition=Q(mandatory=True, status="open"),
                name="item_open_mandatory_due",
            ),
            # A project's open mandatory items by deadline: the overview's count of overdue ones on each row it
            # shows or exports (an index-only count per project, not its ~90 items read and filtered).
            models.Index(
                fields=["project", "due_date"],
                condition=Q(mandatory=True, status="open"),
                name="item_project_open_mand_due",
            ),
        ]

    def __str__(self):
        return self.text_nb

    @property
    def text(self):
        return self.tr("text")


class ItemComment(models.Model):
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class ItemAttachment(Attachment):
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="attachments")

    history = HistoricalRecords()

    class Meta(Attachment.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def upload_dir(self):
        return f"attachments/{self.item.project_id}"


class Criterion(models.TextChoices):
    """The five general success criteria, assessed by the owner at each phase gate."""

    LEADERS = "leaders", _("Leaders go first")
    EMPLOYEES = "employees", _("Employees take part")
    TECHNOLOGY = "technology", _("Technology supports the solution")
    INFORMED = "informed", _("Everybody is informed enough")
    FINANCES = "finances", _("The finances are in place")


class CriterionStatus(models.TextChoices):
    GREEN = "green", _("On track")
    YELLOW = "yellow", _("Needs attention")
    RED = "red", _("At risk")


class CriterionAssessment(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.CharField(_("success criterion"), max_length=20, choices=Criterion.choices)
    status = models.CharField(_("status"), max_length=10, choices=CriterionStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("success criterion assessment")
        verbose_name_plural = _("success criterion assessments")
        ordering = ["phase__order", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "criterion"], name="assessment_one_per_phase_criterion")
        ]

    def __str__(self):
        return f"{self.get_criterion_display()}: {self.get_status_display()}"


class ProjectProgress(models.Model):
    """What the coordinators' overview shows about a project's process, stored per project so the overview reads
    one row instead of counting 90 items for each of 2 000 projects. Written only by `rollups.progress_refresh`,
    which the services that change phases, activities and items call inside their transaction; nothing here
    depends on today (the overview compares the stored dates with today when it reads them)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="progress")
    current_phase_id = models.IntegerField(null=True)  # the first phase not completed
    current_phase_order = models.PositiveSmallIntegerField(null=True)
    current_phase_key = models.CharField(max_length=80, null=True, validators=[single_line])
    current_phase_name_nb = models.CharField(max_length=200, null=True, validators=[single_line])
    current_phase_name_en = models.CharField(max_length=200, null=True, validators=[single_line])
    phase_count = models.PositiveSmallIntegerField(default=0)
    items_total = models.PositiveIntegerField(default=0)
    items_done = models.PositiveIntegerField(default=0)  # done or not applicable
    mandatory_open = models.PositiveIntegerField(default=0)
    mandatory_first_due = models.DateField(
        null=True, validators=[sensible_date]
    )  # the earliest deadline of an open mandatory item
    next_item_text_nb = models.CharField(max_length=300, null=True, validators=[single_line])
    next_item_text_en = models.CharField(max_length=300, null=True, validators=[single_line])
    next_item_due = models.DateField(null=True, validators=[sensible_date])  # the earliest deadline of an open item
    phase_planned_end = models.DateField(
        null=True, validators=[sensible_date]
    )  # the current phase's, else its activities' last deadline
    phase_open_mandatory = models.PositiveIntegerField(default=0)  # open mandatory items of the current phase
    next_item_mandatory = models.BooleanField(null=True)  # whether the item of next_item_due is mandatory
    next_mandatory_text_nb = models.CharField(max_length=300, null=True, validators=[single_line])
    next_mandatory_text_en = models.CharField(max_length=300, null=True, validators=[single_line])

    def __str__(self):
        return str(self.project_id)
