"""Employee surveys (before and after a move) and comment rounds, answered through personal links.

Anonymity by design (docs/decisions.md, "Anonymous surveys"): whether a link was used (`Invitation.answered`) is
stored apart from the answer, with nothing that joins them. An `Answer` has a random UUID for its key, no date,
no time, no token, no address and no user agent; it reaches its table in a shuffled batch together with at least
SURVEY_MIN_GROUP others (`PendingAnswer` holds the few that wait for a batch), so neither its key, its row order
nor its transaction pairs it with the invitation whose flag was set. The answer tables are kept out of the
change history.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Project
from projects.validators import sensible_date, single_line

MAX_UNIT = 100


def in_language(texts: dict, lang: str | None = None) -> str:
    """A text of the questionnaire ({"nb", "nn", "en"}) in the active language, bokmål when it lacks one."""
    lang = (lang or get_language() or "nb")[:2]
    return texts.get(lang) or texts.get("nb") or ""


class Questionnaire(models.Model):
    """One version of a questionnaire, read from a TOML file and validated whole (`surveys.questionnaire`)."""

    key = models.CharField(_("key"), max_length=80, validators=[single_line])
    version = models.PositiveIntegerField(_("version"))
    name = models.JSONField(_("name"))  # {"nb", "nn", "en"}
    definition = models.JSONField(_("definition"))
    source = models.TextField(_("source file"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="questionnaire_version_unique")]

    def __str__(self):
        return f"{self.display_name} (v{self.version})"

    @property
    def display_name(self):
        return in_language(self.name)


class Survey(models.Model):
    """A run of a questionnaire in a project between two dates: the baseline (phases 1–2) or the follow-up (in
    the evaluation window), with the same questions."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline survey")
        FOLLOW_UP = "follow_up", _("Follow-up survey")

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="surveys"
    )
    # The questions as they were when the survey started (the project's goals included): a later questionnaire
    # version or a changed goal never changes a running survey.
    questions = models.JSONField(_("questions"))
    opens_on = models.DateField(_("opens"), validators=[sensible_date])
    closes_on = models.DateField(_("closes"), validators=[sensible_date])
    open_link = models.BooleanField(_("one open link instead of personal links"), default=False)
    open_nonce = models.CharField(max_length=32, blank=True, editable=False)
    open_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RUNNING)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    # Counted when the survey closes, since the address list is then deleted.
    invited_count = models.PositiveIntegerField(_("invited"), null=True, blank=True)
    answered_count = models.PositiveIntegerField(_("answered"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True, validators=[sensible_date])
    transferred_on = models.DateField(
        _("results transferred to the evaluation"), null=True, blank=True, validators=[sensible_date]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="survey_one_per_kind"),
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="survey_dates"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.project}"

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.state == self.State.RUNNING and self.opens_on <= today <= self.closes_on

    def is_closed(self, today=None):
        today = today or timezone.localdate()
        return self.state == self.State.CLOSED or today > self.closes_on


class Invitation(models.Model):
    """A person's one-time link: the address (deleted when the survey closes), the hash of the link's token, and
    whether it was used — a flag, with no time. Nothing here names an answer, and no answer names this."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    unit = models.CharField(_("unit"), max_length=MAX_UNIT, blank=True, validators=[single_line])
    nonce = models.CharField(
        max_length=32, editable=False
    )  # the token is HMAC(SECRET_KEY, nonce): only its hash is stored
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    answered = models.BooleanField(default=False)
    invited = models.BooleanField(default=False)  # the invitation e-mail went out
    reminded = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "email"], name="invitation_once_per_address")]

    def __str__(self):
        return self.email


class PendingAnswer(models.Model):
    """An answer waiting for its shuffled batch (at most SURVEY_MIN_GROUP − 1 per survey at a time)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    unit = models.CharField(max_length=MAX_UNIT, blank=True, validators=[single_line])
    values = models.JSONField(default=dict)  # {question key: 1–5, or 0 for "not relevant"}
    free_text = models.TextField(blank=True)

    def __str__(self):
        return str(_("An answer"))


class Answer(models.Model):
    """One person's answers, with nothing that says who, when or through which link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    unit = models.CharField(_("unit"), max_length=MAX_UNIT, blank=True, validators=[single_line])
    values = models.JSONField(default=dict)
    free_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self):
        return str(_("An answer"))


# Comment rounds (høringsrunde) -----------------------------------------------------------------------------


class CommentRound(models.Model):
    """A draft (the solution, the floor plan, the rules of use) sent to everybody on an address list for
    comments until a closing date. The owner answers the comments and sums them up; the summary with the
    answers becomes part of the content of the participation step the representatives sign."""

    class State(models.TextChoices):
        OPEN = "open", _("Open for comments")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comment_rounds")
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    draft = models.TextField(_("the draft"), help_text=_("The solution, the floor plan and the rules of use."))
    closes_on = models.DateField(_("closing date"), validators=[sensible_date])
    named = models.BooleanField(
        _("comments carry the sender's address"),
        default=False,
        help_text=_("Leave unticked for anonymous comments."),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    summary = models.TextField(_("summary of what was said"), blank=True)
    step = models.ForeignKey(
        "participation.Step",
        verbose_name=_("participation step"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["recipient_count"])

    class Meta:
        verbose_name = _("comment round")
        verbose_name_plural = _("comment rounds")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.state == self.State.OPEN and today <= self.closes_on


class Recipient(models.Model):
    """A personal link to a comment round. A link may comment more than once and records nothing when it does,
    so an anonymous comment is joined to no recipient."""

    round = models.ForeignKey(CommentRound, on_delete=models.CASCADE, related_name="recipients")
    email = models.EmailField(_("e-mail address"))
    nonce = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "email"], name="recipient_once_per_address")]

    def __str__(self):
        return self.email


class Comment(models.Model):
    """A comment on a draft and the owner's answer. Shown to the owner and the representatives only, never in a
    PDF; `author` is the sender's address only in a round that asked for names."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(CommentRound, on_delete=models.CASCADE, related_name="comments")
    number = models.PositiveIntegerField(_("no."), null=True, blank=True)  # given when the round closes
    text = models.TextField(_("comment"))
    author = models.CharField(_("from"), max_length=254, blank=True, validators=[single_line])
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.text[:80]
