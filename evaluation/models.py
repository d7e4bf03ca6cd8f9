"""Move-in, the freeze period and its change requests, the evaluation and the HMS action plan.

Writes go through `evaluation.services`; the dates that follow from the move-in come from
`evaluation.dates` and are stored on `Evaluation` so that lists can filter and annotate in SQL.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phases.models import Criterion
from projects.models import Project
from projects.validators import sensible_date, single_line


class WindowState(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet open")
    OPEN = "open", _("Open")
    CLOSING = "closing", _("Closing soon")
    OVERDUE = "overdue", _("Overdue")
    DONE = "done", _("Done")


class FreezeState(models.TextChoices):
    ACTIVE = "active", _("Freeze period")
    ENDED = "ended", _("Freeze period over")


class Evaluation(models.Model):
    """A project's life after move-in: the dates that follow from it, the evaluation plan and its outcome."""

    class Evaluator(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="evaluation")
    move_in = models.DateField(_("actual move-in"), validators=[sensible_date])
    move_in_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    move_in_correction_reason = models.TextField(_("reason for the correction"), blank=True)
    window_opens = models.DateField(_("evaluation window opens"), validators=[sensible_date])
    window_closes = models.DateField(_("evaluation window closes"), validators=[sensible_date])
    window_closing = models.DateField(_("evaluation window closing from"), validators=[sensible_date])
    freeze_ends = models.DateField(_("freeze period ends"), validators=[sensible_date])
    freeze_shortened_reason = models.TextField(_("reason for shortening the freeze"), blank=True)
    # The plan.
    scope = models.TextField(_("mandate and scope"), blank=True)
    method_survey = models.BooleanField(_("survey"), default=False)
    method_interviews = models.BooleanField(_("interviews"), default=False)
    method_observation = models.BooleanField(_("observation"), default=False)
    method_occupancy = models.BooleanField(_("repeated occupancy study"), default=False)
    evaluator = models.CharField(_("evaluator"), max_length=10, choices=Evaluator.choices, blank=True)
    evaluator_name = models.CharField(_("evaluated by"), max_length=200, blank=True, validators=[single_line])
    planned_start = models.DateField(_("planned start"), null=True, blank=True, validators=[sensible_date])
    planned_end = models.DateField(_("planned end"), null=True, blank=True, validators=[sensible_date])
    outside_window_reason = models.TextField(_("reason for dates outside the window"), blank=True)
    # Communication of results: leaders first, then the representatives, then the employees.
    presented_to_leaders = models.DateField(
        _("presented to the leaders"), null=True, blank=True, validators=[sensible_date]
    )
    presented_to_representatives = models.DateField(
        _("presented to the union and safety representatives"), null=True, blank=True, validators=[sensible_date]
    )
    presented_to_employees = models.DateField(
        _("presented to the employees"), null=True, blank=True, validators=[sensible_date]
    )
    summary = models.TextField(_("summary of the findings"), blank=True)
    follow_up_plan = models.TextField(_("follow-up plan"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [models.Index(fields=["window_opens", "window_closes"])]

    def __str__(self):
        return str(self.project)

    @property
    def is_completed(self):
        return self.completed_at is not None

    @property
    def methods(self):
        fields = ("method_survey", "method_interviews", "method_observation", "method_occupancy")
        return [self._meta.get_field(f).verbose_name for f in fields if getattr(self, f)]

    def window_state(self, today=None):
        today = today or timezone.localdate()
        if self.completed_at:
            return WindowState.DONE
        if today < self.window_opens:
            return WindowState.NOT_YET
        if today > self.window_closes:
            return WindowState.OVERDUE
        if today >= self.window_closing:
            return WindowState.CLOSING
        return WindowState.OPEN

    def freeze_state(self, today=None):
        today = today or timezone.localdate()
        if self.completed_at or today > self.freeze_ends:
            return FreezeState.ENDED
        return FreezeState.ACTIVE

    def in_freeze(self, day=None):
        return self.freeze_state(day) == FreezeState.ACTIVE


class EvaluationResult(models.Model):
    """A score (1–5) with text for one project goal or one success criterion."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("Project goal")
        CRITERION = "criterion", _("Success criterion")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    criterion = models.CharField(_("success criterion"), max_length=20, choices=Criterion.choices, blank=True)
    subject = models.CharField(_("goal or criterion"), max_length=300, blank=True, validators=[single_line])
    score = models.PositiveSmallIntegerField(_("score (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(_("assessment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], condition=~models.Q(criterion=""), name="result_one_per_criterion"
            ),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="result_score_1_to_5"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return self.get_criterion_display() if self.criterion else self.subject


class Figure(models.Model):
    """A before/after figure: satisfaction, sick leave and HMS deviations (from HR), an employee survey's results
    (imported from 10-faktor or ForBedring, or the product's own survey), occupancy or another measure.

    Written only through `evaluation.figures` (one service for typed, imported and computed figures)."""

    class Kind(models.TextChoices):
        SATISFACTION = "satisfaction", _("Satisfaction survey")
        SICK_LEAVE = "sick_leave", _("Sick leave")
        DEVIATIONS = "deviations", _("HMS deviations and incidents")
        EMPLOYEE_SURVEY = "employee_survey", _("Employee survey")
        OCCUPANCY = "occupancy", _("Occupancy")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        DEVIATION_IMPORT = "deviation_import", _("Imported deviation figures")
        SURVEY_IMPORT = "survey_import", _("Imported survey results (10-faktor, ForBedring)")
        SURVEY = "survey", _("The project's own survey")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("what is measured"), max_length=200, validators=[single_line])
    group = models.CharField(
        _("unit or group"),
        max_length=200,
        blank=True,
        help_text=_("The part of the organisation the figure is for; empty for the whole project."),
        validators=[single_line],
    )
    period_before = models.CharField(_("period before"), max_length=100, blank=True, validators=[single_line])
    period_after = models.CharField(_("period after"), max_length=100, blank=True, validators=[single_line])
    before = models.DecimalField(_("before"), max_digits=10, decimal_places=2)
    after = models.DecimalField(_("after"), max_digits=10, decimal_places=2)
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("For example %, days or persons."), validators=[single_line]
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    batch = models.CharField(_("batch"), max_length=100, blank=True, editable=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("before/after figure")
        verbose_name_plural = _("before/after figures")
        ordering = ["kind", "group", "pk"]
        indexes = [models.Index(fields=["evaluation", "source", "batch"])]

    def __str__(self):
        return self.label

    @property
    def change(self):
        return self.after - self.before


class ChangeRequest(models.Model):
    """A change to the solution asked for after move-in (endringsønske)."""

    class Category(models.TextChoices):
        FAULT_FIX = "fault_fix", _("Fault fix")
        ADJUSTMENT = "adjustment", _("Adjustment within the concept")
        WEAKENING = "weakening", _("Adjustment that weakens the concept")

    class Status(models.TextChoices):
        GO_AHEAD = "go_ahead", _("May go ahead")
        DEFERRED = "deferred", _("Deferred until the evaluation")
        APPROVED = "approved", _("Approved by the coordinator")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    what = models.TextField(_("what should change"))
    why = models.TextField(_("why"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    requested_by = models.CharField(_("requested by"), max_length=200, validators=[single_line])
    requested_on = models.DateField(_("date"), default=timezone.localdate, validators=[sensible_date])
    during_freeze = models.BooleanField(_("during the freeze period"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approval_reason = models.TextField(_("reason for the approval"), blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_on", "-pk"]

    def __str__(self):
        return self.what[:80]


class Measure(models.Model):
    """A line of the HMS action plan (seed 004's layout), with status, source and the sensitive flag."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Source(models.TextChoices):
        EVALUATION = "evaluation", _("Evaluation")
        RISK = "risk", _("Risk assessment")
        MAPPING = "mapping", _("Mapping")
        CHANGE_REQUEST = "change_request", _("Change request")
        SURVEY = "survey", _("Survey")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveIntegerField(_("no."))
    focus_area = models.CharField(_("focus area"), max_length=200, validators=[single_line])
    goal = models.TextField(_("goal"))
    activity = models.TextField(_("activity"))
    due_date = models.DateField(_("when"), null=True, blank=True, validators=[sensible_date])
    when_text = models.CharField(
        _("when, in words"),
        max_length=100,
        blank=True,
        help_text=_("A period where a date does not fit, e.g. “autumn 2027 – continuous”. A date is still used "
                    "for deadlines and the calendar when one is given."),
        validators=[single_line],
    )  # fmt: skip
    responsible = models.CharField(_("responsible"), max_length=200, validators=[single_line])
    reporting = models.CharField(
        _("reporting"), max_length=200, blank=True, help_text=_("To whom and how."), validators=[single_line]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    dropped_reason = models.TextField(_("reason for dropping"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True, validators=[single_line])
    hazard = models.ForeignKey(
        "workproducts.Hazard",
        verbose_name=_("hazard in the risk assessment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Seen only by the owner, manager, safety and union representatives and coordinators; "
            "never in HR lists, exports or reports."
        ),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, null=True, blank=True)
    prioritised_on = models.DateField(
        _("prioritised by the parties on"), null=True, blank=True, validators=[sensible_date]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("HMS measure")
        verbose_name_plural = _("HMS measures")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="measure_number_unique")]
        indexes = [models.Index(fields=["sensitive", "status", "due_date"])]

    def __str__(self):
        return f"{self.number}. {self.focus_area}"

    @property
    def when_display(self) -> str:
        """*Når* as the plan says it: the period in words, the date, or both ("høsten 2027 – løpende (01.09.2027)")."""
        day = self.due_date.strftime("%d.%m.%Y") if self.due_date else ""
        if self.when_text and day:
            return f"{self.when_text} ({day})"
        return self.when_text or day

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(
            self.due_date and self.due_date < today and self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)
        )


class PlanGoal(models.Model):
    """A goal of the whole HMS action plan with its target and the value measured (seed 004: “reduce sick leave
    to under 5.4 %”)."""

    class Direction(models.TextChoices):
        UNDER = "under", _("under")
        AT_LEAST = "at_least", _("at least")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="plan_goals")
    description = models.CharField(_("goal"), max_length=200, validators=[single_line])
    direction = models.CharField(_("target is"), max_length=10, choices=Direction.choices, default=Direction.UNDER)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("For example per cent or cases."), validators=[single_line]
    )
    measured = models.DecimalField(_("measured value"), max_digits=10, decimal_places=2, null=True, blank=True)
    measured_when = models.CharField(
        _("measured when"), max_length=100, blank=True, help_text=_("For example “2027” or “1st half of 2028”."),
        validators=[single_line],
    )  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal of the HMS action plan")
        verbose_name_plural = _("goals of the HMS action plan")
        ordering = ["project", "pk"]

    def __str__(self):
        return self.description

    @property
    def reached(self) -> bool | None:
        """None until a value is measured."""
        if self.measured is None:
            return None
        if self.direction == self.Direction.UNDER:
            return self.measured < self.target
        return self.measured >= self.target
