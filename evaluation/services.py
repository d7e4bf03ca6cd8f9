"""Writes for move-in, freeze, change requests, evaluation and HMS measures.

Each function checks who acts, validates, runs in one transaction and returns the object.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from phases import rollups as process_rollups
from phases.models import Activity, ChecklistItem, Phase, Process
from phases.planning import add_months
from projects import extensions
from projects.models import Project, User
from projects.services import fields_assign, with_history_user
from workproducts.models import Hazard

from . import dates
from .models import ChangeRequest, Evaluation, EvaluationResult, Figure, Measure, PlanGoal
from .prioritisation import measures_changed
from .reminders import measure_notifications_neutralise

MOVE_IN_ITEM_KEY = "move-in-date"
FREEZE_ITEM_KEY = "freeze"  # the optional item "log change requests during the freeze": due when the freeze ends


def _require(by, perm, obj):
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _d(day):
    return date_format(day, "DATE_FORMAT")


# Move-in --------------------------------------------------------------------------------------------------


def _check_move_in(project, move_in):
    if move_in is None:
        raise ValidationError({"move_in": _("Enter the date the unit actually moved in.")})
    if move_in < project.start_date:
        raise ValidationError(
            {
                "move_in": _("The move-in cannot be before the project started (%(start)s).")
                % {"start": _d(project.start_date)}
            }
        )
    if move_in > timezone.localdate():
        raise ValidationError(
            {"move_in": _("The move-in cannot be in the future. Record it on the day the unit has moved in.")}
        )


def _set_dates(evaluation, move_in):
    evaluation.move_in = move_in
    evaluation.window_opens = dates.window_opens(move_in)
    evaluation.window_closes = dates.window_closes(move_in)
    evaluation.window_closing = dates.window_closing_from(move_in)
    evaluation.freeze_ends = dates.freeze_default_end(move_in)
    evaluation.freeze_shortened_reason = ""


def _reanchor_deadlines(project, move_in, by):
    """Deadlines the template counts from move-in, for work after it, follow the actual date."""
    process = Process.objects.filter(project=project).select_related("template").first()
    if process is None:
        return
    specs_activity, specs_item = {}, {}
    for phase in process.template.definition["phases"]:
        for a in phase["activities"]:
            specs_activity[a["key"]] = a.get("due")
            for i in a["items"]:
                specs_item[(a["key"], i["key"])] = i.get("due") or a.get("due")

    def due(spec):
        """Deadlines after the move-in (days or calendar months) follow the actual date."""
        if not spec or spec.get("from") != "move_in":
            return None
        if "months" in spec:
            return add_months(move_in, spec["months"]) if spec["months"] > 0 else None
        return move_in + timedelta(days=spec["days"]) if spec["days"] > 0 else None

    for activity in Activity.objects.filter(project=project):
        new = due(specs_activity.get(activity.key))
        if new and activity.due_date != new:
            activity.due_date = new
            activity.save(update_fields=["due_date"])
    for item in ChecklistItem.objects.filter(project=project).select_related("activity"):
        new = due(specs_item.get((item.activity.key, item.key)))
        if new and item.due_date != new:
            item.due_date = new
            with_history_user(item, by).save()


def _tick_move_in_item(project, by):
    item = ChecklistItem.objects.filter(project=project, key=MOVE_IN_ITEM_KEY, status=ChecklistItem.Status.OPEN)
    for it in item.select_related("phase"):
        if it.phase.completed_at is None:
            it.status = ChecklistItem.Status.DONE
            it.completed_at, it.completed_by = timezone.now(), by
            with_history_user(it, by).save()


def _set_project_move_in(project, move_in, by):
    project = Project.objects.select_for_update(no_key=True).get(pk=project.pk)
    project.actual_move_in = move_in
    with_history_user(project, by).save()
    return project


def movein_early_phase(project: Project) -> Phase | None:
    """The phase the project is in when that comes before the phase holding the move-in (phases 1 and 2 of the
    Bergen process), else None. Recording the move-in then asks for confirmation: later phases can be worked
    on early, so it is a warning, not a refusal. A process without a move-in item never asks."""
    current = Phase.objects.filter(project=project, completed_at__isnull=True).order_by("order").first()
    item = ChecklistItem.objects.filter(project=project, key=MOVE_IN_ITEM_KEY).select_related("phase").first()
    if current is None or item is None or current.order >= item.phase.order:
        return None
    return current


@transaction.atomic
def movein_record(*, project: Project, by: User, move_in: date, early_confirmed: bool = False) -> Evaluation:
    """The owner or manager records the actual move-in. It sets the window and the freeze period. While the
    project is in a phase before the move-in's (phase 1 or 2), it is recorded only with `early_confirmed`."""
    _require(by, "evaluation.record_move_in", project)
    Project.objects.select_for_update(no_key=True).get(pk=project.pk)
    if Evaluation.objects.filter(project=project).exists():
        raise ValidationError(
            {"move_in": _("The move-in is already recorded. A coordinator can correct it, giving a reason.")}
        )
    _check_move_in(project, move_in)
    early = movein_early_phase(project)
    if early is not None and not early_confirmed:
        raise ValidationError(
            {
                "early_confirmed": ValidationError(
                    _(
                        "The project is still in the phase “%(phase)s”. Confirm that the unit has moved in "
                        "although the phases before the move-in are not completed."
                    )
                    % {"phase": early.name},
                    code="early",
                )
            }
        )
    evaluation = Evaluation(project=project, move_in_recorded_by=by)
    _set_dates(evaluation, move_in)
    evaluation.full_clean()
    with_history_user(evaluation, by).save()
    _set_project_move_in(project, move_in, by)
    project.actual_move_in = move_in
    _reanchor_deadlines(project, move_in, by)
    _tick_move_in_item(project, by)
    process_rollups.refresh(project.pk)
    return evaluation


