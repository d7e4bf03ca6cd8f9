from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from projects import extensions
from projects.forms import form_errors_from, service_errors
from projects.permissions import get_object_for, get_project_for
from projects.uploads import attachment_remove_page, file_download

from . import gates, selectors, services
from .definition import TemplateError
from .forms import (
    AttachmentForm,
    CommentForm,
    ItemPlanForm,
    NotApplicableForm,
    OverrideForm,
    PhaseCompleteForm,
    ReopenForm,
    TemplateUploadForm,
)
from .models import Activity, ChecklistItem, ItemAttachment, Phase, ProcessTemplate


@login_required
def phases_overview(request, project_id):
    project = get_project_for(request.user, project_id)
    views = selectors.project_phases(project=project)
    current = selectors.current_phase(views)
    phases_, rows = selectors.assessments_table(project=project)
    return render(
        request,
        "phases/phases.html",
        {
            "project": project,
            "phase_views": views,
            "current": current,
            "current_blockers": selectors.phase_blockers(current.phase) if current else [],
            "last_completed": next((v.phase for v in reversed(views) if v.phase.is_completed), None),
            "assessment_phases": phases_,
            "assessment_rows": rows,
            "today": timezone.localdate(),
            "tab": "phases",
        },
    )


def _activity_context(request, project, activity):
    items = selectors.activity_items(activity=activity)
    return {
        "activity_panels": [p for p in (panel(project, activity) for panel in extensions.get("activity_panel")) if p],
        "project": project,
        "activity": activity,
        "phase": activity.phase,
        "items": items,
        "activity_progress": selectors.progress_of(items),
        "today": timezone.localdate(),
        "tab": "phases",
    }


@login_required
def activity_detail(request, project_id, activity_id):
    project, activity = get_object_for(request.user, project_id, Activity.objects.select_related("phase"), activity_id)
    return render(request, "phases/activity.html", _activity_context(request, project, activity))


@login_required
@require_POST
def item_toggle(request, project_id, item_id):
    project, item = get_object_for(request.user, project_id, ChecklistItem.objects.all(), item_id, "phases.change_item")
    done = request.POST.get("done") == "1"
    try:
        services.item_set_done(item=item, by=request.user, done=done)
    except ValidationError as exc:
        # The phase was completed (perhaps a moment ago, in another window): say so on the page.
        messages.error(request, " ".join(exc.messages))
        if request.POST.get("return") == "item":
            url = reverse("phases:item", args=[project.pk, item.pk])
        else:
            url = reverse("phases:activity", args=[project.pk, item.activity_id]) + f"#item-{item.pk}"
        if request.htmx and not request.htmx.boosted:
            response = HttpResponse(status=200)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    if request.POST.get("return") == "item":
        # The item's own page posts a boosted form: answer with the page again, not with a checklist row.
        messages.success(request, _("The item is marked as done.") if done else _("The item is open again."))
        return redirect("phases:item", project_id=project.pk, item_id=item.pk)
    if request.htmx and not request.htmx.boosted:
        activity = Activity.objects.select_related("phase").get(pk=item.activity_id)
        context = _activity_context(request, project, activity)
        context["item"] = next(i for i in context["items"] if i.pk == item.pk)
        context["oob"] = True
        return render(request, "phases/_item_toggle_response.html", context)
    return redirect(reverse("phases:activity", args=[project.pk, item.activity_id]) + f"#item-{item.pk}")


def _item_page(request, project, item, *, plan_form=None, na_form=None, comment_form=None, file_form=None, status=200):
    item = selectors.item_detail(item_id=item.pk, project=project)
    return render(
        request,
        "phases/item.html",
        {
            "project": project,
            "item": item,
            "activity": item.activity,
            "phase": item.phase,
            "locked": item.phase.is_completed,
            "plan_form": plan_form
            or ItemPlanForm(
                project=project,
                building_track=item.activity.track == Activity.Track.BUILDING,
                initial={"assignee": item.assignee_id, "due_date": item.due_date},
            ),
            "na_form": na_form or NotApplicableForm(initial={"reason": item.not_applicable_reason}),
            "comment_form": comment_form or CommentForm(),
            "file_form": file_form or AttachmentForm(),
            "today": timezone.localdate(),
            "tab": "phases",
        },
        status=status,
    )


@login_required
def item_detail(request, project_id, item_id):
    project, item = get_object_for(request.user, project_id, ChecklistItem.objects.all(), item_id)
    return _item_page(request, project, item)


