"""The core of a case file: users, the organisation tree, projects and who holds which role in them."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import search
from .validators import sensible_date, single_line

# Global roles are Django groups with these names (created by a migration).
COORDINATOR_GROUP = "coordinator"
HR_GROUP = "hr"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class Language(models.TextChoices):
        BOKMAL = "nb", _("Norwegian Bokmål")
        NYNORSK = "nn", _("Norwegian Nynorsk")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, validators=[single_line])
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[single_line])
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.BOKMAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("administrator"), default=False, help_text=_("May log in to the administration pages.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_perm(self, perm, obj=None):
        """Django lets an active superuser do anything before asking a backend. Here superuser status is for
        administering the system (the Django admin, which is read-only for project data): a permission the
        app's rules define (`projects/permissions.py`, `<app>/rules.py`) is answered by the backends for a
        superuser too, so they act on projects only through their groups and project roles. The backends
        still give a superuser every Django model permission (the admin's, and `projects.add_project`)."""
        import rules
        from django.contrib.auth.models import _user_has_perm

        if self.is_active and self.is_superuser and rules.perm_exists(perm):
            return _user_has_perm(self, perm, obj)
        return super().has_perm(perm, obj)


class OrgUnit(models.Model):
    """A node of the organisation tree: the municipality, its departments and their units."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        DEPARTMENT = "department", _("Department")
        UNIT = "unit", _("Unit")

    PARENT_KIND = {Kind.DEPARTMENT: Kind.MUNICIPALITY, Kind.UNIT: Kind.DEPARTMENT}

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    kind = models.CharField(_("level"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_units",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_in_parent")]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        expected = self.PARENT_KIND.get(self.kind)
        if expected is None and self.parent_id:
            raise ValidationError({"parent": _("A municipality is the top of the tree and has no parent.")})
        if expected is not None and (self.parent is None or self.parent.kind != expected):
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must be part of a %(parent)s.")
                    % {"kind": self.get_kind_display().lower(), "parent": self.Kind(expected).label.lower()}
                }
            )


class Project(models.Model):
    class Kind(models.TextChoices):
        REBUILD = "rebuild", _("Rebuild in existing premises")
        NEW_PREMISES = "new_premises", _("New premises")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    case_number = models.CharField(
        _("case number"),
        max_length=40,
        blank=True,
        help_text=_("The archive case number, e.g. 2026/12345."),
        validators=[single_line],
    )
    kind = models.CharField(_("kind of project"), max_length=20, choices=Kind.choices, default=Kind.REBUILD)
    units = models.ManyToManyField(
        OrgUnit, verbose_name=_("units"), through="ProjectUnit", related_name="projects", blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True, validators=[single_line])
    building = models.CharField(_("building"), max_length=200, blank=True, validators=[single_line])
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    start_date = models.DateField(_("project start"), validators=[sensible_date], default=timezone.localdate)
    planned_move_in = models.DateField(_("planned move-in"), validators=[sensible_date], null=True, blank=True)
    actual_move_in = models.DateField(_("actual move-in"), validators=[sensible_date], null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    anonymised_at = models.DateTimeField(
        _("personal data removed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the retention rule removed names and free text from this completed project."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    # The folded name, case number, address and building that every project search reads (projects/search.py),
    # indexed with trigrams on PostgreSQL (migration 0005).
    search_text = models.GeneratedField(
        expression=search.folded("name", "case_number", "address", "building"),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_number"], condition=~models.Q(case_number=""), name="project_case_number_unique"
            )
        ]
        # Projects by move-in (the actual, else the planned), name and id: the overview's attention list walks it
        # and stops at the twentieth project that needs attention, instead of sorting every project.
        indexes = [
            models.Index(Coalesce("actual_move_in", "planned_move_in"), "name", "id", name="project_move_in_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])


class ProjectUnit(models.Model):
    """A unit that takes part in a project (a model of its own so that changes show in the history)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_units")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project unit")
        verbose_name_plural = _("project units")
        constraints = [models.UniqueConstraint(fields=["project", "unit"], name="projectunit_unique")]

    def __str__(self):
        return str(self.unit)


class Role(models.TextChoices):
    OWNER = "owner", _("Project owner")
    MANAGER = "manager", _("Project manager")
    SAFETY_REP = "safety_rep", _("Safety representative")
    UNION_REP = "union_rep", _("Union representative")
    OH_SERVICE = "oh_service", _("Occupational health service")
    AMU = "amu", _("Working environment committee contact")
    MEMBER = "member", _("Working group member")
    VIEWER = "viewer", _("Observer")