@transaction.atomic
def movein_correct(*, evaluation: Evaluation, by: User, move_in: date, reason: str) -> Evaluation:
    """A coordinator corrects a recorded move-in, with a reason. The dates follow; the freeze is reset."""
    _require(by, "evaluation.correct_move_in", evaluation.project)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the move-in date is corrected. The reason is kept.")})
    evaluation = Evaluation.objects.select_for_update(no_key=True).select_related("project").get(pk=evaluation.pk)
    _check_move_in(evaluation.project, move_in)
    _set_dates(evaluation, move_in)
    evaluation.move_in_correction_reason = reason
    if evaluation.completed_at:
        evaluation.freeze_ends = min(evaluation.freeze_ends, timezone.localdate())
    evaluation.full_clean()
    with_history_user(evaluation, by).save()
    _set_project_move_in(evaluation.project, move_in, by)
    _reanchor_deadlines(evaluation.project, move_in, by)
    process_rollups.refresh(evaluation.project_id)
    return evaluation


@transaction.atomic
def freeze_shorten(*, evaluation: Evaluation, by: User, ends: date, reason: str = "") -> Evaluation:
    """The owner ends the freeze period earlier than the default, never before move-in + 6 months."""
    _require(by, "evaluation.shorten_freeze", evaluation.project)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.completed_at:
        raise ValidationError(_("The evaluation is completed, so the freeze period is already over."))
    today = timezone.localdate()
    if evaluation.freeze_ends < today:
        raise ValidationError(
            _("The freeze period ended on %(date)s. A period that is over cannot be shortened.")
            % {"date": _d(evaluation.freeze_ends)}
        )
    earliest = dates.freeze_earliest_end(evaluation.move_in)
    default = dates.freeze_default_end(evaluation.move_in)
    if ends is None:
        raise ValidationError({"ends": _("Enter the new last day of the freeze period.")})
    if ends < earliest:
        raise ValidationError(
            {
                "ends": _("The freeze period lasts at least six months after move-in: until %(date)s or later.")
                % {"date": _d(earliest)}
            }
        )
    if ends > default:
        raise ValidationError(
            {"ends": _("The freeze period can be shortened, not extended beyond %(date)s.") % {"date": _d(default)}}
        )
    if ends < today:
        raise ValidationError(
            {
                "ends": _("The freeze period cannot end in the past: choose today (%(date)s) or later.")
                % {"date": _d(today)}
            }
        )
    evaluation.freeze_ends = ends
    evaluation.freeze_shortened_reason = (reason or "").strip()
    with_history_user(evaluation, by).save()
    _freeze_item_follows(evaluation, by)
    return evaluation


