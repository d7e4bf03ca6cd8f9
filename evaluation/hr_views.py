"""HR's pages: evaluations due and done, HMS measures across projects, exports and the evaluation report.

HR advisers hold no project role: they reach a project here only through `projects.view_hr_reports`, only
after its move-in, and see nothing sensitive. Nothing here changes a project except the sick-leave figures,
which HR supplies.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects import documents
from projects import services as project_services
from projects.forms import service_errors
from projects.models import GeneratedDocument, Project
from projects.uploads import file_download

from . import exports, selectors, services
from .forms import FigureForm, HRFilterForm

REPORT_KIND = "evaluation-report"


def _require_hr(request):
    if not request.user.has_perm("projects.view_hr_reports"):
        raise PermissionDenied


def _hr_project(request, project_id):
    """A project that has moved in, for somebody who reads HR reports (404 for everybody else)."""
    if not request.user.has_perm("projects.view_hr_reports"):
        raise Http404
    project = Project.objects.filter(pk=project_id, evaluation__isnull=False).select_related("evaluation").first()
    if project is None:
        raise Http404
    return project, project.evaluation


def _filtered(request):
    form = HRFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    evaluations = selectors.hr_evaluations(
        year=data.get("year"), unit=data.get("unit"), state=data.get("state") or "", today=today
    )
    measures = selectors.hr_measures(today=today, status=data.get("measure_status") or "")
    return form, evaluations, measures, today


@login_required
def hr(request):
    _require_hr(request)
    form, evaluations, measures, today = _filtered(request)
    evaluation_page = Paginator(evaluations, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    measure_page = Paginator(measures, settings.PAGINATE_BY).get_page(request.GET.get("mpage"))
    query = request.GET.copy()
    for key in ("page", "mpage"):
        query.pop(key, None)
    return render(
        request,
        "evaluation/hr.html",
        {
            "form": form,
            "evaluation_page": evaluation_page,
            "measure_page": measure_page,
            "today": today,
            "query": query.urlencode(),
        },
    )


@login_required
def hr_export(request, what, fmt):
    _require_hr(request)
    if what not in ("evaluations", "measures") or fmt not in ("csv", "xlsx"):
        raise Http404
    _form, evaluations, measures, today = _filtered(request)
    if what == "evaluations":
        header, rows = exports.evaluation_rows(evaluations)
        title = _("Evaluations")
    else:
        header, rows = exports.measure_rows(measures, today)
        title = _("HMS measures")
    name = f"{'evalueringer' if what == 'evaluations' else 'hms-tiltak'}-{today:%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(header, rows, name)
    return exports.xlsx_response(header, rows, title, name)


def _report_context(request, project):
    docs = list(GeneratedDocument.objects.filter(project=project, kind=REPORT_KIND).select_related("requested_by"))
    documents.mark_late(docs)
    return {
        "project": project,
        "documents": docs,
        "polling": any(d.in_progress for d in docs),
        "late": any(d.late for d in docs),
        "can_request": request.user.has_perm("evaluation.request_report", project),
    }


@login_required
def hr_project(request, project_id):
    project, evaluation = _hr_project(request, project_id)
    return render(
        request,
        "evaluation/hr_project.html",
        {
            **_report_context(request, project),
            "evaluation": evaluation,
            "window_state": evaluation.window_state(),
            "results": list(evaluation.results.all()),
            "figures": list(evaluation.figures.all()),
            "measures": list(selectors.report_measures(project=project)),
            # the figures lock with the evaluation (evaluation.figures refuses them afterwards)
            "can_enter_sick_leave": request.user.has_perm("evaluation.enter_sick_leave", project)
            and not evaluation.completed_at,
            "can_import_survey": request.user.has_perm("evaluation.import_survey_figures", project)
            and not evaluation.completed_at,
        },
    )


@login_required
@require_POST
def hr_report_request(request, project_id):
    project, _evaluation = _hr_project(request, project_id)
    try:
        document = project_services.document_request(project=project, kind=REPORT_KIND, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if not request.htmx:
            messages.info(
                request,
                _("Version %(v)s of the evaluation report is being generated. It appears below when it is ready.")
                % {"v": document.version},
            )
    if request.htmx:
        return render(request, "evaluation/_hr_documents.html", _report_context(request, project))
    return redirect("evaluation:hr_project", project_id=project.pk)


@login_required
@require_POST
def hr_report_retry(request, project_id, document_id):
    project, _evaluation = _hr_project(request, project_id)
    document = get_object_or_404(GeneratedDocument, pk=document_id, project=project, kind=REPORT_KIND)
    try:
        project_services.document_retry(document=document, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if not request.htmx:
            messages.info(request, _("Version %(v)s is being generated again.") % {"v": document.version})
    if request.htmx:
        return render(request, "evaluation/_hr_documents.html", _report_context(request, project))
    return redirect("evaluation:hr_project", project_id=project.pk)


@login_required
def hr_report_status(request, project_id):
    project, _evaluation = _hr_project(request, project_id)
    return render(request, "evaluation/_hr_documents.html", _report_context(request, project))


@login_required
def hr_report_download(request, project_id, document_id):
    project, _evaluation = _hr_project(request, project_id)
    document = GeneratedDocument.objects.filter(pk=document_id, project=project, kind=REPORT_KIND).first()
    if document is None or not document.is_done:
        raise Http404
    return file_download(document.file, f"evalueringsrapport-v{document.version}.pdf", "application/pdf", inline=True)


@login_required
def hr_sick_leave(request, project_id):
    project, evaluation = _hr_project(request, project_id)
    if not request.user.has_perm("evaluation.enter_sick_leave", project):
        raise PermissionDenied
    form = FigureForm(request.POST or None, hr=True, prefix="sick")
    locked = evaluation.completed_at is not None  # the figures lock with the evaluation; the service refuses too
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.figure_add(evaluation=evaluation, by=request.user, **form.cleaned_data)
            messages.success(request, _("The figures are saved."))
            return redirect("evaluation:hr_project", project_id=project.pk)
    return render(
        request,
        "evaluation/hr_sick_leave.html",
        {"project": project, "form": form, "evaluation": evaluation, "locked": locked},
        status=400 if form.errors else 200,
    )
