"""The models behind the work products: one `WorkProduct` per project and kind, its content and its tables."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Attachment, Project
from projects.validators import sensible_date, single_line

TEXT_MAX = 10_000
LINE_MAX = 300
AMOUNT_MAX = 100_000_000_000  # 100 billion kroner: anything larger is a typing error


def long_text(label, help_text="", max_length=TEXT_MAX, required=False):
    return models.TextField(label, blank=not required, help_text=help_text, validators=[MaxLengthValidator(max_length)])


def short_text(label, help_text="", blank=False):
    return models.CharField(label, max_length=LINE_MAX, blank=blank, help_text=help_text, validators=[single_line])


def responsible_field():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip


class WorkProduct(models.Model):
    """One document of a project, produced by one activity (the mandate, say)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSULTATION = "consultation", _("Sent for consultation")
        ADOPTED = "adopted", _("Adopted")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="work_products")
    activity = models.ForeignKey("phases.Activity", on_delete=models.CASCADE, related_name="work_products")
    kind = models.CharField(_("kind"), max_length=40, validators=[single_line])
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    content_hash = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True, validators=[single_line])
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    state_changed_at = models.DateTimeField(_("state since"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work product")
        verbose_name_plural = _("work products")
        ordering = ["activity__phase__order", "activity__order"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="work_product_one_per_kind")]

    def __str__(self):
        return f"{self.kind} – {self.project}"


class Row(models.Model):
    """A line in one of a work product's tables (a milestone, a hazard, a stakeholder, …)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    work_product = models.ForeignKey(WorkProduct, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
        ordering = ["id"]


class Content(models.Model):
    """The main fields of a work product (one per work product)."""

    work_product = models.OneToOneField(WorkProduct, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} – {self.work_product.project}"


# Goals and the order form ----------------------------------------------------------------------------------


class OrderService(models.Model):
    """A service a project can order from EBE (the list coordinators keep)."""

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[single_line])
    description = models.TextField(_("description"), blank=True, validators=[MaxLengthValidator(2000)])
    active = models.BooleanField(_("offered"), default=True, help_text=_("Only offered services can be ordered."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("EBE service")
        verbose_name_plural = _("EBE services")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Goals(Content):
    class OrderState(models.TextChoices):
        DRAFT = "draft", _("Not sent")
        SENT = "sent", _("Sent to EBE")
        ACCEPTED = "accepted", _("Accepted by EBE")

    vision = long_text(_("vision"), _("A short picture of where the unit wants to be."), 2000)
    overall_goals = long_text(_("overall goals"), _("Goals for the whole project, one per line."))
    order_services = models.ManyToManyField(
        OrderService, verbose_name=_("services ordered from EBE"), blank=True, related_name="+"
    )
    order_notes = long_text(_("notes to EBE"), _("What the project needs help with, and anything EBE should know."))
    order_state = models.CharField(_("order form"), max_length=20, choices=OrderState.choices, default=OrderState.DRAFT)
    order_sent_at = models.DateTimeField(_("sent to EBE"), null=True, blank=True)
    order_accepted_on = models.DateField(_("accepted by EBE on"), null=True, blank=True, validators=[sensible_date])
    order_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goals")
        verbose_name_plural = _("goals")


class UnitGoal(Row):
    unit = short_text(_("unit"))
    goals = long_text(_("goals"), required=True)

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("unit goal")
        verbose_name_plural = _("unit goals")

    def __str__(self):
        return self.unit


class SuccessCriterion(Row):
    criterion = short_text(_("success criterion"), _("Measurable: what will be true when the project succeeds."))
    measure = long_text(
        _("how it is measured"), _("The method and source, e.g. the occupancy study or a survey."), 2000
    )
    target = short_text(_("target"), _("e.g. at least 80 per cent satisfied"), blank=True)

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("success criterion")
        verbose_name_plural = _("success criteria")

    def __str__(self):
        return self.criterion


# Mandate -----------------------------------------------------------------------------------------------------


class Mandate(Content):
    background = long_text(_("background and purpose"))
    scope = long_text(_("scope and boundaries"), _("What the project covers, and what it does not."))
    frame_amount = models.PositiveBigIntegerField(
        _("financial frame (NOK)"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(AMOUNT_MAX)],
        help_text=_("Whole kroner, without spaces or decimals."),
    )  # fmt: skip
    frame_covers = long_text(_("what the frame covers"), _("e.g. rebuilding, furniture, ICT, moving, project staff"))
    delivery_requirements = long_text(_("delivery requirements"))
    quality_requirements = long_text(_("quality requirements"))
    roles_text = long_text(
        _("roles and responsibilities"), _("In addition to the members of the project, which are listed by role.")
    )
    steering_group = long_text(_("steering group"), _("Who sits in it and what it decides."), 4000)
    working_groups = long_text(_("working groups"), _("Each working group, its members and its task."), 4000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")


class Milestone(Row):
    name = short_text(_("milestone"))
    date = models.DateField(_("date"), validators=[sensible_date])

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "id"]

    def __str__(self):
        return self.name


# Risk assessment ---------------------------------------------------------------------------------------------

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskAssessment(Content):
    scope = long_text(_("what is assessed"), _("The change the assessment covers, and who took part."), 4000)
    review_on = models.DateField(_("next review"), null=True, blank=True, validators=[sensible_date])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


def risk_level(score: int) -> str:
    """Scores 1–4 are low, 5–9 medium, 10–25 high (the matrix colours green, yellow and red)."""
    if score >= 10:
        return RiskLevel.HIGH
    if score >= 5:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


class RiskPosition:
    """A place in the 5×5 matrix (a hazard, a cell of the matrix): its score, likelihood × consequence, and the
    level of that score."""

    @property
    def score(self):
        return self.likelihood * self.consequence

    @property
    def level(self):
        return risk_level(self.score)


class Hazard(RiskPosition, Row):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("Measures under way")
        CLOSED = "closed", _("Closed")

    description = long_text(
        _("hazard"), _("What could go wrong for the employees, during or after the change."), 4000, required=True
    )
    exposed = short_text(_("who is exposed"))
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"), validators=SCALE)
    consequence = models.PositiveSmallIntegerField(_("consequence (1–5)"), validators=SCALE)
    existing_measures = long_text(_("existing measures"), max_length=4000)
    new_measures = long_text(_("new measures"), max_length=4000)
    # The residual risk: likelihood and consequence again, as they will be once the measures are in place.
    residual_likelihood = models.PositiveSmallIntegerField(
        _("likelihood after the measures (1–5)"), null=True, blank=True, validators=SCALE,
        help_text=_("The residual risk once the measures are in place. Fill in both or neither."),
    )  # fmt: skip
    residual_consequence = models.PositiveSmallIntegerField(
        _("consequence after the measures (1–5)"), null=True, blank=True, validators=SCALE
    )
    responsible = responsible_field()
    deadline = models.DateField(_("deadline"), null=True, blank=True, validators=[sensible_date])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        indexes = [models.Index(fields=["project", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5, consequence__gte=1, consequence__lte=5),
                name="hazard_scale_1_to_5",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(residual_likelihood__isnull=True, residual_consequence__isnull=True)
                    | models.Q(
                        residual_likelihood__gte=1,
                        residual_likelihood__lte=5,
                        residual_consequence__gte=1,
                        residual_consequence__lte=5,
                    )
                ),
                name="hazard_residual_both_1_to_5",
            ),  # fmt: skip
        ]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        """The project's risk assessment, showing the hazard's cell."""
        from django.urls import reverse

        url = reverse("workproducts:detail", args=[self.project_id, "risk_assessment"])
        return f"{url}?l={self.likelihood}&c={self.consequence}#hazards"

    def get_level_display(self):
        return RiskLevel(self.level).label

    @property
    def has_residual(self) -> bool:
        return self.residual_likelihood is not None and self.residual_consequence is not None

    @property
    def residual_score(self):
        return self.residual_likelihood * self.residual_consequence if self.has_residual else None

    @property
    def residual_level(self):
        return risk_level(self.residual_score) if self.has_residual else None

    def get_residual_level_display(self):
        return RiskLevel(self.residual_level).label if self.has_residual else ""

    @property
    def after_position(self) -> tuple[int, int]:
        """Where the hazard lies once its measures are in place: its residual cell, or where it is when no
        residual risk is assessed yet."""
        if self.has_residual:
            return self.residual_likelihood, self.residual_consequence
        return self.likelihood, self.consequence

    @property
    def title(self):
        """The name the coordinators' portfolio matrix lists the hazard by."""
        return str(self)


# Information plan --------------------------------------------------------------------------------------------


class Influence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class InformationPlan(Content):
    purpose = long_text(_("purpose of the communication"), max_length=4000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("information plan")
        verbose_name_plural = _("information plans")


class Stakeholder(Row):
    name = short_text(_("stakeholder"))
    interest = long_text(_("interest"), _("What the change means to them."), 2000)
    influence = models.CharField(_("influence"), max_length=10, choices=Influence.choices, default=Influence.MEDIUM)
    needs = long_text(_("information needs"), _("What they need to know, and when."), 2000)

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self):
        return self.name


class InformationMeasure(Row):
    what = short_text(_("what"))
    audience = short_text(_("to whom"))
    channel = short_text(_("channel"), _("e.g. information meeting, newsletter, intranet, site visit"))
    responsible = responsible_field()
    when = models.DateField(_("when"), null=True, blank=True, validators=[sensible_date])
    done = models.BooleanField(_("done"), default=False)

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("information measure")
        verbose_name_plural = _("information measures")
        ordering = ["when", "id"]

    def __str__(self):
        return self.what


# ICT plan ----------------------------------------------------------------------------------------------------


class IctPlan(Content):
    summary = long_text(_("digitalisation potential"), _("What the move makes possible, and what must be in place."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ICT plan")
        verbose_name_plural = _("ICT plans")


class IctTask(Row):
    class Category(models.TextChoices):
        NEED = "need", _("Need")
        TOOL = "tool", _("New tool")
        DIGITALISATION = "digitalisation", _("Digitalisation")
        ARCHIVE = "archive", _("Archive and paper reduction")
        TRAINING = "training", _("Training")
        TEST_STATION = "test_station", _("Test station")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = long_text(_("description"), max_length=4000, required=True)
    responsible = responsible_field()
    due_date = models.DateField(_("date"), null=True, blank=True, validators=[sensible_date])
    done = models.BooleanField(_("done"), default=False)

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("ICT task")
        verbose_name_plural = _("ICT tasks")
        ordering = ["category", "due_date", "id"]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description[:60]}"


# The result of an activity kept as words and files (issue 28) ------------------------------------------------


class ResultDocument(Content):
    """The result of an activity that is a decision, a drawing or a report more than a table (the zone programme,
    the floor plan, the rules of use, the seven steps' report): what was decided or found, in words, with the
    files attached to the document."""

    result = long_text(
        _("result"),
        help_text=_("What was decided or found, in a few paragraphs. Attach drawings and the full text as files."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")


class WorkProductFile(Attachment):
    """A file attached to a document (a drawing, the full report): stored like every attachment, listed in the
    document's signed content by name and SHA-256, so a replaced drawing needs signing again."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    work_product = models.ForeignKey(WorkProduct, on_delete=models.CASCADE, related_name="files")

    history = HistoricalRecords()

    class Meta(Attachment.Meta):
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def upload_dir(self):
        return f"work-products/{self.project_id}"