def _freeze_item_follows(evaluation, by):
    """The freeze item's deadline is the last day of the freeze period, shortened or ended with the evaluation."""
    items = ChecklistItem.objects.filter(
        project_id=evaluation.project_id, key=FREEZE_ITEM_KEY, status=ChecklistItem.Status.OPEN,
        phase__completed_at__isnull=True,
    ).exclude(due_date=evaluation.freeze_ends)  # fmt: skip
    changed = False
    for item in items:
        item.due_date = evaluation.freeze_ends
        with_history_user(item, by).save()
        changed = True
    if changed:
        process_rollups.refresh(evaluation.project_id)


# Change requests during the freeze -------------------------------------------------------------------------


@transaction.atomic
def change_request_log(
    *,
    project: Project,
    by: User,
    what: str,
    why: str,
    category: str,
    requested_by: str,
    requested_on: date | None = None,
) -> ChangeRequest:
    """Log a wish to change the solution (DESIGN §4, the Bergen guide's freeze rule).

    A fault fix and an adjustment within the concept go ahead; during the freeze an adjustment that weakens
    the concept or the solution is deferred until the evaluation unless a coordinator approves it.
    """
    _require(by, "evaluation.log_change_request", project)
    evaluation = Evaluation.objects.filter(project=project).first()
    if evaluation is None:
        raise ValidationError(_("Record the move-in first: change requests belong to the time after it."))
    requested_on = requested_on or timezone.localdate()
    if requested_on > timezone.localdate():
        raise ValidationError({"requested_on": _("The date cannot be in the future.")})
    during = evaluation.in_freeze(timezone.localdate())
    deferred = during and category == ChangeRequest.Category.WEAKENING
    request = ChangeRequest(
        project=project,
        what=(what or "").strip(),
        why=(why or "").strip(),
        category=category,
        requested_by=(requested_by or "").strip() or by.full_name,
        requested_on=requested_on,
        during_freeze=during,
        status=ChangeRequest.Status.DEFERRED if deferred else ChangeRequest.Status.GO_AHEAD,
        logged_by=by,
    )
    request.full_clean()
    with_history_user(request, by).save()
    return request


@transaction.atomic
def change_request_approve(*, change_request: ChangeRequest, by: User, reason: str) -> ChangeRequest:
    """A coordinator lets a deferred (weakening) adjustment go ahead during the freeze, with a written reason."""
    _require(by, "evaluation.approve_freeze_change", change_request.project)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the adjustment may go ahead during the freeze period.")})
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if change_request.status != ChangeRequest.Status.DEFERRED:
        raise ValidationError(_("Only a deferred adjustment needs approval."))
    change_request.status = ChangeRequest.Status.APPROVED
    change_request.approved_by = by
    change_request.approval_reason = reason
    with_history_user(change_request, by).save()
    return change_request


# The evaluation --------------------------------------------------------------------------------------------

PLAN_FIELDS = (
    "scope",
    "method_survey",
    "method_interviews",
    "method_observation",
    "method_occupancy",
    "evaluator",
    "evaluator_name",
    "planned_start",
    "planned_end",
    "outside_window_reason",
)
FOLLOW_UP_FIELDS = (
    "presented_to_leaders",
    "presented_to_representatives",
    "presented_to_employees",
    "summary",
    "follow_up_plan",
    "lessons_learned",
)


