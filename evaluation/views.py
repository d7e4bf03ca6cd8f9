from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.forms import service_confirmed, service_errors
from projects.permissions import get_object_for, get_project_for

from . import dates, selectors, services
from .forms import (
    ApproveForm,
    ChangeRequestForm,
    FigureForm,
    FollowUpForm,
    FreezeForm,
    MeasureForm,
    MoveInCorrectForm,
    MoveInEarlyForm,
    MoveInForm,
    PlanForm,
    PlanGoalForm,
    PrioritiseForm,
    ResultForm,
)
from .models import ChangeRequest, Evaluation, EvaluationResult, Measure, PlanGoal


def _evaluation_for(request, project_id, perm="evaluation.view_evaluation"):
    """The project (404 for people who may not see it) and its evaluation (404 before move-in)."""
    project = get_project_for(request.user, project_id)
    evaluation = selectors.evaluation_of(project=project)
    if evaluation is None:
        raise Http404
    if not request.user.has_perm(perm, project):
        raise PermissionDenied
    return project, evaluation


def _form_page(
    request, *, project, form, save, success, title, intro="", warning="", submit=None, back=None, section=True
):
    """Show `form`; on a valid POST call `save(cleaned_data)` (a service) and go to `back`. `section`: True for
    the Evaluering tab, False for none, or a dict of the crumb's `section_url`, `section_label` and `tab`."""
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            save(form.cleaned_data)
            messages.success(request, success)
            return redirect(back)
    return render(
        request,
        "evaluation/form.html",
        {
            "project": project,
            "form": form,
            "title": title,
            "intro": intro,
            "warning": warning,
            "submit_label": submit or _("Save"),
            "back": back,
            "section": section is True,
            "tab": "evaluation" if section is True else "overview",
            **(section if isinstance(section, dict) else {}),
        },
        status=400 if form.errors else 200,
    )


def _tab_url(project):
    from django.urls import reverse

    return reverse("evaluation:overview", args=[project.pk])


# Move-in -------------------------------------------------------------------------------------------------


@login_required
def move_in(request, project_id):
    project = get_project_for(request.user, project_id, "evaluation.record_move_in")
    if selectors.evaluation_of(project=project) is not None:
        return redirect("evaluation:overview", project_id=project.pk)
    early = services.movein_early_phase(project)
    form_class = MoveInEarlyForm if early else MoveInForm
    form = form_class(request.POST or None, initial={"move_in": timezone.localdate()})
    intro = _(
        "Recording the move-in starts the freeze period and opens the Evaluation tab. Only a coordinator can "
        "change the date afterwards."
    )
    warning = ""
    if early:
        warning = _(
            "The project is still in the phase “%(phase)s”: the phases before the move-in are not completed. "
            "Record the move-in only if the unit has really moved in, and confirm it below."
        ) % {"phase": early.name}
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.movein_record(
            project=project, by=request.user, move_in=d["move_in"], early_confirmed=d.get("early_confirmed", False)
        ),
        success=_("The move-in is recorded. The freeze period has started and the evaluation window is set."),
        title=_("Record the move-in"),
        intro=intro,
        warning=warning,
        submit=_("Record the move-in"),
        back=_tab_url(project),
        section=False,
    )


@login_required
def move_in_correct(request, project_id):
    project, evaluation = _evaluation_for(request, project_id, "evaluation.correct_move_in")
    form = MoveInCorrectForm(request.POST or None, initial={"move_in": evaluation.move_in})
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.movein_correct(
            evaluation=evaluation, by=request.user, move_in=d["move_in"], reason=d["reason"]
        ),
        success=_("The move-in date is corrected; the window and the freeze period follow it."),
        title=_("Correct the move-in date"),
        intro=_("The evaluation window and the freeze period are computed again from the new date."),
        back=_tab_url(project),
    )


@login_required
def freeze(request, project_id):
    project, evaluation = _evaluation_for(request, project_id, "evaluation.shorten_freeze")
    form = FreezeForm(request.POST or None, initial={"ends": evaluation.freeze_ends})
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.freeze_shorten(evaluation=evaluation, by=request.user, **d),
        success=_("The freeze period is changed."),
        title=_("Shorten the freeze period"),
        intro=_("The earliest possible end is %(date)s.")
        % {"date": _date(dates.freeze_earliest_end(evaluation.move_in))},
        back=_tab_url(project),
    )


