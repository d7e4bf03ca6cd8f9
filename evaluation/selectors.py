"""Reads for evaluation and HMS, each with the joins it needs so that pages run a fixed number of queries.

`with_evaluation_state` is the selector other lists use (the coordinator overview, reminders): it annotates
a Project queryset with the window and freeze state in SQL.
"""

from datetime import date

from django.db.models import BooleanField, Case, CharField, F, Q, QuerySet, Value, When
from django.utils import timezone

from projects.models import Project

from .models import ChangeRequest, Evaluation, FreezeState, Measure, WindowState


def with_evaluation_state(projects: QuerySet[Project], *, today: date | None = None) -> QuerySet[Project]:
    """Annotate projects with `evaluation_state` (a WindowState value, "" before move-in), `freeze_state`
    (a FreezeState value, "" before move-in), `window_opens`, `window_closes` and `freeze_ends`."""
    today = today or timezone.localdate()
    e = "evaluation__"
    return projects.annotate(
        window_opens=F(e + "window_opens"),
        window_closes=F(e + "window_closes"),
        freeze_ends=F(e + "freeze_ends"),
        evaluation_state=Case(
            When(**{e + "isnull": True}, then=Value("")),
            When(**{e + "completed_at__isnull": False}, then=Value(WindowState.DONE.value)),
            When(**{e + "window_opens__gt": today}, then=Value(WindowState.NOT_YET.value)),
            When(**{e + "window_closes__lt": today}, then=Value(WindowState.OVERDUE.value)),
            When(**{e + "window_closing__lte": today}, then=Value(WindowState.CLOSING.value)),
            default=Value(WindowState.OPEN.value),
            output_field=CharField(),
        ),
        freeze_state=Case(
            When(**{e + "isnull": True}, then=Value("")),
            When(Q(**{e + "completed_at__isnull": False}) | Q(**{e + "freeze_ends__lt": today}),
                 then=Value(FreezeState.ENDED.value)),
            default=Value(FreezeState.ACTIVE.value),
            output_field=CharField(),
        ),
    )  # fmt: skip


def evaluation_of(*, project: Project) -> Evaluation | None:
    return Evaluation.objects.filter(project=project).select_related("move_in_recorded_by", "completed_by").first()


def change_requests_of(*, project: Project) -> list[ChangeRequest]:
    return list(project.change_requests.select_related("logged_by", "approved_by"))


def deferred_adjustments(*, project: Project) -> list[ChangeRequest]:
    return list(project.change_requests.filter(status=ChangeRequest.Status.DEFERRED).select_related("logged_by"))


def visible_measures(*, user, project: Project) -> QuerySet[Measure]:
    """The project's HMS measures `user` may see: sensitive ones only for those allowed."""
    measures = Measure.objects.filter(project=project)
    if not user.has_perm("evaluation.view_sensitive_measures", project):
        measures = measures.filter(sensitive=False)
    return measures.order_by("number")


def report_measures(*, project: Project) -> QuerySet[Measure]:
    """Measures that may appear in reports, HR lists and exports: never a sensitive one."""
    return Measure.objects.filter(project=project, sensitive=False).order_by("number")


def hr_evaluations(*, year: int | None = None, unit=None, state: str = "", today: date | None = None):
    """Projects that have moved in, with their evaluation state, for HR: due first, then done."""
    today = today or timezone.localdate()
    projects = with_evaluation_state(Project.objects.filter(evaluation__isnull=False), today=today)
    if year:
        projects = projects.filter(
            Q(evaluation__window_opens__year__lte=year, evaluation__window_closes__year__gte=year)
        )
    if unit is not None:
        projects = projects.filter(
            Q(project_units__unit=unit)
            | Q(project_units__unit__parent=unit)
            | Q(project_units__unit__parent__parent=unit)
        ).distinct()
    if state:
        projects = projects.filter(evaluation_state=state)
    order = Case(
        When(evaluation_state=WindowState.OVERDUE.value, then=Value(0)),
        When(evaluation_state=WindowState.CLOSING.value, then=Value(1)),
        When(evaluation_state=WindowState.OPEN.value, then=Value(2)),
        When(evaluation_state=WindowState.NOT_YET.value, then=Value(3)),
        default=Value(4),
    )
    return (
        projects.select_related("evaluation")
        .annotate(state_order=order)
        .order_by("state_order", "evaluation__window_closes", "name")
    )


def hr_measures(*, today: date | None = None, status: str = "") -> QuerySet[Measure]:
    """Non-sensitive HMS measures across projects, overdue ones first, then by deadline."""
    today = today or timezone.localdate()
    open_states = (Measure.Status.PLANNED, Measure.Status.IN_PROGRESS)
    measures = Measure.objects.filter(sensitive=False).select_related("project")
    if status:
        measures = measures.filter(status=status)
    overdue = Case(
        When(Q(due_date__lt=today, status__in=open_states), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return measures.annotate(overdue=overdue).order_by(
        "-overdue", F("due_date").asc(nulls_last=True), "project__name", "number"
    )


def measure_default_source(*, project: Project, asked: str = "") -> str:
    """The source a new HMS measure's form starts with: the one the link asked for (a measure from a change
    request, say), else "Evaluation" only once the project's evaluation window has opened (or it is done).
    Before that nothing is chosen: a default would claim an evaluation that has not happened."""
    if asked in Measure.Source.values:
        return asked
    evaluation = evaluation_of(project=project)
    if evaluation is not None and (evaluation.completed_at or evaluation.window_opens <= timezone.localdate()):
        return Measure.Source.EVALUATION
    return ""