def _editable(evaluation, by):
    _require(by, "evaluation.edit_evaluation", evaluation.project)
    evaluation = Evaluation.objects.select_for_update(no_key=True).select_related("project").get(pk=evaluation.pk)
    if evaluation.completed_at:
        raise ValidationError(_("The evaluation is completed and can no longer be changed."))
    return evaluation


def _checked_save(evaluation, by, errors):
    """Save the evaluation a form changed, unless its own checks found `errors` (by field)."""
    if errors:
        raise ValidationError(errors)
    evaluation.full_clean()
    with_history_user(evaluation, by).save()
    return evaluation


@transaction.atomic
def evaluation_plan_save(*, evaluation: Evaluation, by: User, **fields) -> Evaluation:
    """The plan: scope, method, evaluator and dates, inside the window unless a reason is given."""
    evaluation = _editable(evaluation, by)
    fields_assign(evaluation, fields, PLAN_FIELDS)
    start, end = evaluation.planned_start, evaluation.planned_end
    errors = {}
    if start and end and end < start:
        errors["planned_end"] = _("The end cannot be before the start.")
    outside = [d for d in (start, end) if d and not (evaluation.window_opens <= d <= evaluation.window_closes)]
    if outside and not evaluation.outside_window_reason:
        errors["outside_window_reason"] = _(
            "The dates lie outside the evaluation window (%(opens)s to %(closes)s). Say why, or choose dates inside it."
        ) % {"opens": _d(evaluation.window_opens), "closes": _d(evaluation.window_closes)}
    return _checked_save(evaluation, by, errors)


@transaction.atomic
def evaluation_follow_up_save(*, evaluation: Evaluation, by: User, **fields) -> Evaluation:
    """Communication of results (leaders, then representatives, then employees) and the follow-up plan."""
    evaluation = _editable(evaluation, by)
    fields_assign(evaluation, fields, FOLLOW_UP_FIELDS)
    today = timezone.localdate()
    order = [
        ("presented_to_leaders", _("the leaders")),
        ("presented_to_representatives", _("the union and safety representatives")),
        ("presented_to_employees", _("the employees")),
    ]
    errors = {}
    previous, prev_label = None, ""
    for name, label in order:
        day = getattr(evaluation, name)
        if day and day > today:
            errors[name] = _("The date cannot be in the future.")
        elif day and previous is None and name != "presented_to_leaders":
            errors[name] = _("Present the results to %(who)s first.") % {"who": prev_label}
        elif day and previous and day < previous:
            errors[name] = _("The results go to %(who)s first: this date cannot be earlier.") % {"who": prev_label}
        previous, prev_label = day, label
    return _checked_save(evaluation, by, errors)


@transaction.atomic
def result_save(
    *,
    evaluation: Evaluation,
    by: User,
    kind: str,
    score: int,
    text: str = "",
    criterion: str = "",
    subject: str = "",
    result: EvaluationResult | None = None,
) -> EvaluationResult:
    """A score (1–5) and text for a project goal or a success criterion (one result per criterion)."""
    evaluation = _editable(evaluation, by)
    if result is not None and result.evaluation_id != evaluation.pk:
        raise PermissionDenied
    result = result or EvaluationResult(evaluation=evaluation)
    result.kind, result.score, result.text = kind, score, (text or "").strip()
    result.criterion = criterion if kind == EvaluationResult.Kind.CRITERION else ""
    result.subject = (subject or "").strip()
    if kind == EvaluationResult.Kind.GOAL and not result.subject:
        raise ValidationError({"subject": _("Name the goal that is assessed.")})
    if kind == EvaluationResult.Kind.CRITERION and not result.criterion and not result.subject:
        raise ValidationError({"criterion": _("Choose a success criterion or name the project's own.")})
    if (
        result.criterion
        and EvaluationResult.objects.filter(evaluation=evaluation, criterion=result.criterion)
        .exclude(pk=result.pk)
        .exists()
    ):
        raise ValidationError({"criterion": _("This success criterion already has a result. Change that one.")})
    result.full_clean()
    with_history_user(result, by).save()
    return result


