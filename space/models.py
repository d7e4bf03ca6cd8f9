"""Tables of the mapping and the area programme, hanging off their work products."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Attachment, Project
from projects.validators import sensible_date, single_line
from workproducts.models import Content, Row, WorkProduct, long_text, short_text

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
PEOPLE_MAX = 100_000
M2_MAX = Decimal("100000")


def percent_field(label, help_text=""):
    return models.PositiveSmallIntegerField(label, default=0, validators=PERCENT, help_text=help_text)


# Mapping of today's practice -----------------------------------------------------------------------------


class Mapping(Content):
    findings = long_text(_("findings"), _("What the mapping showed, in a few lines."), 4000)
    methods = long_text(
        _("methods"), _("e.g. walk-through of today's premises, interviews, occupancy registration"), 2000
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mapping of today's practice")
        verbose_name_plural = _("mappings of today's practice")


class MappingUnit(Row):
    """A unit (section, department) in the mapping, with its headcount and ways of working."""

    name = short_text(_("unit"))
    headcount = models.PositiveIntegerField(
        _("headcount"), validators=[MinValueValidator(0), MaxValueValidator(PEOPLE_MAX)]
    )
    special_functions = long_text(_("special functions"), _("e.g. reception, archive, lab"), 2000)
    desk_share = percent_field(_("at the desk (%)"), _("Share of working time at the own desk."))
    meeting_share = percent_field(_("in meetings (%)"))
    away_share = percent_field(_("out of the office (%)"), _("Field work, travel, home office."))
    focus_share = percent_field(_("concentrated work (%)"), _("Share of working time that needs quiet."))

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["work_product", "name"], name="mapping_unit_name_unique")]

    def __str__(self):
        return self.name


class Proximity(models.Model):
    """The need for closeness between two units of a mapping: 0 none, 1 some, 2 important, 3 essential."""

    NEED = [MinValueValidator(0), MaxValueValidator(3)]

    work_product = models.ForeignKey(WorkProduct, on_delete=models.CASCADE, related_name="+")
    unit_a = models.ForeignKey(MappingUnit, on_delete=models.CASCADE, related_name="+")
    unit_b = models.ForeignKey(MappingUnit, on_delete=models.CASCADE, related_name="+")
    need = models.PositiveSmallIntegerField(_("need for proximity (0–3)"), validators=NEED)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proximity need")
        verbose_name_plural = _("proximity needs")
        constraints = [
            models.UniqueConstraint(fields=["unit_a", "unit_b"], name="proximity_one_per_pair"),
            models.CheckConstraint(condition=models.Q(unit_a__lt=models.F("unit_b")), name="proximity_pair_ordered"),
            models.CheckConstraint(condition=models.Q(need__gte=0, need__lte=3), name="proximity_need_0_to_3"),
        ]

    def __str__(self):
        return f"{self.unit_a} – {self.unit_b}: {self.need}"


class OccupancyStudy(models.Model):
    """An occupancy registration: hourly rounds over one or two normal weeks (DESIGN.md §5)."""

    class Timing(models.TextChoices):
        BEFORE = "before", _("Today's premises (before the move)")
        AFTER = "after", _("After move-in")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    work_product = models.ForeignKey(WorkProduct, on_delete=models.CASCADE, related_name="+")
    name = short_text(_("name"))
    timing = models.CharField(_("when"), max_length=10, choices=Timing.choices, default=Timing.BEFORE)
    starts_on = models.DateField(_("first day"), validators=[sensible_date])
    ends_on = models.DateField(
        _("last day"), help_text=_("One or two normal working weeks."), validators=[sensible_date]
    )
    first_hour = models.PositiveSmallIntegerField(
        _("first round (hour)"), default=8, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    last_hour = models.PositiveSmallIntegerField(
        _("last round (hour)"), default=16, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    buffer_percent = models.PositiveSmallIntegerField(
        _("buffer (%)"), default=10, validators=PERCENT,
        help_text=_("Added to the peak number of people present when the workstations are counted."),
    )  # fmt: skip
    sharing_ratio = models.DecimalField(
        _("sharing ratio"), max_digits=3, decimal_places=2, default=Decimal("0.70"),
        validators=[MinValueValidator(Decimal("0.30")), MaxValueValidator(Decimal("1.00"))],
        help_text=_("Desks per employee: 0.7 is common, 0.8 cautious, 0.6 bold."),
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("occupancy study")
        verbose_name_plural = _("occupancy studies")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="study_dates_ordered"),
            models.CheckConstraint(
                condition=models.Q(last_hour__gte=models.F("first_hour")), name="study_hours_ordered"
            ),
        ]

    def __str__(self):
        return self.name


class StudyZone(models.Model):
    """A zone or room observed in a study, with the number of places (desks, or seats of a meeting room)."""

    class Kind(models.TextChoices):
        WORKSTATIONS = "workstations", _("Workstations")
        MEETING_ROOM = "meeting_room", _("Meeting room")

    study = models.ForeignKey(OccupancyStudy, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("zone or room"), max_length=100, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WORKSTATIONS)
    unit = models.ForeignKey(
        MappingUnit, verbose_name=_("unit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    places = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text=_("Desks in the zone, or seats in the meeting room."),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["study", "name"], name="study_zone_name_unique")]

    def __str__(self):
        return self.name


class Observation(models.Model):
    """One round in one zone: desks occupied, temporarily away (signs of use) and free, or persons in a meeting
    room. No history per row (a study has tens of thousands); the study's document records the change."""

    study = models.ForeignKey(OccupancyStudy, on_delete=models.CASCADE, related_name="observations")
    zone = models.ForeignKey(StudyZone, on_delete=models.CASCADE, related_name="observations")
    date = models.DateField(_("date"), validators=[sensible_date])
    hour = models.PositiveSmallIntegerField(_("hour"), validators=[MaxValueValidator(23)])
    occupied = models.PositiveIntegerField(_("occupied"), default=0)
    away = models.PositiveIntegerField(_("temporarily away"), default=0)
    free = models.PositiveIntegerField(_("unoccupied"), null=True, blank=True)
    persons = models.PositiveIntegerField(_("persons"), default=0)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["date", "hour", "zone_id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "date", "hour"], name="observation_one_per_round"),
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="observation_hour_0_to_23"),
        ]
        indexes = [models.Index(fields=["study", "date", "hour"])]

    def __str__(self):
        return f"{self.zone_id} {self.date} {self.hour}"