# The employer's side of a project, and the parties the Working Environment Act gives a say (representatives,
# the occupational health service, AMU): they sign participation steps and comment on items. Nobody holds roles on
# both sides of one project. The one definition of each set (docs/architecture.md, "Adding a role").
EMPLOYER_ROLES = frozenset({Role.OWNER, Role.MANAGER})
PARTY_ROLES = frozenset({Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE, Role.AMU})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__full_name", "role"]
        constraints = [models.UniqueConstraint(fields=["project", "user", "role"], name="membership_unique_role")]
        # A role's holders by project, first added first: the overview's owner of each row it shows or exports
        # (read in order, no sort), "no owner" in the coordinators' queue (the owners' projects, read once).
        # A person's roles: whether they hold one at all (a representative in 20 000 projects has as many rows).
        indexes = [
            models.Index(fields=["role", "project", "created_at"], name="membership_role_project"),
            models.Index(fields=["user", "role"], name="membership_user_role"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class DeputyQuerySet(models.QuerySet):
    def acting(self, day=None):
        """Deputyships whose period includes `day` (today) and whose representative still holds the role."""
        day = day or timezone.localdate()
        holds = Membership.objects.filter(
            project=models.OuterRef("project"), user=models.OuterRef("principal"), role=models.OuterRef("role")
        )
        return self.filter(starts__lte=day, ends__gte=day).filter(models.Exists(holds))


class Deputy(models.Model):
    """A representative's deputy (stedfortreder) for a period: from `starts` to `ends` (both included) the
    deputy opens the project and signs as the representative would; the sign-off says whom it was for. Written
    by `projects.services.deputy_set` and `deputy_end`; the employer's side is never a deputy."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deputies")
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("representative"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="deputyships"
    )
    starts = models.DateField(_("from"), validators=[sensible_date])
    ends = models.DateField(_("to"), validators=[sensible_date])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeputyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["-starts", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends__gte=models.F("starts")), name="deputy_period")]
        indexes = [models.Index(fields=["deputy", "project", "ends"])]

    def __str__(self):
        return f"{self.deputy} – {self.principal} ({self.get_role_display()})"

    def is_acting(self, day=None):
        day = day or timezone.localdate()
        return self.starts <= day <= self.ends


def _document_path(document, filename):
    return f"documents/{document.project_id}/{document.kind}/v{document.version}-{filename}"


class GeneratedDocument(models.Model):
    """A generated PDF of a project (protocol, mandate, report …): one row per version, never regenerated.

    A request creates the row as pending; a Celery task renders it and stores the file with its SHA-256.
    Once done, the file and its hash never change; a new generation is a new version.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="generated_documents")
    kind = models.CharField(_("kind"), max_length=50, validators=[single_line])
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=_document_path, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True, validators=[single_line])
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "version"], name="document_version_unique"),
            # Asking again while a version is being made gives that version (projects.services.document_request).
            models.UniqueConstraint(
                fields=["project", "kind"],
                condition=models.Q(status__in=["pending", "running"]),
                name="document_one_in_progress",
            ),
        ]

    def __str__(self):
        return f"{self.project} – {self.kind} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.get("force_insert"):
            stored = type(self).objects.filter(pk=self.pk).values("status", "sha256").first()
            if stored and stored["status"] == self.Status.DONE:
                raise ValidationError(_("A generated document never changes; generate a new version."))
        super().save(*args, **kwargs)

    @property
    def is_done(self):
        return self.status == self.Status.DONE

    @property
    def in_progress(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


def _import_path(file_import, filename):
    """Where an uploaded file waits for its import: a random name (the person's own is kept in `name`)."""
    return f"imports/{file_import.project_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class FileImport(models.Model):
    """A spreadsheet uploaded to be imported by the worker (`projects.imports`): the file in the default storage
    until the import has an outcome, its progress while it is read, and every problem when it is refused.

    A request stores the file and a job of the outbox ("imports.run") in one transaction; the worker reads the
    file within the importer's limits, checks every row and writes all rows or none. The file is deleted once
    the import is done or refused; a run of a job that has its outcome does nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being read")
        DONE = "done", _("imported")
        REFUSED = "refused", _("not imported")
        FAILED = "failed", _("failed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="file_imports")
    kind = models.CharField(_("kind"), max_length=50, validators=[single_line])
    target = models.JSONField(_("imported into"), default=dict, blank=True)  # what the importer imports into
    file = models.FileField(upload_to=_import_path, max_length=300, blank=True)
    name = models.CharField(_("file name"), max_length=255, validators=[single_line])
    size = models.PositiveIntegerField(_("size"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_written = models.PositiveIntegerField(_("rows imported"), null=True, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)  # the first imports.SHOWN, as dicts
    problem_count = models.PositiveIntegerField(_("problems in all"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("file import")
        verbose_name_plural = _("file imports")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.project} – {self.kind} – {self.name}"

    @property
    def in_progress(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_read * 100 // self.rows_total)


def _personal_data_path(export, filename):
    # A name nobody can guess (the file holds one person's data; the download checks the owner anyway).
    return f"personal-data/{uuid.uuid4().hex}/{filename}"


class PersonalDataExport(models.Model):
    """One person's export of everything the service keeps about them (Settings → Your data): asked for on the
    page, made by the worker as a JSON file in the storage (local or object storage), downloaded only by that
    person, who is told by a notification when it is ready. A new export replaces the earlier ones."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=_personal_data_path, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True, validators=[single_line])
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    generated_at = models.DateTimeField(_("made"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.user} – {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_done(self):
        return self.status == self.Status.DONE

    @property
    def in_progress(self):
        return self.status == self.Status.PENDING


class ReminderEmail(models.Model):
    """One e-mail of reminders to one person: the day's digest, or an urgent reminder sent at once.

    Recorded (by its unique key) before it is sent and marked sent after, so that a retried or repeated
    task never sends it twice.
    """

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Daily digest")
        URGENT = "urgent", _("Urgent reminder")

    key = models.CharField(max_length=255, unique=True, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"), validators=[sensible_date])
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder e-mail")
        verbose_name_plural = _("reminder e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "day"])]

    def __str__(self):
        return self.key


class Notification(models.Model):
    """A reminder delivered in the app, recorded once per key (kind, object, recipient, occasion).

    The unique key is what makes the reminder scan idempotent: the scan inserts and ignores conflicts, so a
    second scan, or two scans at once, add nothing. E-mail follows from the row (`email_status`).
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for the e-mail")
        QUEUED = "queued", _("In an e-mail")
        OFF = "off", _("E-mail turned off")

    key = models.CharField(max_length=255, unique=True, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=40, validators=[single_line])
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.JSONField(_("text"))  # language code -> text
    url = models.CharField(max_length=300, blank=True, validators=[single_line])
    due_date = models.DateField(_("deadline"), null=True, blank=True, validators=[sensible_date])
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # what it reminded of is done (an item ticked): it no longer says overdue, and its e-mail is not sent
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email = models.ForeignKey(
        ReminderEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "recipient"]),
        ]

    def __str__(self):
        return self.key

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def message(self):
        from .reminders import text_for

        return text_for(self.text)


class EmailOptOut(models.Model):
    """A kind of reminder a person does not want by e-mail (in-app notifications are always on)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(max_length=40, validators=[single_line])

    class Meta:
        verbose_name = _("e-mail turned off")
        verbose_name_plural = _("e-mails turned off")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_unique")]

    def __str__(self):
        return f"{self.user}: {self.kind}"


class CalendarFeed(models.Model):
    """The secret token of a person's calendar feeds. A new token revokes the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, validators=[single_line])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


class SsoIdentity(models.Model):
    """A person's account at a single sign-on provider: once linked, log-in matches the token's issuer and
    subject, never its e-mail claim (projects.services.user_sso_sync)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities")
    issuer = models.CharField(_("issuer"), max_length=300, validators=[single_line])
    subject = models.CharField(_("subject"), max_length=255, validators=[single_line])
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        verbose_name = _("single sign-on account")
        verbose_name_plural = _("single sign-on accounts")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique"),
            models.UniqueConstraint(fields=["user", "issuer"], name="sso_identity_one_per_issuer"),
        ]

    def __str__(self):
        return f"{self.user}: {self.issuer}"


class PasswordResetRequest(models.Model):
    """A password-reset request, kept for a day to limit reset e-mails per address and per e-mail address."""

    email = models.CharField(max_length=254, validators=[single_line])
    ip_address = models.GenericIPAddressField(null=True)
    sent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [models.Index(fields=["ip_address", "created_at"]), models.Index(fields=["email", "created_at"])]

    def __str__(self):
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_upload_to(instance, filename):
    """A stored attachment's path: the owner's folder (`upload_dir`) and a random name with the suffix."""
    return f"{instance.upload_dir()}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    """A file attached to something in a project (an item, a meeting): one set of fields and one way of
    storing it (`projects.uploads.attachment_fields`), whichever app it belongs to. Concrete models add the
    foreign key to their owner, `upload_dir()` and their history."""

    file = models.FileField(upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, validators=[single_line])
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=120, validators=[single_line])
    sha256 = models.CharField(max_length=64, validators=[single_line])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    def upload_dir(self) -> str:
        raise NotImplementedError


class Job(models.Model):
    """A piece of deferred work (a PDF to render, an e-mail to send, an import to run): the outbox.

    Written in the same transaction as the change that asks for it, so the work is never lost and never
    done for a change that was rolled back. The broker carries only a wake-up; `projects.outbox` claims the
    row with a lease before running it, so a worker that dies mid-run leaves a job that is claimed again.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=50, validators=[single_line])
    key = models.CharField(_("key"), max_length=255, unique=True, validators=[single_line])
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    run_after = models.DateTimeField(_("run after"), default=timezone.now)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    woken_at = models.DateTimeField(_("wake-up sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["state", "run_after"],
                name="job_open",
                condition=models.Q(state__in=["pending", "running"]),
            )
        ]

    def __str__(self):
        return self.key