def _date(day):
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


# The Evaluering tab ---------------------------------------------------------------------------------------


@login_required
def overview(request, project_id):
    project, evaluation = _evaluation_for(request, project_id)
    user = request.user
    today = timezone.localdate()
    measures = list(selectors.visible_measures(user=user, project=project).select_related("project"))
    return render(
        request,
        "evaluation/overview.html",
        {
            "project": project,
            "evaluation": evaluation,
            "today": today,
            "window_state": evaluation.window_state(today),
            "freeze_state": evaluation.freeze_state(today),
            "change_requests": selectors.change_requests_of(project=project),
            "deferred": selectors.deferred_adjustments(project=project),
            "results": list(evaluation.results.all()),
            "figures": list(evaluation.figures.all()),
            "measures": measures,
            "plan_goals": list(PlanGoal.objects.filter(project=project)),
            "missing": services.completion_missing(evaluation) if not evaluation.is_completed else [],
            "can_edit": user.has_perm("evaluation.edit_evaluation", project) and not evaluation.is_completed,
            "can_log": user.has_perm("evaluation.log_change_request", project),
            "can_approve": user.has_perm("evaluation.approve_freeze_change", project),
            "can_correct": user.has_perm("evaluation.correct_move_in", project),
            "can_shorten": user.has_perm("evaluation.shorten_freeze", project) and not evaluation.is_completed,
            "can_manage_measures": user.has_perm("evaluation.manage_measures", project),
            "earliest_freeze_end": dates.freeze_earliest_end(evaluation.move_in),
            "tab": "evaluation",
        },
    )


@login_required
def change_request_create(request, project_id):
    project, evaluation = _evaluation_for(request, project_id, "evaluation.log_change_request")
    form = ChangeRequestForm(
        request.POST or None, initial={"requested_on": timezone.localdate(), "requested_by": request.user.full_name}
    )

    def save(d):
        cr = services.change_request_log(project=project, by=request.user, **d)
        if cr.status == ChangeRequest.Status.DEFERRED:
            messages.warning(
                request,
                _(
                    "The adjustment weakens the concept, so it is deferred until the evaluation: the freeze period "
                    "runs until %(date)s. A coordinator can approve it earlier, giving a reason."
                )
                % {"date": _date(evaluation.freeze_ends)},
            )

    return _form_page(
        request,
        project=project,
        form=form,
        save=save,
        success=_("The change request is logged."),
        title=_("Log a change request"),
        intro=_(
            "During the freeze period the solution is left alone so that people get used to it. Fault fixes and "
            "adjustments within the concept go ahead; adjustments that weaken the concept wait for the evaluation."
        )
        if evaluation.in_freeze()
        else "",
        submit=_("Log the change request"),
        back=_tab_url(project),
    )


@login_required
def change_request_approve(request, project_id, change_request_id):
    project, cr = get_object_for(
        request.user, project_id, ChangeRequest.objects.all(), change_request_id, "evaluation.approve_freeze_change"
    )
    form = ApproveForm(request.POST or None)
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.change_request_approve(change_request=cr, by=request.user, reason=d["reason"]),
        success=_("The adjustment is approved and may go ahead."),
        title=_("Approve an adjustment during the freeze period"),
        intro=_("“%(what)s” (requested by %(who)s). Approving lets it go ahead before the evaluation.")
        % {"what": cr.what, "who": cr.requested_by},
        submit=_("Approve"),
        back=_tab_url(project),
    )


@login_required
def plan(request, project_id):
    project, evaluation = _evaluation_for(request, project_id, "evaluation.edit_evaluation")
    form = PlanForm(request.POST or None, instance=Evaluation.objects.get(pk=evaluation.pk))
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.evaluation_plan_save(evaluation=evaluation, by=request.user, **d),
        success=_("The evaluation plan is saved."),
        title=_("Evaluation plan"),
        intro=_("The evaluation window runs from %(opens)s to %(closes)s.")
        % {"opens": _date(evaluation.window_opens), "closes": _date(evaluation.window_closes)},
        back=_tab_url(project),
    )


