"""Importing before/after figures from a file (evaluation/figure_imports.py), for the owner or manager on the
Evaluering tab and for HR on its project page, and the empty templates to download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from projects import selectors as project_selectors
from projects.exports import XLSX_TYPE, streamed
from projects.forms import service_errors
from projects.models import FileImport

from . import figure_imports
from .forms import FigureImportForm
from .hr_views import _hr_project
from .views import _evaluation_for

PERMS = {"deviations": "evaluation.enter_hr_figures", "survey": "evaluation.import_survey_figures"}


@login_required
def figure_template(request, what, fmt):
    """The empty template (header row only): nothing of any project is in it."""
    kind = figure_imports.KINDS.get(what)
    if kind is None or fmt not in ("csv", "xlsx"):
        raise Http404
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_TYPE
    return streamed(figure_imports.template(kind, fmt), content_type, f"{kind.filename}.{fmt}")


def _import_page(request, *, project, evaluation, kind, back, hr):
    """Upload a file; the worker imports it and this page follows its progress, then shows its outcome (the
    figures' count, or every problem by row and column)."""
    form = FigureImportForm(request.POST or None, request.FILES or None, survey=kind is figure_imports.SURVEY)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("upload")
        with service_errors(form):
            page = "hr" if hr else "evaluation"
            figure_imports.figures_import_request(
                evaluation=evaluation, by=request.user, kind=kind, upload=upload, page=page, **data
            )
            messages.info(request, _("The file is uploaded. It is checked in the background; the outcome shows here."))
            return redirect(request.get_full_path())
    latest = (
        FileImport.objects.filter(project=project, kind=kind.importer_key, target__evaluation_id=evaluation.pk)
        .select_related("requested_by")
        .first()
    )
    import_status = None
    if latest is not None:
        import_status = project_selectors.file_import_status(
            file_import=latest, user=request.user, next_url=request.get_full_path()
        )
    return render(
        request,
        "evaluation/figure_import.html",
        {
            "project": project,
            "kind": kind,
            "form": form,
            "import_status": import_status,
            "back": back,
            "hr": hr,
            "title": _("Import: %(what)s") % {"what": kind.title},
            "section": True,
            "tab": "evaluation",
        },
        status=400 if form.errors else 200,
    )


@login_required
def figure_import(request, project_id, what):
    """The owner or manager imports a unit's survey results (HMS deviations are HR's, on HR's page)."""
    kind = figure_imports.KINDS.get(what)
    if kind is None:
        raise Http404
    project, evaluation = _evaluation_for(request, project_id, PERMS[what])
    back = reverse("evaluation:overview", args=[project.pk]) + "#figures-heading"
    return _import_page(request, project=project, evaluation=evaluation, kind=kind, back=back, hr=False)


@login_required
def hr_figure_import(request, project_id, what):
    """HR imports HMS deviations and incidents, or a unit's survey results, for a project that has moved in."""
    kind = figure_imports.KINDS.get(what)
    if kind is None:
        raise Http404
    project, evaluation = _hr_project(request, project_id)
    if not request.user.has_perm(PERMS[what], project):
        raise PermissionDenied
    back = reverse("evaluation:hr_project", args=[project.pk]) + "#figures-heading"
    return _import_page(request, project=project, evaluation=evaluation, kind=kind, back=back, hr=True)
