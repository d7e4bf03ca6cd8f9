"""The evaluation report (for HR and the case file) and the final documentation, rendered in the worker.

Both go through `projects.documents`: a versioned GeneratedDocument with its SHA-256, a tagged PDF/A-2a. Neither ever
prints a sensitive HMS measure, a change request's requester or anything else about a person.
"""

from django.utils import timezone, translation

from phases.models import Criterion, CriterionAssessment
from projects import extensions
from projects.documents import render_pdf
from projects.selectors import project_units

from . import selectors
from .models import Evaluation, EvaluationResult, PlanGoal


def _report_context(document):
    project = document.project
    evaluation = Evaluation.objects.select_related("completed_by").get(project=project)
    results = list(evaluation.results.all())
    return {
        "project": project,
        "document": document,
        "generated_at": timezone.now(),
        "evaluation": evaluation,
        "window_state": evaluation.window_state(),
        "units": project_units(project=project),
        "goal_results": [r for r in results if r.kind == EvaluationResult.Kind.GOAL],
        "criterion_results": [r for r in results if r.kind == EvaluationResult.Kind.CRITERION],
        "figures": list(evaluation.figures.all()),
        "measures": list(selectors.report_measures(project=project)),
        "plan_goals": list(PlanGoal.objects.filter(project=project)),
        "criteria": Criterion,
    }


def render_report(document) -> bytes:
    with translation.override("nb"):
        context = _report_context(document)
    return render_pdf("evaluation/report_pdf.html", context, lang="nb")


def render_final_documentation(document) -> bytes:
    with translation.override("nb"):
        context = _report_context(document)
        project = document.project
        context["phases"] = list(project.phases.order_by("order"))
        context.update(_criteria_matrix(project, context["phases"]))
        context["change_requests"] = selectors.change_requests_of(project=project)
        context["participation"] = _participation_rollup(project)
        sections = sorted(
            (s for s in (source(project) for source in extensions.get("final_section")) if s),
            key=lambda s: s.get("order", 50),
        )
        # Below 30 (the goals, the mandate): before the phases and the participation summary; the rest after.
        context["sections_before"] = [s for s in sections if s.get("order", 50) < 30]
        context["sections"] = [s for s in sections if s.get("order", 50) >= 30]
    return render_pdf("evaluation/final_pdf.html", context, lang="nb")


def _criteria_matrix(project, phases):
    """The success criteria assessed at the phase gates as one small matrix (a row per assessed phase, a column per
    criterion, the status in the cell) and the comments as lines under it: a few cells instead of a row of four
    per phase and criterion (evaluation/pdf.css)."""
    assessments = list(CriterionAssessment.objects.filter(phase__project=project).select_related("phase"))
    by_cell = {(a.phase_id, a.criterion): a for a in assessments}
    assessed = {a.phase_id for a in assessments}
    matrix = [(ph, [by_cell.get((ph.pk, c)) for c in Criterion.values]) for ph in phases if ph.pk in assessed]
    order = {c: n for n, c in enumerate(Criterion.values)}
    comments = sorted((a for a in assessments if a.comment), key=lambda a: (a.phase.order, order[a.criterion]))
    return {"criteria_matrix": matrix, "criteria_labels": Criterion.labels, "criteria_comments": comments}


def _participation_rollup(project):
    """Each participation step with the roles whose sign-off counts, the sign-offs that no longer count (the
    signer no longer holds the role) and its objections in full (DESIGN §4: an objection is printed in every
    PDF where its step appears). Participation's own reading decides what counts; without the app the section
    is left out."""
    from django.apps import apps

    if not apps.is_installed("participation"):
        return None
    from participation.selectors import project_steps

    rows = []
    for view in project_steps(project=project):
        rows.append(
            {
                "step": view.step,
                "signed": sum(1 for r in view.roles if r.met),
                "required": len(view.roles),
                "lapsed": [r.lapsed for r in view.roles if r.lapsed],
                "objections": view.objections,
            }
        )
    return rows


# Other parts add to the final documentation (the goals and the mandate in final_sections.py, the area
# programme …) under the hook `final_section`: fn(project) -> {"title": …, "template": …, "order": …, **context}
# or None. The template gets the dict as `section`; "order" below 30 prints it before the phases and the
# participation summary, otherwise (default 50) after them.