# Room catalogue, area norms and the area programme ---------------------------------------------------------


class Zone(models.TextChoices):
    WORK = "work", _("Workstations")
    FOCUS = "focus", _("Quiet and focus rooms")
    MEETING = "meeting", _("Meeting rooms")
    SOCIAL = "social", _("Social zone")
    SUPPORT = "support", _("Storage, print and wardrobe")
    SPECIAL = "special", _("Special functions")


class RoomType(models.Model):
    """A room in the catalogue coordinators keep: the menu an area programme chooses from."""

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[single_line])
    zone = models.CharField(_("zone"), max_length=20, choices=Zone.choices)
    m2 = models.DecimalField(
        _("default size (m²)"), max_digits=7, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(M2_MAX)],
    )  # fmt: skip
    sizing = models.CharField(
        _("how it is sized"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 2–4 persons, 6–10 m²; per 50 employees"),
        validators=[single_line],
    )
    is_workstation = models.BooleanField(
        _("is a workstation"), default=False, help_text=_("Counted as workstations and held against the 6 m² floor.")
    )
    active = models.BooleanField(_("offered"), default=True, help_text=_("Only offered rooms can be chosen."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room type")
        verbose_name_plural = _("room catalogue")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class AreaNorm(models.Model):
    """The area norm for one kind of project (coordinators edit it)."""

    project_kind = models.CharField(_("kind of project"), max_length=20, choices=Project.Kind.choices, unique=True)
    max_m2_per_employee = models.DecimalField(
        _("at most m² per employee"), max_digits=5, decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("1000"))],
    )  # fmt: skip
    min_m2_per_workstation = models.DecimalField(
        _("at least m² per workstation"), max_digits=5, decimal_places=1, default=Decimal("6.0"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
    )  # fmt: skip
    source = models.CharField(_("source"), max_length=300, blank=True, validators=[single_line])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area norm")
        verbose_name_plural = _("area norms")
        ordering = ["project_kind"]

    def __str__(self):
        return self.get_project_kind_display()


class AreaProgramme(Content):
    class Profile(models.TextChoices):
        COLLABORATION = "collaboration", _("Collaboration first")
        FOCUS = "focus", _("Focused work first")
        VISITORS = "visitors", _("Many visitors")
        PROJECTS = "projects", _("Much project work")

    main_profile = models.CharField(_("main profile"), max_length=20, choices=Profile.choices, blank=True)
    profile_notes = long_text(_("about the profile"), _("Why this profile, and what it means for the rooms."), 2000)
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[MaxValueValidator(PEOPLE_MAX)],
        help_text=_("The number of employees the premises are for. Empty: the project's headcount."),
    )  # fmt: skip
    addition_percent = models.PositiveSmallIntegerField(
        _("circulation and walls (%)"), default=0, validators=[MaxValueValidator(200)],
        help_text=_("Added to the rooms' net area when it is held against the norm (common areas included)."),
    )  # fmt: skip
    special_functions = long_text(_("special functions"), _("From the mapping: reception, archive, lab …"), 2000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area programme")
        verbose_name_plural = _("area programmes")


class AreaLine(Row):
    room_type = models.ForeignKey(RoomType, verbose_name=_("room type"), on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("count"), validators=[MinValueValidator(1), MaxValueValidator(10_000)])
    m2_each = models.DecimalField(
        _("m² each"), max_digits=7, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(M2_MAX)],
        help_text=_("Empty: the catalogue's size."),
    )  # fmt: skip
    note = short_text(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("room line")
        verbose_name_plural = _("room lines")
        ordering = ["room_type__order", "id"]

    def __str__(self):
        return f"{self.room_type} × {self.count}"

    @property
    def total(self):
        return self.count * (self.m2_each or 0)


class PlanFile(Attachment, Row):
    """A zone programme, floor plan or furnishing plan uploaded to the area programme."""

    class Kind(models.TextChoices):
        ZONES = "zones", _("Zone programme")
        FLOOR = "floor", _("Floor plan")
        FURNISHING = "furnishing", _("Furnishing plan")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = long_text(_("description"), max_length=2000, required=True)

    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def upload_dir(self):
        return f"plans/{self.project_id}"
