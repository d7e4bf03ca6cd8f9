"""Participation: steps that representatives sign off, the meetings behind them, and the protocol."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phases.models import Activity, Bilingual
from projects.models import Attachment, Project, Role
from projects.validators import sensible_date, single_line


class Step(Bilingual, models.Model):
    """A participation step from the process template, e.g. the consultation on the mandate.

    Its content is the summary, the linked meetings (participants and agenda included) and the activity's
    document. The owner or manager edits a draft (`draft_hash` follows it) and sends it for sign-off: only a
    sent version (`version`, `content`, `content_hash`, one `StepVersion` each) is shown to the
    representatives and can be signed; sending a new version outdates the sign-offs of the one before.
    """

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        CONSULTATION = "consultation", _("Consultation")
        RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
        AMU = "amu", _("Working environment committee")
        WORKING_GROUP = "working_group", _("Working group")
        EVALUATION = "evaluation", _("Evaluation")
        PRIORITISATION = "prioritisation", _("Prioritisation of measures")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participation_steps")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_nb = models.CharField(max_length=200, validators=[single_line])
    name_en = models.CharField(max_length=200, validators=[single_line])
    description_nb = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    required_roles = models.JSONField(_("required sign-offs"), default=list)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What is presented to the representatives and what they confirm by signing."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=0, help_text=_("The version sent for sign-off; 0 while none has been sent.")
    )
    content_hash = models.CharField(
        _("SHA-256 of the sent content"), max_length=64, blank=True, validators=[single_line]
    )
    content = models.TextField(_("sent content"), blank=True)
    draft_hash = models.CharField(_("SHA-256 of the draft"), max_length=64, blank=True, validators=[single_line])
    version_at = models.DateTimeField(_("sent"), default=timezone.now)
    is_sent = models.BooleanField(
        _("sent for sign-off"), default=False, help_text=_("A version has been sent to the representatives.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation step")
        verbose_name_plural = _("participation steps")
        ordering = ["activity__phase__order", "activity__order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="step_key_unique")]

    def __str__(self):
        return self.name_nb

    @property
    def description(self):
        return self.tr("description")

    def required_role_labels(self):
        return [Role(r).label for r in self.required_roles]

    @property
    def has_unsent_changes(self):
        """The draft differs from the version sent for sign-off (or nothing has been sent yet)."""
        return self.draft_hash != self.content_hash


class StepVersion(models.Model):
    """A version of a step as it was sent for sign-off. Written once; the content is what the page showed."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.TextField(_("sent content"))
    content_hash = models.CharField(_("SHA-256 of the sent content"), max_length=64, validators=[single_line])
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("sent version")
        verbose_name_plural = _("sent versions")
        ordering = ["step", "number"]
        constraints = [models.UniqueConstraint(fields=["step", "number"], name="step_version_once")]

    def __str__(self):
        return f"{self.step} v{self.number}"


