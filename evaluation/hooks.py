"""How evaluation plugs into projects: tab, key-dates panel, history, demo data."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects import calendars, documents, extensions
from projects.history import HistorySource, history_of
from projects.models import Project
from projects.permissions import is_coordinator
from workproducts.registry import Elsewhere

# final_sections: goals and mandate; prioritisation: the step's content; reminders: its reminder sources
from . import dates, figure_imports, final_sections, prioritisation, reminders, selectors  # noqa: F401
from .models import ChangeRequest, Evaluation, EvaluationResult, Figure, Measure

calendars.watch(Evaluation)  # the window and freeze dates
calendars.watch(Measure)  # a deadline, its state, its sensitive flag

extensions.register(
    "project_tab",
    extensions.Tab("evaluation", _("Evaluation"), "evaluation:overview", 40, perm="evaluation.view_evaluation"),
)
extensions.register(
    "project_tab",
    extensions.Tab("measures", _("HMS action plan"), "evaluation:measures", 41, perm="evaluation.view_action_plan_tab"),
)


def _render_report(document):
    from .pdf import render_report

    return render_report(document)


def _evaluated(project) -> bool:
    """The report and the final documentation print the project's evaluation: asked for only once it exists."""
    from .models import Evaluation

    return Evaluation.objects.filter(project=project).exists()


def _render_final(document):
    from .pdf import render_final_documentation

    return render_final_documentation(document)


extensions.register(
    "document_kind",
    documents.Kind(
        "evaluation-report",
        label=_("the evaluation report"),
        render=_render_report,
        filename="evalueringsrapport",
        request_perm="evaluation.request_report",
        view_perm="evaluation.view_evaluation",
        exists=_evaluated,
    ),
)
extensions.register(
    "document_kind",
    documents.Kind(
        "final-documentation",
        label=_("the final documentation"),
        render=_render_final,
        filename="sluttdokumentasjon",
        request_perm="evaluation.edit_evaluation",
        view_perm="evaluation.view_evaluation",
        exists=_evaluated,
    ),
)


@extensions.register("nav_item", order=40)
def _hr_link(request):
    if not request.user.has_perm("projects.view_hr_reports"):
        return None
    name = request.resolver_match.view_name if request.resolver_match else ""
    return {"label": _("HR"), "url": reverse("evaluation:hr"), "active": name.startswith("evaluation:hr")}


@extensions.register("landing_page", order=30)
def _hr_lands_on_hr(user):
    """HR advisers without a role in any project start on *HR*."""
    if user.has_perm("projects.view_hr_reports") and not user.memberships.exists() and not is_coordinator(user):
        return reverse("evaluation:hr")
    return None


@extensions.register("project_overview_panel", order=5)
def _key_dates_panel(request, project):
    """Key dates on the project overview: planned and actual move-in, freeze end, window and its state."""
    today = timezone.localdate()
    evaluation = selectors.evaluation_of(project=project)
    user = request.user
    if evaluation is None and not project.planned_move_in and not user.has_perm("evaluation.record_move_in", project):
        return None
    return {
        "template": "evaluation/_key_dates_panel.html",
        "evaluation": evaluation,
        "window_state": evaluation.window_state(today) if evaluation else None,
        "freeze_state": evaluation.freeze_state(today) if evaluation else None,
        "earliest_freeze_end": dates.freeze_earliest_end(evaluation.move_in) if evaluation else None,
        "can_record": evaluation is None and user.has_perm("evaluation.record_move_in", project),
        "can_view": user.has_perm("evaluation.view_evaluation", project),
    }


