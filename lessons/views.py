"""The lessons pages: a project's lessons (with the shared lessons for the phase it is in), writing one, the
register across projects with its search, and a coordinator's sharing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.forms import service_errors
from projects.permissions import get_project_for

from . import selectors, services
from .forms import LessonForm, RegisterSearchForm
from .models import Lesson

PAGE_SIZE = 50


@login_required
def project_lessons(request, project_id):
    project = get_project_for(request.user, project_id)
    phase = selectors.current_phase(project)
    return render(
        request,
        "lessons/project.html",
        {
            "project": project,
            "lessons": selectors.lessons_of(project=project),
            "phase": phase,
            "shared": selectors.shared_for_phase(project=project, phase=phase),
            "can_write": request.user.has_perm("lessons.write_lesson", project),
            "tab": "lessons",
        },
    )


@login_required
def lesson_create(request, project_id):
    project = get_project_for(request.user, project_id, "lessons.write_lesson")
    phase = selectors.current_phase(project)
    form = LessonForm(request.POST or None, project=project, initial={"phase": phase})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with service_errors(form):
            services.lesson_write(project=project, by=request.user, **data)
            messages.success(request, _("The lesson is written. A coordinator decides whether it is shared."))
            return redirect("lessons:project", project_id=project.pk)
    return render(
        request,
        "lessons/form.html",
        {"project": project, "form": form, "tab": "lessons"},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def lesson_register(request):
    if not request.user.has_perm("lessons.view_register"):
        raise PermissionDenied
    form = RegisterSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    lessons = selectors.register(user=request.user, query=filters.get("q", ""), state=filters.get("state", ""))
    page = Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "lessons/register.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searched": bool(filters.get("q") or filters.get("state")),
            "can_share": request.user.has_perm("lessons.share_lesson"),
        },
    )


@login_required
@require_POST
def lesson_share(request, lesson_id):
    if not request.user.has_perm("lessons.share_lesson"):
        raise PermissionDenied
    lesson = get_object_or_404(Lesson, pk=lesson_id)
    shared = request.POST.get("shared") == "1"
    services.lesson_share(lesson=lesson, by=request.user, shared=shared)
    if shared:
        messages.success(request, _("The lesson is shared with the owners of later projects in that phase."))
    else:
        messages.success(request, _("The lesson is no longer shared."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("lessons:register")
    return redirect(back)
