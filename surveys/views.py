"""The owner's and the parties' pages (Undersøkelser tab) and the coordinators' questionnaires."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.exports import csv_chunks, streamed
from projects.forms import service_errors
from projects.permissions import get_project_for

from . import selectors, services, tokens
from .forms import CommentAnswerForm, QuestionnaireUploadForm, RoundForm, SummaryForm, SurveyStartForm
from .models import Comment, CommentRound, Questionnaire, Survey

KINDS = {"baseline": Survey.Kind.BASELINE, "follow-up": Survey.Kind.FOLLOW_UP}
SLUGS = {v: k for k, v in KINDS.items()}


def _kind(slug):
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


def _survey_for(request, project_id, slug, perm="surveys.view_surveys"):
    project = get_project_for(request.user, project_id, perm)
    survey = Survey.objects.select_related("questionnaire").filter(project=project, kind=_kind(slug)).first()
    if survey is None:
        raise Http404
    return project, survey


def _index_url(project):
    return reverse("surveys:index", args=[project.pk])


def _page(request, template, project, **context):
    return render(
        request, template, {"project": project, "tab": "surveys", **context}, status=context.pop("status", 200)
    )


@login_required
def index(request, project_id):
    project = get_project_for(request.user, project_id, "surveys.view_surveys")
    surveys = selectors.surveys_of(project)
    today = timezone.localdate()
    cards = []
    for kind, label in Survey.Kind.choices:
        survey = surveys.get(kind)
        answered, invited = selectors.response_counts(survey) if survey else (None, None)
        cards.append(
            {
                "kind": kind,
                "slug": SLUGS[kind],
                "label": label,
                "survey": survey,
                "answered": answered if answered is not None and answered >= services.min_group() else None,
                "invited": invited,
                "open": survey.is_open(today) if survey else False,
                "closed": survey.is_closed(today) if survey else False,
                "open_link": tokens.link_for(survey.open_nonce)
                if survey and survey.open_link and not survey.is_closed(today)
                else "",
            }
        )
    return _page(
        request,
        "surveys/index.html",
        project,
        cards=cards,
        rounds=selectors.rounds_of(project),
        can_manage=request.user.has_perm("surveys.manage_surveys", project),
        min_group=services.min_group(),
    )


@login_required
def survey_start(request, project_id, kind):
    project = get_project_for(request.user, project_id, "surveys.manage_surveys")
    kind = _kind(kind)
    if Survey.objects.filter(project=project, kind=kind).exists():
        return redirect("surveys:detail", project_id=project.pk, kind=SLUGS[kind])
    services.questionnaires_load_shipped()
    baseline = Survey.objects.filter(project=project, kind=Survey.Kind.BASELINE).first()
    with_questionnaire = not (kind == Survey.Kind.FOLLOW_UP and baseline is not None)
    today = timezone.localdate()
    initial = {"opens_on": today, "closes_on": today + timezone.timedelta(days=14)}
    if with_questionnaire:
        initial["questionnaire"] = Questionnaire.objects.filter(key="workplace").order_by("-version").first()
    form = SurveyStartForm(
        request.POST or None, request.FILES or None, initial=initial, with_questionnaire=with_questionnaire
    )
    if request.method == "POST" and form.is_valid():
        addresses = form.parsed_addresses()
        if addresses is not None:
            with service_errors(form):
                services.survey_start(
                    project=project, kind=kind, by=request.user, opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"], addresses=addresses,
                    open_link=form.cleaned_data["open_link"], questionnaire=form.cleaned_data.get("questionnaire"),
                )  # fmt: skip
                messages.success(request, _("The survey is started. The invitations are sent by e-mail when it opens."))
                return redirect("surveys:detail", project_id=project.pk, kind=SLUGS[kind])
    return _page(
        request,
        "surveys/start.html",
        project,
        form=form,
        title=_("Start the baseline survey") if kind == Survey.Kind.BASELINE else _("Start the follow-up survey"),
        baseline=baseline,
        goals=services.project_goals(project),
        status=400 if form.errors else 200,
    )


@login_required
def survey_detail(request, project_id, kind):
    project, survey = _survey_for(request, project_id, kind)
    user = request.user
    results = selectors.results(survey, with_free_text=user.has_perm("surveys.read_free_text", project))
    comparison, baseline = [], None
    if survey.kind == Survey.Kind.FOLLOW_UP:
        baseline = Survey.objects.filter(project=project, kind=Survey.Kind.BASELINE).first()
        comparison = selectors.comparison(baseline, survey)
    can_manage = user.has_perm("surveys.manage_surveys", project)
    return _page(
        request,
        "surveys/detail.html",
        project,
        survey=survey,
        slug=SLUGS[survey.kind],
        results=results,
        comparison=comparison,
        chart=selectors.comparison_chart(comparison),
        baseline=baseline,
        can_manage=can_manage,
        can_measure=user.has_perm("evaluation.manage_measures", project),
        can_read_free_text=user.has_perm("surveys.read_free_text", project),
        min_group=services.min_group(),
        reminders_left=services.MAX_REMINDERS - survey.reminders_sent,
        open_link=tokens.link_for(survey.open_nonce) if survey.open_link and not survey.is_closed() else "",
    )


@login_required
@require_POST
def survey_remind(request, project_id, kind):
    project, survey = _survey_for(request, project_id, kind, "surveys.manage_surveys")
    try:
        services.survey_remind(survey=survey, by=request.user)
        messages.success(request, _("A reminder is sent to those who have not answered."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:detail", project_id=project.pk, kind=kind)


@login_required
def survey_close(request, project_id, kind):
    project, survey = _survey_for(request, project_id, kind, "surveys.manage_surveys")
    if request.method == "POST":
        services.survey_close(survey=survey, by=request.user)
        messages.success(request, _("The survey is closed and its address list deleted."))
        return redirect("surveys:detail", project_id=project.pk, kind=kind)
    return _page(request, "surveys/close.html", project, survey=survey, slug=kind)


@login_required
def survey_export(request, project_id, kind):
    """The figures as CSV: only what the results page shows (groups of at least SURVEY_MIN_GROUP); no free text."""
    project, survey = _survey_for(request, project_id, kind)
    results = selectors.results(survey)
    header = [_("Question"), _("Unit"), _("Answers"), _("Mean"), "1", "2", "3", "4", "5"]
    rows = []
    for q in results.questions:
        for unit, figures in [("", q.total), *q.units]:
            if figures.shown:
                rows.append(
                    [
                        q.text,
                        unit,
                        figures.n,
                        f"{figures.mean:.2f}".replace(".", ","),
                        *[c for _v, c, _s in figures.distribution],
                    ]
                )
            elif not unit:
                rows.append([q.text, "", _("fewer than %(n)s") % {"n": services.min_group()}, "", "", "", "", "", ""])
    filename = f"undersokelse-{project.pk}-{kind}-{timezone.localdate():%Y-%m-%d}.csv"
    return streamed(csv_chunks(header, rows), "text/csv; charset=utf-8", filename)


@login_required
@require_POST
def results_transfer(request, project_id, kind):
    project, survey = _survey_for(request, project_id, kind, "surveys.manage_surveys")
    try:
        n = services.results_transfer(survey=survey, by=request.user)
        messages.success(request, _("%(n)s before/after figures are added to the evaluation.") % {"n": n})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:detail", project_id=project.pk, kind=kind)


@login_required
@require_POST
def measure_from_question(request, project_id, kind, key):
    project, survey = _survey_for(request, project_id, kind, "evaluation.manage_measures")
    try:
        measure = services.measure_from_question(survey=survey, key=key, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("surveys:detail", project_id=project.pk, kind=kind)
    messages.success(request, _("HMS measure no. %(number)s is made. Fill in the rest.") % {"number": measure.number})
    return redirect("evaluation:measure_edit", project_id=project.pk, measure_id=measure.pk)


# Comment rounds ---------------------------------------------------------------------------------------------


def _round_for(request, project_id, round_id, perm="surveys.view_surveys"):
    project = get_project_for(request.user, project_id, perm)
    return project, get_object_or_404(CommentRound.objects.select_related("step"), pk=round_id, project=project)


@login_required
def round_create(request, project_id):
    project = get_project_for(request.user, project_id, "surveys.manage_surveys")
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        initial={"closes_on": today + timezone.timedelta(days=14)},
    )
    if request.method == "POST" and form.is_valid():
        addresses = form.parsed_addresses()
        if addresses is not None:
            with service_errors(form):
                d = form.cleaned_data
                round_ = services.round_start(
                    project=project, by=request.user, title=d["title"], draft=d["draft"], closes_on=d["closes_on"],
                    addresses=addresses, named=d["named"], step=d["step"],
                )  # fmt: skip
                messages.success(request, _("The draft is sent for comments."))
                return redirect("surveys:round", project_id=project.pk, round_id=round_.pk)
    return _page(request, "surveys/round_form.html", project, form=form, status=400 if form.errors else 200)


@login_required
def round_detail(request, project_id, round_id):
    project, round_ = _round_for(request, project_id, round_id)
    user = request.user
    can_manage = user.has_perm("surveys.manage_surveys", project)
    form = SummaryForm(request.POST or None, initial={"summary": round_.summary})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            services.round_summary_save(round=round_, by=user, summary=form.cleaned_data["summary"])
            messages.success(request, _("The summary is saved."))
            return redirect("surveys:round", project_id=project.pk, round_id=round_.pk)
    can_read = user.has_perm("surveys.read_free_text", project)
    comments = list(round_.comments.order_by("number", "id")) if can_read else []
    return _page(
        request,
        "surveys/round.html",
        project,
        round=round_,
        comments=comments,
        comment_count=round_.comments.count(),
        can_manage=can_manage,
        can_read=can_read,
        form=form,
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def comment_answer(request, project_id, round_id, comment_id):
    project, round_ = _round_for(request, project_id, round_id, "surveys.manage_surveys")
    if not request.user.has_perm("surveys.read_free_text", project):
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=comment_id, round=round_)
    form = CommentAnswerForm(request.POST)
    if form.is_valid():
        services.comment_answer(comment=comment, by=request.user, answer=form.cleaned_data["answer"])
        messages.success(request, _("The answer is saved."))
    return redirect(reverse("surveys:round", args=[project.pk, round_.pk]) + f"#comment-{comment.pk}")


@login_required
def round_close(request, project_id, round_id):
    project, round_ = _round_for(request, project_id, round_id, "surveys.manage_surveys")
    if request.method == "POST":
        services.round_close(round=round_, by=request.user)
        messages.success(request, _("The comment round is closed and its address list deleted."))
        return redirect("surveys:round", project_id=project.pk, round_id=round_.pk)
    return _page(request, "surveys/round_close.html", project, round=round_)


# Questionnaires (coordinators) -------------------------------------------------------------------------------


@login_required
def questionnaires(request):
    if not request.user.has_perm("surveys.manage_questionnaires"):
        raise PermissionDenied
    services.questionnaires_load_shipped()
    form = QuestionnaireUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with service_errors(form):
            q = services.questionnaire_upload(content=upload.read(), filename=upload.name, by=request.user)
            messages.success(
                request, _("%(name)s version %(version)s is stored.") % {"name": q.display_name, "version": q.version}
            )
            return redirect("surveys:questionnaires")
    return render(
        request,
        "surveys/questionnaires.html",
        {"questionnaires": Questionnaire.objects.order_by("key", "-version"), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def questionnaire_source(request, questionnaire_id):
    if not request.user.has_perm("surveys.manage_questionnaires"):
        raise PermissionDenied
    q = get_object_or_404(Questionnaire, pk=questionnaire_id)
    import io

    return FileResponse(
        io.BytesIO(q.source.encode("utf-8")),
        as_attachment=True,
        filename=f"{q.key}-v{q.version}.toml",
        content_type="text/plain; charset=utf-8",
    )