@login_required
def follow_up(request, project_id):
    project, evaluation = _evaluation_for(request, project_id, "evaluation.edit_evaluation")
    form = FollowUpForm(request.POST or None, instance=Evaluation.objects.get(pk=evaluation.pk))
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.evaluation_follow_up_save(evaluation=evaluation, by=request.user, **d),
        success=_("Saved."),
        title=_("Communication of the results and follow-up"),
        back=_tab_url(project),
    )


@login_required
def result_edit(request, project_id, result_id=None):
    project, evaluation = _evaluation_for(request, project_id, "evaluation.edit_evaluation")
    result = None
    initial = {"kind": EvaluationResult.Kind.CRITERION}
    if result_id is not None:
        result = evaluation.results.filter(pk=result_id).first()
        if result is None:
            raise Http404
        initial = {f: getattr(result, f) for f in ("kind", "criterion", "subject", "score", "text")}
    form = ResultForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.result_save(evaluation=evaluation, by=request.user, result=result, **d),
        success=_("The result is saved."),
        title=_("Result for a goal or success criterion"),
        back=_tab_url(project),
    )


@login_required
def figure_create(request, project_id):
    project, evaluation = _evaluation_for(request, project_id, "evaluation.edit_evaluation")
    form = FigureForm(request.POST or None)
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.figure_add(evaluation=evaluation, by=request.user, **d),
        success=_("The figure is saved."),
        title=_("Before/after figure"),
        back=_tab_url(project),
    )


@login_required
def complete(request, project_id):
    project, evaluation = _evaluation_for(request, project_id, "evaluation.edit_evaluation")
    error = None
    if request.method == "POST":
        completed, error = service_confirmed(
            request,
            lambda: services.evaluation_complete(evaluation=evaluation, by=request.user),
            done=_("The evaluation is completed. The freeze period is over."),
            to=reverse("evaluation:overview", args=[project.pk]),
        )
        if completed:
            return completed
    return render(
        request,
        "evaluation/complete.html",
        {
            "project": project,
            "evaluation": evaluation,
            "missing": services.completion_missing(evaluation),
            "deferred": selectors.deferred_adjustments(project=project),
            "error": error,
            "tab": "evaluation",
        },
        status=400 if error else 200,
    )


# HMS action plan -----------------------------------------------------------------------------------------


@login_required
def measure_edit(request, project_id, measure_id=None):
    project = get_project_for(request.user, project_id, "evaluation.manage_measures")
    measure = None
    if measure_id is not None:
        measure = selectors.visible_measures(user=request.user, project=project).filter(pk=measure_id).first()
        if measure is None:
            raise Http404
    was_sensitive = measure is not None and measure.sensitive  # before the form sets the instance's fields
    initial = {"source": selectors.measure_default_source(project=project, asked=request.GET.get("source", ""))}
    form = MeasureForm(request.POST or None, instance=measure, initial=initial)

    def save(d):
        if measure is None:
            services.measure_create(project=project, by=request.user, **d)
            return
        services.measure_update(measure=measure, by=request.user, **d)
        if d.get("sensitive") and not was_sensitive:
            messages.info(request, SENSITIVE_NOW % {"number": measure.number})

    return _form_page(
        request,
        project=project,
        form=form,
        save=save,
        success=_("The measure is saved."),
        title=_("HMS measure") if measure is None else str(measure),
        back=_measures_back(project),
        section=_measures_section(project),
    )


SENSITIVE_NOW = gettext_lazy(
    "Measure %(number)s is now sensitive. Its words are hidden at once wherever they were shown to people who may "
    "not see sensitive measures: in content already sent for sign-off (the parties' prioritisation), in "
    "notifications and e-mails, calendar feeds, the history, exports and reports. What was signed and the "
    "sign-offs on it stay valid: nobody is asked to sign again."
)


def _measures_back(project):
    """Where the HMS action plan is: on the Evaluering tab from move-in on, on its own page before."""
    from django.urls import reverse

    if project.actual_move_in:
        return _tab_url(project) + "#measures-heading"
    return reverse("evaluation:measures", args=[project.pk])