def _item_form_view(*, perm, form_name, make_form, act, done):
    """A view for one of an item's forms (the shape they share): check access, validate, call the service,
    or show the item's page again with the errors. `make_form(request, project, item)` binds the form;
    `act(request, item, cleaned_data)` calls the service; `done` is the message after it."""

    @login_required
    @require_POST
    def view(request, project_id, item_id):
        project, item = get_object_for(request.user, project_id, ChecklistItem.objects.all(), item_id, perm)
        form = make_form(request, project, item)
        if form.is_valid():
            with service_errors(form):
                act(request, item, form.cleaned_data)
                messages.success(request, done)
                return redirect("phases:item", project_id=project.pk, item_id=item.pk)
        return _item_page(request, project, item, status=400, **{form_name: form})

    return view


item_plan = _item_form_view(
    perm="phases.plan_item",
    form_name="plan_form",
    make_form=lambda request, project, item: ItemPlanForm(
        request.POST, project=project, building_track=item.activity.track == Activity.Track.BUILDING
    ),
    act=lambda request, item, data: services.item_plan(item=item, by=request.user, **data),
    done=gettext_lazy("Responsible and deadline were saved."),
)
item_not_applicable = _item_form_view(
    perm="phases.change_item",
    form_name="na_form",
    make_form=lambda request, project, item: NotApplicableForm(request.POST),
    act=lambda request, item, data: services.item_set_not_applicable(item=item, by=request.user, reason=data["reason"]),
    done=gettext_lazy("The item is marked as not applicable."),
)
item_comment = _item_form_view(
    perm="phases.comment_item",
    form_name="comment_form",
    make_form=lambda request, project, item: CommentForm(request.POST),
    act=lambda request, item, data: services.item_comment(item=item, by=request.user, text=data["text"]),
    done=gettext_lazy("The comment was added."),
)
item_attachment = _item_form_view(
    perm="phases.change_item",
    form_name="file_form",
    make_form=lambda request, project, item: AttachmentForm(request.POST, request.FILES),
    act=lambda request, item, data: services.attachment_add(item=item, by=request.user, upload=data["file"]),
    done=gettext_lazy("The file was attached."),
)


@login_required
def attachment_download(request, project_id, attachment_id):
    project = get_project_for(request.user, project_id)
    try:
        attachment = ItemAttachment.objects.get(pk=attachment_id, item__project=project)
    except ItemAttachment.DoesNotExist:
        raise Http404 from None
    return file_download(attachment.file, attachment.original_name, attachment.content_type)


@login_required
def attachment_remove(request, project_id, attachment_id):
    project = get_project_for(request.user, project_id)
    try:
        attachment = ItemAttachment.objects.select_related("item").get(pk=attachment_id, item__project=project)
    except ItemAttachment.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("phases.change_item", attachment.item):
        raise PermissionDenied
    return attachment_remove_page(
        request, project=project, attachment=attachment, tab="phases",
        back=reverse("phases:item", args=[project.pk, attachment.item_id]),
        remove=lambda: services.attachment_remove(attachment=attachment, by=request.user),
    )  # fmt: skip


def _gate_page(request, project, phase, *, form=None, override_form=None, error=None, status=200):
    user = request.user
    can_complete = user.has_perm("phases.complete_phase", project)
    can_override = user.has_perm("phases.override_gate", project)
    blockers = selectors.phase_blockers(phase)
    earlier_open = Phase.objects.filter(project=project, order__lt=phase.order, completed_at__isnull=True).first()
    form = form or PhaseCompleteForm()
    return render(
        request,
        "phases/complete.html",
        {
            "project": project,
            "phase": phase,
            "blockers": blockers,
            "notices": gates.notices(phase),
            "earlier_open": earlier_open,
            # A gate that became blocked between loading and submitting keeps the owner's input on the page.
            "show_form": can_complete and not earlier_open and (not blockers or form.is_bound),
            "form": form,
            "override_form": override_form or OverrideForm(),
            "can_complete": can_complete,
            "can_override": can_override,
            "error": error,
            "tab": "phases",
        },
        status=status,
    )


