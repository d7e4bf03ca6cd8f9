"""Writes for questionnaires, surveys, answers and comment rounds.

Each function checks who acts, validates, runs in one transaction and returns the object. The e-mails (the
invitations, at most two reminders to those who have not answered) are outbox jobs enqueued in the same
transaction and sent by the worker (`surveys.jobs`).
"""

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from projects import outbox
from projects.models import Job, Project, User
from projects.services import with_history_user

from . import tokens
from .models import Answer, Comment, CommentRound, Invitation, PendingAnswer, Questionnaire, Recipient, Survey
from .questionnaire import QuestionnaireError, parse_questionnaire, questions_for

SHIPPED = Path(__file__).resolve().parent / "questionnaires"
MAX_REMINDERS = 2
MAX_FREE_TEXT = 4000
MAX_DAYS_OPEN = 120
NOT_RELEVANT = 0


def min_group() -> int:
    """The smallest group whose figures are shown: the setting, never below 5."""
    return max(5, int(getattr(settings, "SURVEY_MIN_GROUP", 5)))


def _require(by, perm, obj=None):
    if not by.has_perm(perm, obj):
        raise PermissionDenied


# Questionnaires ---------------------------------------------------------------------------------------------


def _store_questionnaire(definition, text, by):
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = Questionnaire.objects.filter(key=definition["key"], version=definition["version"]).first()
    if existing is not None:
        if existing.sha256 == digest:
            return existing, False
        raise ValidationError(
            _("Version %(version)s of %(key)s exists with other content. Give the file a higher version.")
            % {"version": definition["version"], "key": definition["key"]}
        )
    questionnaire = Questionnaire(
        key=definition["key"], version=definition["version"], name=definition["name"], definition=definition,
        source=text, sha256=digest, uploaded_by=by,
    )  # fmt: skip
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire, True


