"""The coordinators' overview (Oversikt): the table with counts and the attention list, the timeline, the
exports and the portfolio risk matrix. Every page reads the same filters from the query string."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from projects import exports, extensions

from . import selectors as dashboard


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def _filters(request, today):
    data = request.GET.copy()
    for key in ("page", "sort"):
        data.pop(key, None)
    return dashboard.filtered(data={k: v for k, v in data.items() if v}, today=today)


def _query_without(request, *names):
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _context(request, filterset, view_name):
    return {
        "filterset": filterset,
        "filter_query": _query_without(request, "page", "sort"),
        "sort_query": request.GET.get("sort", ""),
        "overview_view": view_name,
        "has_risk_matrix": bool(extensions.get("dashboard_risk_matrix")),
    }


@login_required
def overview(request):
    _require(request.user, "projects.view_dashboard")
    today = timezone.localdate()
    filterset, qs = _filters(request, today)
    qs, sort = dashboard.sorted_rows(qs, request.GET.get("sort", ""))
    summary = dashboard.summarise(qs, today)
    numbers, breakdowns = summary.numbers, summary.breakdowns
    page, attention = dashboard.overview_page(
        qs, number=request.GET.get("page"), total=numbers["total"], today=today, summary=summary
    )
    columns = dashboard.page_columns()
    for row in page.object_list:  # each cell as HTML where its column makes it, else its value
        row.cells = [
            (column, column.html(row, column.value(row)) if column.html else column.value(row)) for column in columns
        ]
    return render(
        request,
        "dashboard/overview.html",
        {
            **_context(request, filterset, "dashboard:overview"),
            "page": page,
            "columns": columns,
            "sort": sort,
            "numbers": numbers,
            "attention_counts": [(a, numbers[f"att_{a.key}"]) for a in dashboard.attention_conditions()],
            "breakdowns": breakdowns,
            "attention": attention,
            "queue": dashboard.queue(request=request),
            "page_query": _query_without(request, "page"),
            "today": today,
        },
    )


@login_required
def timeline(request):
    _require(request.user, "projects.view_dashboard")
    today = timezone.localdate()
    filterset, qs = _filters(request, today)
    qs, _sort = dashboard.sorted_rows(qs, request.GET.get("sort", "") or "move_in")
    total = qs.count()
    page, _attention = dashboard.overview_page(qs, number=request.GET.get("page"), total=total, today=today)
    return render(
        request,
        "dashboard/timeline.html",
        {
            **_context(request, filterset, "dashboard:timeline"),
            "page": page,
            "chart": dashboard.timeline(page.object_list, today),
            "page_query": _query_without(request, "page"),
            "today": today,
        },
    )


@login_required
def export(request, fmt):
    _require(request.user, "projects.export_projects")
    today = timezone.localdate()
    _filterset, qs = _filters(request, today)
    qs, _sort = dashboard.sorted_rows(qs, request.GET.get("sort", ""))
    rows = dashboard.export_rows(qs, today)
    if fmt == "csv":
        return exports.csv_response(rows, dashboard.columns(), today)
    if fmt == "xlsx":
        return exports.xlsx_response(rows, dashboard.columns(), today)
    raise Http404


@login_required
def risk_matrix(request):
    _require(request.user, "projects.view_dashboard")
    if not extensions.get("dashboard_risk_matrix"):
        raise Http404
    today = timezone.localdate()
    filterset, qs = _filters(request, today)
    matrix = dashboard.risk_matrix(qs, cell=request.GET.get("cell", ""))
    return render(
        request,
        "dashboard/risk_matrix.html",
        {
            **_context(request, filterset, "dashboard:risks"),
            "matrix": matrix,
            "filter_query": _query_without(request, "page", "sort", "cell"),
        },  # fmt: skip
    )


@login_required
def system(request):
    """The administrator's landing page: people and global roles, templates, health and queues."""
    _require(request.user, "projects.view_system")
    from . import system as data

    return render(
        request,
        "dashboard/system.html",
        {
            "people": data.people(),
            "projects": data.projects_count(),
            "templates": data.templates(),
            "checks": data.health_checks(),
            "queues": data.queues(),
            "shown": data.HOLDERS_SHOWN,
        },
    )