@login_required
def phase_complete(request, project_id, phase_id):
    project, phase = get_object_for(request.user, project_id, Phase.objects.all(), phase_id)
    user = request.user
    if not (user.has_perm("phases.complete_phase", project) or user.has_perm("phases.override_gate", project)):
        raise PermissionDenied
    if phase.is_completed:
        messages.info(request, _("This phase was completed already."))
        return redirect("phases:overview", project_id=project.pk)
    if request.method != "POST":
        return _gate_page(request, project, phase)
    form = PhaseCompleteForm(request.POST)
    if not form.is_valid():
        return _gate_page(request, project, phase, form=form, status=400)
    try:
        services.phase_complete(phase=phase, by=user, assessments=form.assessments())
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):  # the assessment's rules, by field
            form_errors_from(exc, form)
            return _gate_page(request, project, phase, form=form, status=400)
        return _gate_page(request, project, phase, form=form, error=exc.messages, status=400)
    messages.success(request, _("The phase “%(phase)s” is completed.") % {"phase": phase.name})
    return redirect("phases:overview", project_id=project.pk)


@login_required
@require_POST
def phase_override(request, project_id, phase_id):
    project, phase = get_object_for(request.user, project_id, Phase.objects.all(), phase_id)
    if not request.user.has_perm("phases.override_gate", project):
        raise PermissionDenied
    form = OverrideForm(request.POST)
    assessment = PhaseCompleteForm(request.POST)
    if form.is_valid() and assessment.is_valid():
        if request.POST.get("confirmed") != "1":
            # Overriding is irreversible: show what will happen and ask once more, carrying the input along.
            carried = [(k, v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "confirmed")]
            return render(
                request,
                "phases/override_confirm.html",
                {
                    "project": project,
                    "phase": phase,
                    "reason": form.cleaned_data["reason"],
                    "blockers": selectors.phase_blockers(phase),
                    "carried": carried,
                    "tab": "phases",
                },
            )
        try:
            services.phase_complete(
                phase=phase, by=request.user, override_reason=form.cleaned_data["reason"],
                assessments=assessment.assessments(),
            )  # fmt: skip
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form_errors_from(exc, assessment)
                return _gate_page(request, project, phase, form=assessment, override_form=form, status=400)
            return _gate_page(request, project, phase, override_form=form, error=exc.messages, status=400)
        messages.success(request, _("The phase “%(phase)s” is completed by override.") % {"phase": phase.name})
        return redirect("phases:overview", project_id=project.pk)
    return _gate_page(request, project, phase, override_form=form, status=400)


@login_required
def phase_reopen(request, project_id, phase_id):
    """A coordinator reopens a completed phase: a confirmation page that says what happens, with the reason."""
    project, phase = get_object_for(request.user, project_id, Phase.objects.select_related("completed_by"), phase_id)
    if not request.user.has_perm("phases.reopen_phase", project):
        raise PermissionDenied
    if not phase.is_completed:
        messages.info(request, _("This phase is not completed."))
        return redirect("phases:overview", project_id=project.pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.phase_reopen(phase=phase, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The phase “%(phase)s” is open again.") % {"phase": phase.name})
            return redirect("phases:overview", project_id=project.pk)
    later = Phase.objects.filter(project=project, order__gt=phase.order, completed_at__isnull=False).order_by("-order")
    return render(
        request,
        "phases/reopen.html",
        {"project": project, "phase": phase, "form": form, "later": later.first(), "tab": "phases"},
        status=400 if form.errors else 200,
    )


@login_required
def template_list(request):
    if not request.user.has_perm("phases.view_templates"):
        raise PermissionDenied
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.user.has_perm("phases.manage_templates"):
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = upload.read().decode("utf-8")
                template, created = services.template_load(text=text, source=upload.name, by=request.user)
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            except TemplateError as exc:
                for problem in exc.problems:
                    form.add_error("file", f"{exc.source}: {problem}")
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                if created:
                    messages.success(
                        request,
                        _("Version %(v)s of “%(name)s” was loaded.") % {"v": template.version, "name": template.name},
                    )
                else:
                    messages.info(request, _("This version was loaded already; nothing changed."))
                return redirect("phases:templates")
    return render(
        request,
        "phases/templates.html",
        {"templates": selectors.templates_overview(), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def template_detail(request, template_id):
    if not request.user.has_perm("phases.view_templates"):
        raise PermissionDenied
    try:
        template = ProcessTemplate.objects.get(pk=template_id)
    except ProcessTemplate.DoesNotExist:
        raise Http404 from None
    return render(request, "phases/template_detail.html", {"template": template, "counts": template.counts()})


@login_required
def template_source(request, template_id):
    """The TOML file a version was loaded from, as a download (a starting point for the next version)."""
    if not request.user.has_perm("phases.view_templates"):
        raise PermissionDenied
    try:
        template = ProcessTemplate.objects.get(pk=template_id)
    except ProcessTemplate.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(template.source, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{template.key}-v{template.version}.toml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