@transaction.atomic
def questionnaires_load_shipped() -> list[Questionnaire]:
    """The questionnaires shipped with the application (surveys/questionnaires/*.toml), stored once each."""
    out = []
    for path in sorted(SHIPPED.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        out.append(_store_questionnaire(parse_questionnaire(text, source=path.name), text, None)[0])
    return out


@transaction.atomic
def questionnaire_upload(*, content: bytes, filename: str, by: User) -> Questionnaire:
    """A coordinator's own questionnaire version, validated whole: every problem is listed, nothing is stored
    unless the file is right. A running survey keeps the version it started with."""
    _require(by, "surveys.manage_questionnaires")
    try:
        definition = parse_questionnaire(content, source=filename)
    except QuestionnaireError as exc:
        raise ValidationError({"file": exc.problems}) from None
    text = content.decode("utf-8")
    return _store_questionnaire(definition, text, by)[0]


# Surveys ---------------------------------------------------------------------------------------------------


def project_goals(project) -> list[str]:
    """The project's overall goals (one a line in the goals document), for one question each."""
    from workproducts.models import Goals

    goals = Goals.objects.filter(work_product__project=project).values_list("overall_goals", flat=True).first()
    return [line.strip(" -•*\t") for line in (goals or "").splitlines() if line.strip(" -•*\t")]


def _current_phase_order(project):
    from phases.models import Phase

    phase = Phase.objects.filter(project=project, completed_at__isnull=True).order_by("order").first()
    return phase.order if phase else None


def _check_dates(opens_on, closes_on, today):
    if opens_on is None or closes_on is None:
        raise ValidationError({"opens_on": _("Give both dates.")})
    if opens_on < today:
        raise ValidationError({"opens_on": _("The survey cannot open in the past.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The survey must close on or after the day it opens.")})
    if (closes_on - opens_on).days > MAX_DAYS_OPEN:
        raise ValidationError({"closes_on": _("A survey runs for at most %(n)s days.") % {"n": MAX_DAYS_OPEN}})


def _invitation_jobs(rows, opens_on, today, code, key):
    """One e-mail job per row, due on the day the survey or round opens."""
    ids = outbox.enqueue_many(code, [(key(row), {"id": row.pk}) for row in rows])
    if opens_on > today and ids:
        start = timezone.make_aware(timezone.datetime.combine(opens_on, timezone.datetime.min.time()).replace(hour=7))
        Job.objects.filter(pk__in=ids).update(run_after=start)
    return ids


@transaction.atomic
def survey_start(
    *,
    project: Project,
    kind: str,
    by: User,
    opens_on,
    closes_on,
    addresses=(),
    open_link: bool = False,
    questionnaire: Questionnaire | None = None,
    _check_phase: bool = True,
) -> Survey:
    """Start the baseline (phases 1–2) or the follow-up (after move-in) survey. The follow-up asks the baseline's
    questions; the baseline asks the questionnaire's and one per project goal. Each address gets a personal
    one-time link by e-mail; or, with `open_link`, one link is published instead (anybody with it may answer,
    more than once)."""
    _require(by, "surveys.manage_surveys", project)
    project = Project.objects.select_for_update(no_key=True).get(pk=project.pk)
    today = timezone.localdate()
    if Survey.objects.filter(project=project, kind=kind).exists():
        raise ValidationError(_("This project already has that survey."))
    baseline = Survey.objects.filter(project=project, kind=Survey.Kind.BASELINE).first()
    if kind == Survey.Kind.BASELINE:
        order = _current_phase_order(project) if _check_phase else None  # (demo data: a baseline of the past)
        if order is not None and order > 2:
            raise ValidationError(
                _("The baseline survey is run in phase 1 or 2, before the move is planned in detail.")
            )
    elif kind == Survey.Kind.FOLLOW_UP:
        if project.actual_move_in is None:
            raise ValidationError(_("The follow-up survey is run after the move-in, in the evaluation window."))
    else:
        raise ValidationError(_("Unknown kind of survey."))
    _check_dates(opens_on, closes_on, today)
    if kind == Survey.Kind.FOLLOW_UP and baseline is not None:
        questionnaire, questions = baseline.questionnaire, baseline.questions
    else:
        if questionnaire is None:
            raise ValidationError({"questionnaire": _("Choose a questionnaire.")})
        questions = questions_for(questionnaire.definition, project_goals(project))
    addresses = list(addresses)
    if not open_link and not addresses:
        raise ValidationError({"addresses": _("Give the addresses of the employees, one a line.")})
    if open_link and addresses:
        raise ValidationError({"addresses": _("An open link is sent to nobody: leave the address list empty.")})
    survey = Survey(
        project=project, kind=kind, questionnaire=questionnaire, questions=questions, opens_on=opens_on,
        closes_on=closes_on, open_link=open_link, created_by=by,
    )  # fmt: skip
    if open_link:
        survey.open_nonce = tokens.new_nonce()
        survey.open_token_hash = tokens.hash_of(tokens.token_for(survey.open_nonce))
    survey.full_clean()
    with_history_user(survey, by).save()
    rows = []
    for email, unit in addresses:
        nonce = tokens.new_nonce()
        rows.append(
            Invitation(
                survey=survey, email=email, unit=unit, nonce=nonce, token_hash=tokens.hash_of(tokens.token_for(nonce))
            )
        )
    Invitation.objects.bulk_create(rows, batch_size=1000)
    rows = list(Invitation.objects.filter(survey=survey).only("pk"))
    _invitation_jobs(rows, opens_on, today, "surveys.invite", lambda inv: f"survey-invite:{inv.pk}")
    return survey


@transaction.atomic
def survey_remind(*, survey: Survey, by: User) -> int:
    """A reminder, by the worker, to those who have not answered (at most two per survey). Returns how many."""
    _require(by, "surveys.manage_surveys", survey.project)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.open_link:
        raise ValidationError(_("An open link has nobody to remind."))
    if not survey.is_open():
        raise ValidationError(_("Reminders are sent only while the survey is open."))
    if survey.reminders_sent >= MAX_REMINDERS:
        raise ValidationError(_("Both reminders have been sent."))
    survey.reminders_sent += 1
    with_history_user(survey, by).save()
    number = survey.reminders_sent
    rows = list(survey.invitations.filter(answered=False).only("pk"))
    outbox.enqueue_many(
        "surveys.remind", [(f"survey-remind:{inv.pk}:{number}", {"id": inv.pk, "number": number}) for inv in rows]
    )
    return len(rows)


def invitation_send(*, invitation_id: int, number: int = 0) -> bool:
    """E-mail the invitation (number 0) or reminder `number` (the worker runs this). Nothing is sent to somebody
    who has answered, for a closed survey, or twice for the same number."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("survey__project").filter(pk=invitation_id).first()
        )
        if invitation is None or invitation.answered or invitation.survey.is_closed():
            return False
        if (number == 0 and invitation.invited) or (number and invitation.reminded >= number):
            return False
        survey = invitation.survey
        context = {
            "survey": survey,
            "project": survey.project,
            "link": tokens.link_for(invitation.nonce),
            "reminder": number,
            "min_group": min_group(),
        }
        subject = "".join(render_to_string("surveys/email_invitation_subject.txt", context).splitlines())
        body = render_to_string("surveys/email_invitation.txt", context)
        send_mail(subject, body, None, [invitation.email], fail_silently=False)
        if number == 0:
            invitation.invited = True
        else:
            invitation.reminded = number
        invitation.save(update_fields=["invited", "reminded"])
    return True


@dataclass(frozen=True)
class Link:
    """What a personal link leads to."""

    survey: Survey | None = None
    invitation: Invitation | None = None
    round: CommentRound | None = None
    recipient: Recipient | None = None


def link_resolve(token: str) -> Link | None:
    if not token or len(token) > 100:
        return None
    digest = tokens.hash_of(token)
    invitation = Invitation.objects.select_related("survey__project").filter(token_hash=digest).first()
    if invitation is not None:
        return Link(survey=invitation.survey, invitation=invitation)
    survey = Survey.objects.select_related("project").filter(open_token_hash=digest, open_link=True).first()
    if survey is not None:
        return Link(survey=survey)
    recipient = Recipient.objects.select_related("round__project").filter(token_hash=digest).first()
    if recipient is not None:
        return Link(round=recipient.round, recipient=recipient)
    return None


def _clean_values(survey, values: dict, free_text: str):
    keys = {q["key"] for q in survey.questions["questions"]}
    clean = {}
    for key, value in (values or {}).items():
        if key not in keys:
            continue
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({key: _("Choose one of the answers.")}) from None
        if not 0 <= number <= 5:
            raise ValidationError({key: _("Choose one of the answers.")})
        clean[key] = number
    free_text = (free_text or "").strip() if survey.questions.get("free_text") else ""
    if len(free_text) > MAX_FREE_TEXT:
        raise ValidationError({"free_text": _("At most %(n)s characters.") % {"n": MAX_FREE_TEXT}})
    if not clean and not free_text:
        raise ValidationError(_("Answer at least one question."))
    return clean, free_text.replace("\x00", "")


class AnswerOutcome:
    ANSWERED = "answered"
    ALREADY = "already"
    CLOSED = "closed"
    NOT_YET = "not_yet"


def survey_answer(*, link: Link, values: dict, free_text: str = "") -> str:
    """Store one person's answer through their link, once. A used link changes nothing and says so. The
    invitation's flag is set and the answer joins the pool in one transaction; the pool goes into the answer
    table in a shuffled batch, in a transaction of its own, once it holds SURVEY_MIN_GROUP answers."""
    survey = link.survey
    today = timezone.localdate()
    if survey.is_closed(today):
        return AnswerOutcome.CLOSED
    if today < survey.opens_on:
        return AnswerOutcome.NOT_YET
    clean, free_text = _clean_values(survey, values, free_text)
    with transaction.atomic():
        if link.invitation is not None:
            if not Invitation.objects.filter(pk=link.invitation.pk, answered=False).update(answered=True):
                return AnswerOutcome.ALREADY
            unit = link.invitation.unit
        else:
            unit = ""
        PendingAnswer.objects.create(survey_id=survey.pk, unit=unit, values=clean, free_text=free_text)
    answers_mix(survey_id=survey.pk)
    return AnswerOutcome.ANSWERED


def answers_mix(*, survey_id: int, everything: bool = False) -> int:
    """Move the pool's answers into the answer table in random order with new random keys, once there are at
    least SURVEY_MIN_GROUP of them (or all, with `everything`, when the survey closes). Returns how many."""
    if not everything and PendingAnswer.objects.filter(survey_id=survey_id).count() < min_group():
        return 0
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey_id).first()  # one mix at a time per survey
        pending = list(PendingAnswer.objects.filter(survey_id=survey_id))
        if not pending or (not everything and len(pending) < min_group()):
            return 0
        random.SystemRandom().shuffle(pending)
        Answer.objects.bulk_create(
            [Answer(survey_id=survey_id, unit=p.unit, values=p.values, free_text=p.free_text) for p in pending]
        )
        PendingAnswer.objects.filter(pk__in=[p.pk for p in pending]).delete()
    return len(pending)


def _close(survey, by=None):
    answers_mix(survey_id=survey.pk, everything=True)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state == Survey.State.CLOSED:
        return survey
    if survey.open_link:
        survey.invited_count, survey.answered_count = None, survey.answers.count()
    else:
        survey.invited_count = survey.invitations.count()
        survey.answered_count = survey.invitations.filter(answered=True).count()
    survey.invitations.all().delete()  # the address list goes when the survey closes
    survey.state, survey.closed_on = Survey.State.CLOSED, timezone.localdate()
    survey.open_token_hash = ""
    with_history_user(survey, by).save()
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, by: User) -> Survey:
    """Close the survey now: the last answers join the table, the counts are kept and the address list is
    deleted."""
    _require(by, "surveys.manage_surveys", survey.project)
    return _close(survey, by)


def surveys_close_due(*, today=None) -> int:
    """Close every survey and comment round past its closing date (the retention command runs this daily):
    their address lists are deleted. Returns how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    for survey in Survey.objects.filter(state=Survey.State.RUNNING, closes_on__lt=today):
        with transaction.atomic():
            _close(survey)
        closed += 1
    for round_ in CommentRound.objects.filter(state=CommentRound.State.OPEN, closes_on__lt=today):
        with transaction.atomic():
            _round_close(round_)
        closed += 1
    return closed


# Results into the evaluation and the HMS action plan --------------------------------------------------------


def _period(survey):
    from django.utils.formats import date_format

    return f"{date_format(survey.opens_on, 'SHORT_DATE_FORMAT')}–{date_format(survey.closes_on, 'SHORT_DATE_FORMAT')}"


@transaction.atomic
def results_transfer(*, survey: Survey, by: User) -> int:
    """The follow-up's results as before/after figures in the evaluation (the project's own survey, through
    `evaluation.figures.figures_replace`): the mean of each question with at least SURVEY_MIN_GROUP answers before
    and after, and the response rate when both have one to show. Doing it again replaces them. Returns how many."""
    from evaluation.figures import figures_replace
    from evaluation.models import Figure

    _require(by, "surveys.manage_surveys", survey.project)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.kind != Survey.Kind.FOLLOW_UP or not survey.is_closed():
        raise ValidationError(_("Only a closed follow-up survey's results go to the evaluation."))
    evaluation = getattr(survey.project, "evaluation", None)
    if evaluation is None:
        raise ValidationError(_("Record the move-in first: the evaluation starts then."))
    baseline = Survey.objects.filter(project=survey.project, kind=Survey.Kind.BASELINE).first()
    if baseline is None or not baseline.is_closed():
        raise ValidationError(_("There is no closed baseline survey to compare with."))
    with translation.override("nb"):  # stored figures are in bokmål, like the evaluation's other stored texts
        rows = _figure_rows(baseline, survey)
    figures_replace(evaluation=evaluation, by=by, source=Figure.Source.SURVEY, batch=f"survey:{survey.pk}", rows=rows)
    survey.transferred_on = timezone.localdate()
    with_history_user(survey, by).save()
    return len(rows)


def _figure_rows(baseline, survey):
    from decimal import Decimal

    from evaluation.figures import FigureRow
    from evaluation.models import Figure

    from .selectors import comparison, results

    periods = {"period_before": _period(baseline), "period_after": _period(survey)}
    rows = []
    before, after = results(baseline), results(survey)
    if before.rate is not None and after.rate is not None:
        rows.append(
            FigureRow(
                kind=Figure.Kind.EMPLOYEE_SURVEY,
                label=_("Response rate"),
                before=Decimal(before.rate),
                after=Decimal(after.rate),
                unit="%",
                **periods,
            )  # fmt: skip
        )
    for row in comparison(baseline, survey, lang="nb"):
        if row.difference is None:
            continue  # fewer than SURVEY_MIN_GROUP on one side: no figure
        rows.append(
            FigureRow(
                kind=Figure.Kind.EMPLOYEE_SURVEY,
                label=row.text[:200],
                before=Decimal(f"{row.before.mean:.2f}"),
                after=Decimal(f"{row.after.mean:.2f}"),
                unit=_("points (1–5)"),
                **periods,
            )  # fmt: skip
        )
    return rows


@transaction.atomic
def measure_from_question(*, survey: Survey, key: str, by: User):
    """An HMS measure for a question whose mean fell clearly from the baseline to the follow-up, in one step
    (or the measure it already became)."""
    from evaluation.models import Measure
    from evaluation.services import measure_create

    from .selectors import comparison

    _require(by, "evaluation.manage_measures", survey.project)
    ref = f"survey-{survey.pk}-{key}"[:100]
    existing = Measure.objects.filter(project=survey.project, source=Measure.Source.SURVEY, source_ref=ref).first()
    if existing is not None:
        return existing
    baseline = Survey.objects.filter(project=survey.project, kind=Survey.Kind.BASELINE).first()
    row = next((r for r in comparison(baseline, survey, lang="nb") if r.key == key), None) if baseline else None
    if row is None or row.difference is None or not row.difference.clearly_down:
        raise ValidationError(_("Only a question whose answers fell clearly becomes a measure here."))
    change = f"{row.before.mean:.1f} → {row.after.mean:.1f}".replace(".", ",")
    return measure_create(
        project=survey.project,
        by=by,
        focus_area=row.text[:200],
        goal=_("Bring the answers back at least to the baseline (%(change)s).") % {"change": change},
        activity=_(
            "Find out with the employees and their representatives why the answers fell, and agree on what to do."
        ),
        responsible=by.full_name or by.email,
        source=Measure.Source.SURVEY,
        source_ref=ref,
    )


# Comment rounds --------------------------------------------------------------------------------------------


def _check_round_step(project, step):
    """The round belongs to one consultation step of its project that is not signed yet (step_content.py)."""
    from participation.models import Step
    from participation.selectors import step_view

    from .step_content import step_refusal

    if step is None:
        raise ValidationError({"step": _("Choose the consultation step the summary belongs to.")})
    if step.project_id != project.pk:
        raise ValidationError({"step": _("Choose a step of this project.")})
    step = Step.objects.select_related("activity__phase").get(pk=step.pk)  # as it stands now
    reason = step_refusal(step_view(step))
    if reason is not None:
        raise ValidationError({"step": _("This step cannot be chosen: %(reason)s.") % {"reason": reason}})


@transaction.atomic
def round_start(
    *, project: Project, by: User, title: str, draft: str, closes_on, addresses, named: bool = False, step=None
) -> CommentRound:
    """Publish a draft for comments to everybody on the address list, each with a personal link."""
    _require(by, "surveys.manage_surveys", project)
    today = timezone.localdate()
    if closes_on is None or closes_on < today:
        raise ValidationError({"closes_on": _("The closing date cannot be in the past.")})
    addresses = list(addresses)
    if not addresses:
        raise ValidationError({"addresses": _("Give the addresses of the employees, one a line.")})
    _check_round_step(project, step)
    round_ = CommentRound(
        project=project, title=(title or "").strip(), draft=(draft or "").strip(), closes_on=closes_on, named=named,
        step=step, created_by=by, recipient_count=len(addresses),
    )  # fmt: skip
    round_.full_clean()
    with_history_user(round_, by).save()
    rows = []
    for email, _unit in addresses:
        nonce = tokens.new_nonce()
        rows.append(
            Recipient(round=round_, email=email, nonce=nonce, token_hash=tokens.hash_of(tokens.token_for(nonce)))
        )
    Recipient.objects.bulk_create(rows, batch_size=1000)
    rows = list(Recipient.objects.filter(round=round_).only("pk"))
    _invitation_jobs(rows, today, today, "surveys.round_invite", lambda r: f"round-invite:{r.pk}")
    _step_changed(round_, by)
    return round_


def round_invitation_send(*, recipient_id: int) -> bool:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    with transaction.atomic():
        recipient = (
            Recipient.objects.select_for_update().select_related("round__project").filter(pk=recipient_id).first()
        )
        if recipient is None or recipient.invited or not recipient.round.is_open():
            return False
        context = {
            "round": recipient.round,
            "project": recipient.round.project,
            "link": tokens.link_for(recipient.nonce),
        }
        subject = "".join(render_to_string("surveys/email_round_subject.txt", context).splitlines())
        send_mail(subject, render_to_string("surveys/email_round.txt", context), None, [recipient.email])
        recipient.invited = True
        recipient.save(update_fields=["invited"])
    return True


def round_comment(*, link: Link, text: str) -> Comment | None:
    """A comment through a personal link (a link may comment more than once; nothing records that it did)."""
    round_ = link.round
    if not round_.is_open():
        return None
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    if len(text) > MAX_FREE_TEXT:
        raise ValidationError({"text": _("At most %(n)s characters.") % {"n": MAX_FREE_TEXT}})
    return Comment.objects.create(round=round_, text=text, author=link.recipient.email if round_.named else "")


@transaction.atomic
def comment_answer(*, comment: Comment, by: User, answer: str) -> Comment:
    _require(by, "surveys.manage_surveys", comment.round.project)
    comment.answer = (answer or "").strip()
    comment.save(update_fields=["answer"])
    _step_changed(comment.round, by)
    return comment


@transaction.atomic
def round_summary_save(*, round: CommentRound, by: User, summary: str) -> CommentRound:
    _require(by, "surveys.manage_surveys", round.project)
    round.summary = (summary or "").strip()
    with_history_user(round, by).save()
    _step_changed(round, by)
    return round


def _round_close(round_, by=None):
    round_ = CommentRound.objects.select_for_update().get(pk=round_.pk)
    if round_.state == CommentRound.State.CLOSED:
        return round_
    comments = list(round_.comments.order_by("id"))
    for number, comment in enumerate(comments, 1):
        comment.number = number
    Comment.objects.bulk_update(comments, ["number"])
    round_.recipients.all().delete()  # the address list goes when the round closes
    round_.state = CommentRound.State.CLOSED
    with_history_user(round_, by).save()
    return round_


@transaction.atomic
def round_close(*, round: CommentRound, by: User) -> CommentRound:
    _require(by, "surveys.manage_surveys", round.project)
    round_ = _round_close(round, by)
    _step_changed(round_, by)
    return round_


def _step_changed(round_, by):
    """The round's summary and answers are content of its one step (surveys.step_content): participation
    recomputes that step's draft inside this transaction. What was sent and signed stays as it is; the change
    shows as an unsent difference until the owner sends the step again."""
    from participation.models import Step
    from participation.services import step_refresh

    for step in Step.objects.select_for_update(no_key=True).filter(pk=round_.step_id):
        step_refresh(step=step, by=by)