class Meeting(models.Model):
    class Type(models.TextChoices):
        INFORMATION = "information", _("Information meeting")
        CONSULTATION = "consultation", _("Consultation meeting (drøftingsmøte)")
        AMU = "amu", _("Working environment committee (AMU)")
        WORKING_GROUP = "working_group", _("Working group")
        ALL_STAFF = "all_staff", _("All-staff meeting")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    type = models.CharField(_("type of meeting"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    held_on = models.DateField(_("date"), validators=[sensible_date])
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True, related_name="+"
    )
    other_participants = models.TextField(
        _("other participants"), blank=True, help_text=_("People without an account, one per line.")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    steps = models.ManyToManyField(Step, verbose_name=_("participation steps"), blank=True, related_name="meetings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class MeetingAttachment(Attachment):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")

    history = HistoricalRecords()

    class Meta(Attachment.Meta):
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")

    def upload_dir(self):
        return f"meetings/{self.meeting.project_id}"


class SignOffQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Sign-offs are never changed."))

    def delete(self):
        raise ValidationError(_("Sign-offs are never deleted."))


class SignOff(models.Model):
    """A representative's decision on one version of a step. Written once; never changed or deleted."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REMARKS = "approved_with_remarks", _("Approved with remarks")
        OBJECTION = "objection", _("Objection (protokolltilførsel)")

    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="signoffs")
    step_version = models.PositiveIntegerField(_("step version"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signoffs")
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("as deputy for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The representative the signer acted for as deputy (stedfortreder)."),
    )
    decision = models.CharField(_("decision"), max_length=30, choices=Decision.choices)
    text = models.TextField(_("remarks or objection"), blank=True)
    content_hash = models.CharField(_("SHA-256 of the signed content"), max_length=64, validators=[single_line])
    content = models.TextField(_("signed content"))
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    objects = SignOffQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "step_version", "signer", "role"], name="signoff_once_per_version")
        ]

    def __str__(self):
        return f"{self.step} – {self.signer} ({self.get_decision_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Sign-offs are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Sign-offs are never deleted."))

    @property
    def is_objection(self):
        return self.decision == self.Decision.OBJECTION

    @property
    def speaks_for_id(self):
        """Whose role the sign-off fills: the representative's when a deputy signed in their place."""
        return self.on_behalf_of_id or self.signer_id

    @property
    def signer_label(self):
        """The signer's name, and for a deputy whom they signed for: "Siri Vara (as deputy for Per Verne)"."""
        from django.utils.translation import gettext

        if self.on_behalf_of_id is None:
            return self.signer.full_name
        return gettext("%(signer)s (as deputy for %(principal)s)") % {
            "signer": self.signer.full_name, "principal": self.on_behalf_of.full_name
        }  # fmt: skip


class ParticipationRollup(models.Model):
    """What the coordinators' overview shows about a project's participation, stored per project (see
    `rollups.py`): the steps waiting for sign-off, the objections on record and the number of safety
    representatives. Written only by `rollups.participation_refresh`, called by the services that send steps,
    record sign-offs and change memberships (a sign-off counts only while its signer holds the role)."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="participation_rollup"
    )
    signoffs_waiting = models.PositiveIntegerField(default=0)
    objections = models.PositiveIntegerField(default=0)
    safety_reps = models.PositiveIntegerField(default=0)  # members in the role: none needs a coordinator

    def __str__(self):
        return str(self.project_id)


class OpenSignOff(models.Model):
    """A sign-off a step waits for: one row for each (step, role) where the step has been sent for sign-off,
    requires the role, and has no sign-off of its current version for the role that counts
    (`selectors.counting_signoffs`). Written only by `rollups.open_signoffs_refresh`, in the transaction of
    the services that send steps, record sign-offs and change memberships; read by `selectors.open_signoffs_for`
    through the person's memberships (project, role)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="open_signoffs")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    # When the step's current version was sent (a copy of `Step.version_at`): the inbox pages the waiting steps
    # oldest first and *Mine oppgaver* counts the overdue ones without reading the steps.
    version_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "role"], name="open_signoff_once_per_role")]
        # The inbox's page, oldest first, read in this order and stopped at the page's end instead of sorting every
        # step waiting for the person (35 000 for a representative in 20 000 projects).
        indexes = [
            models.Index(fields=["project", "role"], name="open_signoff_project_role"),
            models.Index(fields=["version_at", "step"], name="open_signoff_oldest_first"),
        ]

    def __str__(self):
        return f"{self.step_id} {self.role}"


class LatestSignOff(models.Model):
    """The newest sign-off each person gave on each step: what *Dine avgjørelser* in the inbox lists, newest
    first, without finding the newest of every step among all the person's sign-offs on each request. Written
    only by `rollups.latest_signoffs_refresh`, in the transaction of the service that records a sign-off."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="+")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    signoff = models.OneToOneField(SignOff, on_delete=models.CASCADE, related_name="latest")
    # Copies of the sign-off's own fields, which never change: the list is read, filtered and counted here alone.
    step_version = models.PositiveIntegerField()
    decision = models.CharField(max_length=30, choices=SignOff.Decision.choices)
    signed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signer", "step"], name="latest_signoff_once_per_step")]
        indexes = [models.Index(fields=["signer", "-signed_at", "-signoff"], name="latest_signoff_newest_first")]

    def __str__(self):
        return f"{self.signer_id} {self.step_id} {self.signoff_id}"