def _measures_section(project):
    if project.actual_move_in:
        return True
    return {"section_url": _measures_back(project), "section_label": _("HMS action plan"), "tab": "measures"}


@login_required
def measures(request, project_id):
    """The HMS action plan on a page of its own: what a project without a move-in has (the seven steps never
    record one), reached from its tab. The same list, permissions and sensitivity rules as on the Evaluering tab."""
    project = get_project_for(request.user, project_id)
    user = request.user
    return render(
        request,
        "evaluation/measures.html",
        {
            "project": project,
            "measures": list(selectors.visible_measures(user=user, project=project)),
            "plan_goals": list(PlanGoal.objects.filter(project=project)),
            "can_manage_measures": user.has_perm("evaluation.manage_measures", project),
            "sees_sensitive": user.has_perm("evaluation.view_sensitive_measures", project),
            "moved_in": project.actual_move_in is not None,
            "tab": "measures",
        },
    )


@login_required
def measures_prioritise(request, project_id):
    project = get_project_for(request.user, project_id, "evaluation.manage_measures")
    measures = selectors.visible_measures(user=request.user, project=project).exclude(
        status__in=(Measure.Status.DONE, Measure.Status.DROPPED)
    )
    form = PrioritiseForm(request.POST or None, measures=measures, initial={"agreed_on": timezone.localdate()})
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.measures_prioritise(
            project=project, by=request.user, priorities=form.priorities(), agreed_on=d["agreed_on"]
        ),
        success=_("The priorities are recorded."),
        title=_("Priorities agreed by the parties"),
        intro=_(
            "The owner, the safety representative and the union representatives prioritise the measures together. "
            "Record the order they agreed."
        ),
        back=_measures_back(project),
        section=_measures_section(project),
    )


@login_required
def measure_from_hazard(request, project_id, hazard_id):
    """Make a hazard of the risk assessment an HMS measure: the form starts from the hazard."""
    from workproducts.models import Hazard

    project, hazard = get_object_for(
        request.user, project_id, Hazard.objects.select_related("responsible", "project"), hazard_id
    )
    if not request.user.has_perm("evaluation.manage_measures", project):
        raise PermissionDenied
    existing = Measure.objects.filter(hazard=hazard).first()
    if existing is not None:
        messages.info(request, _("This hazard is already HMS measure no. %(number)s.") % {"number": existing.number})
        return redirect("evaluation:measure_edit", project_id=project.pk, measure_id=existing.pk)
    initial = {**services.measure_from_hazard_initial(hazard), "source": Measure.Source.RISK}
    form = MeasureForm(request.POST or None, initial=initial)
    form.fields["source"].disabled = True  # always the risk assessment
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.measure_from_hazard(
            hazard=hazard, by=request.user, **{k: v for k, v in d.items() if k != "source"}
        ),
        success=_("The hazard is now a measure in the HMS action plan."),
        title=_("Make the hazard an HMS measure"),
        intro=_(
            "The measure starts from the hazard: change what the parties should follow up. It keeps the link to the "
            "risk assessment."
        ),
        back=hazard.get_absolute_url(),
        section=False,
    )


@login_required
def plan_goal_edit(request, project_id, goal_id=None):
    """A goal of the whole HMS action plan: its target and the value measured."""
    project = get_project_for(request.user, project_id, "evaluation.manage_measures")
    goal = None
    if goal_id is not None:
        goal = PlanGoal.objects.filter(project=project, pk=goal_id).first()
        if goal is None:
            raise Http404
    form = PlanGoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and request.POST.get("delete") and goal is not None:
        services.plan_goal_delete(goal=goal, by=request.user)
        messages.success(request, _("The goal is removed from the HMS action plan."))
        return redirect(_measures_back(project))
    return _form_page(
        request,
        project=project,
        form=form,
        save=lambda d: services.plan_goal_save(project=project, by=request.user, goal=goal, **d),
        success=_("The goal of the HMS action plan is saved."),
        title=_("Goal of the HMS action plan"),
        intro=_(
            "A goal for the whole plan, with the target and, once it is measured, the value: for example sick leave "
            "under 5,4 per cent."
        ),
        back=_measures_back(project),
        section=_measures_section(project),
    )