def figure_add(**kwargs) -> Figure:
    """A before/after figure typed by hand: see evaluation.figures.figure_add."""
    from .figures import figure_add as add

    return add(**kwargs)


def completion_missing(evaluation: Evaluation) -> list[str]:
    """What must be in place before the evaluation can be completed."""
    missing = []
    if not evaluation.scope:
        missing.append(_("the mandate and scope"))
    if not evaluation.methods:
        missing.append(_("at least one method"))
    if not evaluation.evaluator:
        missing.append(_("who evaluates"))
    if not evaluation.results.exists():
        missing.append(_("at least one result for a goal or success criterion"))
    if not evaluation.presented_to_employees:
        missing.append(_("the presentation of the results to leaders, representatives and employees"))
    if not evaluation.follow_up_plan:
        missing.append(_("the follow-up plan"))
    return missing


@transaction.atomic
def evaluation_complete(*, evaluation: Evaluation, by: User) -> Evaluation:
    """Complete the evaluation. It ends the freeze period; deferred adjustments may then be taken up."""
    evaluation = _editable(evaluation, by)
    missing = completion_missing(evaluation)
    if missing:
        raise ValidationError(
            _("The evaluation cannot be completed yet. Missing: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    today = timezone.localdate()
    evaluation.completed_at, evaluation.completed_by = timezone.now(), by
    evaluation.freeze_ends = min(evaluation.freeze_ends, today)
    with_history_user(evaluation, by).save()
    _freeze_item_follows(evaluation, by)
    for fn in extensions.get("evaluation_completed"):  # in this transaction (the report goes to the record)
        fn(evaluation, by)
    return evaluation


# HMS measures ---------------------------------------------------------------------------------------------

MEASURE_FIELDS = (
    "focus_area",
    "goal",
    "activity",
    "due_date",
    "when_text",
    "responsible",
    "reporting",
    "source",
    "source_ref",
    "sensitive",
)


def _clean_measure(measure):
    if measure.status == Measure.Status.DROPPED and not measure.dropped_reason:
        raise ValidationError({"dropped_reason": _("Say why the measure is dropped. The reason is kept.")})
    if measure.status != Measure.Status.DROPPED:
        measure.dropped_reason = ""
    measure.full_clean()


@transaction.atomic
def measure_create(*, project: Project, by: User, status: str = Measure.Status.PLANNED, **fields) -> Measure:
    """A new line in the project's HMS action plan, numbered after the last one."""
    _require(by, "evaluation.manage_measures", project)
    unknown = set(fields) - set(MEASURE_FIELDS) - {"dropped_reason", "hazard"}
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    Project.objects.select_for_update(no_key=True).get(pk=project.pk)
    number = (Measure.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    measure = Measure(project=project, number=number, created_by=by, status=status, **fields)
    _clean_measure(measure)
    with_history_user(measure, by).save()
    measures_changed(project=project, by=by)
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, by: User, status: str, dropped_reason: str = "", **fields) -> Measure:
    _require(by, "evaluation.manage_measures", measure.project)
    if measure.sensitive and not by.has_perm("evaluation.view_sensitive_measures", measure.project):
        raise PermissionDenied
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields for Measure: {sorted(unknown)}")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    was_sensitive = measure.sensitive
    fields_assign(measure, fields)
    measure.status, measure.dropped_reason = status, (dropped_reason or "").strip()
    _clean_measure(measure)
    with_history_user(measure, by).save()
    if measure.sensitive and not was_sensitive:
        # Content already sent hides it when shown (participation/snapshot.py); recorded reminders say it again
        # without its words, before their e-mail goes.
        measure_notifications_neutralise(measure=measure)
    measures_changed(project=measure.project, by=by)
    return measure


@transaction.atomic
def measures_prioritise(*, project: Project, by: User, priorities: dict, agreed_on: date) -> list[Measure]:
    """Record the priorities the parties agreed (owner, safety rep and union reps), measure by measure."""
    _require(by, "evaluation.manage_measures", project)
    if agreed_on is None or agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": _("Enter the day the parties agreed the priorities (not in the future).")})
    measures = list(Measure.objects.select_for_update().filter(project=project, pk__in=priorities))
    if not measures:
        raise ValidationError(_("Give at least one measure a priority."))
    for measure in measures:
        measure.priority = priorities[measure.pk]
        measure.prioritised_on = agreed_on
        measure.full_clean()
        with_history_user(measure, by).save()
    measures_changed(project=project, by=by)
    return measures


def measure_from_hazard_initial(hazard: Hazard) -> dict:
    """What an HMS measure made from a hazard starts with: the hazard as focus and goal, its new (or existing)
    measures as the activity, its deadline and responsible person."""
    description = " ".join(hazard.description.split())
    return {
        "focus_area": description[:200],
        "goal": _("Reduce the risk: %(hazard)s (likelihood %(l)s × consequence %(c)s = %(score)s)")
        % {"hazard": description, "l": hazard.likelihood, "c": hazard.consequence, "score": hazard.score},
        "activity": (hazard.new_measures or hazard.existing_measures or "").strip(),
        "due_date": hazard.deadline,
        "responsible": hazard.responsible.full_name if hazard.responsible_id else "",
        "source_ref": (_("Risk assessment: %(hazard)s") % {"hazard": description})[:100],
    }


@transaction.atomic
def measure_from_hazard(*, hazard: Hazard, by: User, **fields) -> Measure:
    """Make a hazard of the risk assessment an HMS measure (source: risk assessment), once per hazard.
    `fields` may change what `measure_from_hazard_initial` proposes."""
    _require(by, "evaluation.manage_measures", hazard.project)
    Hazard.objects.select_for_update().get(pk=hazard.pk)
    existing = Measure.objects.filter(hazard=hazard).first()
    if existing is not None:
        raise ValidationError(_("This hazard is already HMS measure no. %(number)s.") % {"number": existing.number})
    data = {**measure_from_hazard_initial(hazard), **fields, "source": Measure.Source.RISK}
    status = data.pop("status", Measure.Status.PLANNED)
    return measure_create(project=hazard.project, by=by, status=status, hazard=hazard, **data)


# Goals of the whole HMS action plan ---------------------------------------------------------------------------

PLAN_GOAL_FIELDS = ("description", "direction", "target", "unit", "measured", "measured_when")


@transaction.atomic
def plan_goal_save(*, project: Project, by: User, goal: PlanGoal | None = None, **fields) -> PlanGoal:
    """A goal of the HMS action plan with its target and, once measured, the value (“sick leave under 5,4 %”)."""
    _require(by, "evaluation.manage_measures", project)
    if goal is not None and goal.project_id != project.pk:
        raise PermissionDenied
    goal = PlanGoal.objects.select_for_update().get(pk=goal.pk) if goal else PlanGoal(project=project, created_by=by)
    fields_assign(goal, fields, PLAN_GOAL_FIELDS)
    if goal.measured is not None and not goal.measured_when:
        raise ValidationError({"measured_when": _("Say when the value was measured (a year or a period).")})
    goal.full_clean()
    with_history_user(goal, by).save()
    return goal


@transaction.atomic
def plan_goal_delete(*, goal: PlanGoal, by: User) -> None:
    _require(by, "evaluation.manage_measures", goal.project)
    with_history_user(goal, by).delete()