@extensions.register("hazard_action")
def _hazard_to_measure(request, hazard):
    """On a hazard's row of the risk assessment: "Make HMS measure", or the measure it already became. The
    permission and the project's measures are read once per page, not once per row."""
    cache = request.__dict__.setdefault("_hazard_measures", {})
    if hazard.project_id not in cache:
        from projects.models import Project

        # The roles are cached on the user by the page's own check; the permission reads only the project's key.
        may = request.user.has_perm("evaluation.manage_measures", Project(pk=hazard.project_id))
        rows = Measure.objects.filter(project_id=hazard.project_id, hazard__isnull=False).values_list(
            "hazard_id", "pk", "number"
        )
        cache[hazard.project_id] = (may, {h: (pk, number) for h, pk, number in rows} if may else {})
    may, made = cache[hazard.project_id]
    if not may:
        return None
    if hazard.pk in made:
        pk, number = made[hazard.pk]
        return {
            "label": _("HMS measure no. %(number)s") % {"number": number},
            "url": reverse("evaluation:measure_edit", args=[hazard.project_id, pk]),
        }
    return {
        "label": _("Make HMS measure"),
        "url": reverse("evaluation:measure_from_hazard", args=[hazard.project_id, hazard.pk]),
    }


extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(Evaluation).filter(project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Move-in and evaluation")),
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(EvaluationResult).filter(evaluation__project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Evaluation result: %(title)s") % {"title": r.subject or r.get_criterion_display()}),
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(Figure).filter(evaluation__project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Before/after figure: %(label)s") % {"label": r.label}),
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(ChangeRequest).filter(project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Change request: %(what)s") % {"what": r.what[:60]}),
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        # Never a sensitive measure, also not the records from before it was marked sensitive.
        lambda p: (
            history_of(Measure)
            .filter(project_id=p.pk, sensitive=False)
            .exclude(id__in=Measure.objects.filter(project_id=p.pk, sensitive=True).values("pk"))
            .select_related("history_user")
        ),
        lambda r: str(_("HMS measure %(number)s: %(area)s") % {"number": r.number, "area": r.focus_area}),
    ),
)


@extensions.register("demo_seeder", order=30)
def _seed_demo(projects, users):
    from . import demo

    demo.seed(projects, users)


@extensions.register("demo_seeder", order=40)
def _seed_demo_guide_b(projects, users):
    """A deputy, residual risk, HMS plan goals and deviation figures (issue 28 points 4, 6, 7; issue 25 point 6)."""
    from . import demo_guide_b

    demo_guide_b.seed(projects, users)


def _deferred_adjustments():
    """Adjustments deferred until the evaluation that a coordinator may let go ahead during the freeze."""
    return ChangeRequest.objects.filter(status=ChangeRequest.Status.DEFERRED, project__status=Project.Status.ACTIVE)


def _deferred_rows(limit):
    return [
        extensions.QueueRow(
            title=cr.what,
            project=cr.project,
            since=cr.requested_on,
            url=reverse("evaluation:change_request_approve", args=[cr.project_id, cr.pk]),
            action=_("Approve or leave deferred"),
        )
        for cr in _deferred_adjustments().select_related("project").order_by("requested_on", "pk")[:limit]
    ]


extensions.register(
    "coordinator_queue",
    extensions.QueueSource(
        "deferred_adjustments", _("Adjustments waiting for approval"), 20, _deferred_adjustments, _deferred_rows
    ),
)


def _evaluation_page(anchor=""):
    def url(project, user):
        if user.has_perm("evaluation.view_evaluation", project):
            return reverse("evaluation:overview", args=[project.pk]) + anchor
        return None

    return url


_AFTER_MOVE_IN = _(
    "It is kept under the tab Evaluation, which opens when the move-in is recorded on the project's overview."
)
# The documents the templates declare that this app keeps on its own pages (issue 28: each answers, none 404).
extensions.register(
    "document_elsewhere", Elsewhere("evaluation", _("Evaluation"), _evaluation_page(), waiting=_AFTER_MOVE_IN)
)
extensions.register(
    "document_elsewhere",
    Elsewhere("final_documentation", _("Final documentation"), _evaluation_page("#final-heading"), _AFTER_MOVE_IN),
)
extensions.register(
    "document_elsewhere", Elsewhere("hms_plan", _("HMS action plan"), prioritisation.prioritisation_url)
)
