"""What is sent to the municipality's archive (Fiks Arkiv), and what came back.

- `Archiving`: one generated document version on its way to the archive, the outbox table of the archive's
  messages: its state (queued, sent, receipt, failed with the reason), attempts, the message id and, from the
  receipt, the archive's record number. Its `key` is unique per document version, so a version is archived
  once however often it is asked for.
- `ArchiveCase`: the project's case folder (saksmappe) in the archive: created by the first message when the
  project has no archive case number, referred to by the project's external key until a receipt gives the
  archive's own number.
- `Screening`: the screening (skjerming) a coordinator set for a kind of document, with its legal basis.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import GeneratedDocument, Project
from projects.validators import single_line


class Archiving(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        RECEIPT = "receipt", _("archived")
        FAILED = "failed", _("failed")

    class Trigger(models.TextChoices):
        PHASE = "phase", _("Phase completed")
        MANDATE = "mandate", _("Mandate consultation signed")
        EVALUATION = "evaluation", _("Evaluation completed")
        CLOSED = "closed", _("Project completed")
        MANUAL = "manual", _("Sent by hand")

    key = models.CharField(_("key"), max_length=100, unique=True, validators=[single_line])
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="archivings")
    document = models.ForeignKey(GeneratedDocument, on_delete=models.CASCADE, related_name="archivings")
    trigger = models.CharField(_("reason"), max_length=20, choices=Trigger.choices)
    state = models.CharField(_("archive state"), max_length=10, choices=State.choices, default=State.QUEUED)
    message_id = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True, editable=False)
    creates_case = models.BooleanField(_("creates the case folder"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    rounds = models.PositiveSmallIntegerField(default=0)  # the number in the key of its current outbox job
    error = models.TextField(_("reason"), blank=True)
    receipt_error = models.TextField(_("refused receipt"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    receipt_at = models.DateTimeField(_("receipt"), null=True, blank=True)
    record_year = models.PositiveIntegerField(_("record year"), null=True, blank=True)
    record_sequence = models.PositiveIntegerField(_("record sequence number"), null=True, blank=True)
    record_system_id = models.CharField(max_length=64, blank=True, validators=[single_line])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("archiving")
        verbose_name_plural = _("archivings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self):
        return f"{self.key} ({self.state})"

    @staticmethod
    def key_for(document) -> str:
        return f"document:{document.pk}"

    @property
    def job_key(self) -> str:
        return f"archive:{self.pk}:{self.rounds}"

    @property
    def record_number(self) -> str:
        """The archive's record number, e.g. 2026/1234 (empty until a receipt gave it)."""
        if self.record_year and self.record_sequence:
            return f"{self.record_year}/{self.record_sequence}"
        return ""


class ArchiveCase(models.Model):
    """The project's case folder in the archive."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="archive_case")
    created_by = models.ForeignKey(
        Archiving, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The message that created the case folder (None: none sent yet).",
    )  # fmt: skip
    system_id = models.CharField(max_length=64, blank=True, validators=[single_line])  # the archive's, from a receipt
    case_year = models.PositiveIntegerField(_("case year"), null=True, blank=True)
    case_sequence = models.PositiveIntegerField(_("case sequence number"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("archive case")
        verbose_name_plural = _("archive cases")

    def __str__(self):
        return self.case_number or f"{self.project} (no number yet)"

    @property
    def case_number(self) -> str:
        if self.case_year and self.case_sequence:
            return f"{self.case_year}/{self.case_sequence}"
        return ""


class Screening(models.Model):
    """Screening (skjerming) of a kind of document in the archive, set by a coordinator: the access restriction
    code (e.g. "13") and the legal basis (e.g. "Offl. § 13 jf. fvl. § 13 første ledd nr. 1"). No row: the
    default from ARCHIVE_SCREENING; an empty code: not screened."""

    kind = models.CharField(_("kind of document"), max_length=50, unique=True, validators=[single_line])
    code = models.CharField(_("access restriction"), max_length=20, blank=True, validators=[single_line])
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True, validators=[single_line])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["kind"]

    def __str__(self):
        return f"{self.kind}: {self.code or '-'}"
