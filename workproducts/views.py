"""The Dokumenter tab and the pages of each work product, generic over the kinds in the registry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects import extensions
from projects.forms import service_errors
from projects.models import GeneratedDocument
from projects.permissions import get_project_for

from . import selectors, services
from .forms import FileForm, OrderAcceptForm, OrderServiceForm, document_form
from .models import Goals, OrderService, WorkProduct
from .registry import elsewhere, kinds, step_contents

# Another app offers an action on a hazard under the hook `hazard_action` (issue 12: make it an HMS measure):
# fn(request, hazard) -> {"label", "url"} or None; see docs/decisions.md.


def _kind(kind):
    if kind not in kinds():
        raise Http404
    return kinds()[kind]


def _document(project, kind):
    return (
        WorkProduct.objects.filter(project=project, kind=kind).select_related("activity__phase", "updated_by").first()
    )


def _activity(project, kind):
    """The activity that produces `kind` in this project (404 if its process has none)."""
    from phases.models import Activity

    activity = (
        Activity.objects.filter(project=project, work_product=kind)
        .select_related("phase")
        .order_by("phase__order", "order")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


@login_required
def work_product_list(request, project_id):
    project = get_project_for(request.user, project_id)
    entries = selectors.project_documents(project=project)
    pdfs = {}
    for d in GeneratedDocument.objects.filter(
        project=project, kind__in=list(kinds()), status=GeneratedDocument.Status.DONE
    ):
        pdfs.setdefault(d.kind, []).append(
            {"version": d.version, "url": reverse("projects:document", args=[project.pk, d.pk])}
        )
    for e in entries:
        e.pdfs = pdfs.get(e.kind.key, [])
    return render(
        request,
        "workproducts/list.html",
        {"project": project, "entries": entries, "tab": "documents",
         "can_edit": request.user.has_perm("workproducts.edit_work_product", project)},
    )  # fmt: skip


def _kept_elsewhere(request, project, kind):
    """The answer for a kind another app keeps on its own page (the evaluation, the HMS action plan, a step's
    content such as the HMS measures), or None for a work product of this app."""
    if kind in kinds():
        return None
    kept = elsewhere().get(kind)
    if kept is not None:
        activity = _activity(project, kind)
        url = kept.url(project, request.user)
        if url is not None:
            return redirect(url)
        return render(
            request,
            "workproducts/elsewhere.html",
            {"project": project, "kept": kept, "activity": activity, "tab": "documents"},
        )
    provided = next((e for e in step_contents().values() if e.key == kind), None)
    if provided is not None:
        url = provided.url(project, request.user)
        if url is None:
            raise Http404
        return redirect(url)
    return None


def _risk_context(request, context, hazards):
    """The risk assessment's matrix, its hazards narrowed to a chosen cell, and what each hazard offers."""
    context["matrix"], context["residual"] = selectors.risk_matrix(hazards)
    cell = _cell(request)
    if cell:
        context["cell"] = cell
        hazards[:] = [h for h in hazards if (h.likelihood, h.consequence) == cell]
    for h in hazards:
        h.actions = [a for a in (fn(request, h) for fn in extensions.get("hazard_action")) if a]


@login_required
def work_product_detail(request, project_id, kind):
    project = get_project_for(request.user, project_id)
    other = _kept_elsewhere(request, project, kind)
    if other is not None:
        return other
    spec = _kind(kind)
    activity = _activity(project, kind)
    wp = _document(project, kind)
    sections = selectors.page_sections(wp, spec)
    context = {
        "project": project, "spec": spec, "wp": wp, "activity": activity,
        "files": list(wp.files.select_related("uploaded_by")) if wp else [], "file_form": FileForm(),
        "fields": selectors.main_fields(wp, spec), "sections": sections, "tab": "documents",
        "can_edit": request.user.has_perm("workproducts.edit_work_product", project),
    }  # fmt: skip
    if spec.page_context is not None:
        context.update(spec.page_context(wp, project))
    if kind == "goals" and wp:
        context["goals"] = (
            Goals.objects.prefetch_related("order_services").select_related("order_accepted_by").get(work_product=wp)
        )
        context["can_accept"] = request.user.has_perm("workproducts.accept_order", project)
    if kind == "risk_assessment":
        _risk_context(request, context, sections[0][2])
    return render(request, "workproducts/detail.html", context)


def _cell(request):
    try:
        lk, c = int(request.GET["l"]), int(request.GET["c"])
    except (KeyError, ValueError):
        return None
    return (lk, c) if 1 <= lk <= 5 and 1 <= c <= 5 else None


def _detail_url(project, kind, anchor=""):
    return reverse("workproducts:detail", args=[project.pk, kind]) + (f"#{anchor}" if anchor else "")


def _edit_page(request, project, spec, *, form, title, status=200, back=None):
    return render(
        request,
        "workproducts/form.html",
        {"project": project, "spec": spec, "form": form, "title": title, "tab": "documents",
         "back": back or _detail_url(project, spec.key)},
        status=status,
    )  # fmt: skip


@login_required
def work_product_edit(request, project_id, kind):
    project = get_project_for(request.user, project_id, "workproducts.edit_work_product")
    spec = _kind(kind)
    _activity(project, kind)
    wp = _document(project, kind)
    main = selectors.content_object(wp) if wp else None
    Form = document_form(spec.content_model, spec.fields)
    form = Form(request.POST or None, instance=main, project=project)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            wp = wp or services.workproduct_start(project=project, kind=kind, by=request.user)
            before = wp.version
            wp = services.workproduct_save(work_product=wp, by=request.user, data=form.cleaned_data)
            _saved_message(request, wp, before)
            return redirect(_detail_url(project, kind))
    return _edit_page(
        request, project, spec, form=form, title=_("Edit: %(doc)s") % {"doc": spec.label},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _saved_message(request, wp, before):
    if wp.version != before:
        messages.success(
            request,
            _(
                "Saved as version %(v)s. Participation steps that include the document show the change as a draft "
                "until it is sent for sign-off."
            )
            % {"v": wp.version},
        )
    else:
        messages.success(request, _("Saved. Nothing in the content changed."))


def _row(wp, section, row_id):
    if wp is None:
        raise Http404
    try:
        return section.model.objects.get(pk=row_id, work_product=wp)
    except (section.model.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def row_edit(request, project_id, kind, section, row_id=None):
    project = get_project_for(request.user, project_id, "workproducts.edit_work_product")
    spec = _kind(kind)
    sec = spec.section(section)
    if sec is None:
        raise Http404
    _activity(project, kind)
    wp = _document(project, kind)
    row = _row(wp, sec, row_id) if row_id is not None else None
    Form = document_form(sec.model, sec.fields)
    form = Form(request.POST or None, instance=row, project=project)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            wp = wp or services.workproduct_start(project=project, kind=kind, by=request.user)
            before = wp.version
            row = services.workproduct_row_save(
                work_product=wp, section=section, by=request.user, data=form.cleaned_data, row=row
            )
            wp.refresh_from_db()
            _saved_message(request, wp, before)
            return redirect(_detail_url(project, kind, section))
    title = (_("Change: %(row)s") % {"row": row}) if row else sec.add_label
    return _edit_page(request, project, spec, form=form, title=title, status=400 if form.errors else 200)


@login_required
def row_delete(request, project_id, kind, section, row_id):
    project = get_project_for(request.user, project_id, "workproducts.edit_work_product")
    spec = _kind(kind)
    sec = spec.section(section)
    if sec is None:
        raise Http404
    row = _row(_document(project, kind), sec, row_id)
    if request.method == "POST":
        services.workproduct_row_delete(row=row, by=request.user)
        messages.success(request, _("“%(row)s” was removed.") % {"row": row})
        return redirect(_detail_url(project, kind, section))
    return render(
        request,
        "workproducts/confirm.html",
        {"project": project, "spec": spec, "tab": "documents", "title": _("Remove “%(row)s”?") % {"row": row},
         "text": _("The row is removed from the document. The document gets a new version, and sign-offs of steps "
                   "that include it become outdated. The removed row stays in the project history."),
         "button": _("Remove"), "danger": True, "back": _detail_url(project, kind, section)},
    )  # fmt: skip


STATE_TEXTS = {
    WorkProduct.State.CONSULTATION: (
        _("Send for consultation"),
        _("The document is marked as sent for consultation. The participation steps of its activity become ready "
          "for sign-off, and the representatives find them under For approval."),
    ),
    WorkProduct.State.ADOPTED: (
        _("Adopt"),
        _("The document is marked as adopted in this version. If it is changed later, it goes back to draft."),
    ),
    WorkProduct.State.DRAFT: (
        _("Back to draft"),
        _("The document is marked as a draft again. Sign-offs already given stay on record."),
    ),
}  # fmt: skip


@login_required
def work_product_state(request, project_id, kind):
    project = get_project_for(request.user, project_id, "workproducts.edit_work_product")
    spec = _kind(kind)
    wp = _document(project, kind)
    if wp is None:
        raise Http404
    state = request.POST.get("state") or request.GET.get("state")
    if state not in STATE_TEXTS:
        raise Http404
    if request.method == "POST":
        try:
            services.workproduct_set_state(work_product=wp, by=request.user, state=state)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("The document is now “%(state)s”.") % {"state": WorkProduct.State(state).label})
        return redirect(_detail_url(project, kind))
    button, text = STATE_TEXTS[state]
    return render(
        request,
        "workproducts/confirm.html",
        {"project": project, "spec": spec, "tab": "documents", "title": f"{spec.label}: {button}?", "text": text,
         "button": button, "state": state, "back": _detail_url(project, kind)},
    )  # fmt: skip


# Order form to EBE ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def order_send(request, project_id):
    project = get_project_for(request.user, project_id, "workproducts.edit_work_product")
    wp = _document(project, "goals")
    if wp is None:
        raise Http404
    try:
        services.order_send(work_product=wp, by=request.user)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("The order form was sent to EBE."))
    return redirect(_detail_url(project, "goals", "order"))


@login_required
def order_accept(request, project_id):
    project = get_project_for(request.user, project_id, "workproducts.accept_order")
    wp = _document(project, "goals")
    if wp is None:
        raise Http404
    form = OrderAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.order_accept(work_product=wp, by=request.user, accepted_on=form.cleaned_data["accepted_on"])
            messages.success(request, _("The order is accepted."))
            return redirect(_detail_url(project, "goals", "order"))
    return _edit_page(
        request, project, kinds()["goals"], form=form, title=_("Accept the order form"),
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
def order_services(request):
    if not request.user.has_perm("workproducts.manage_order_services"):
        raise PermissionDenied
    form = OrderServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.order_service_save(by=request.user, **form.cleaned_data)
            messages.success(request, _("The service was added."))
            return redirect("workproducts:order_services")
    page = Paginator(OrderService.objects.all(), 50).get_page(request.GET.get("page"))
    return render(
        request, "workproducts/order_services.html", {"form": form, "page_obj": page},
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
def order_service_edit(request, service_id):
    if not request.user.has_perm("workproducts.manage_order_services"):
        raise PermissionDenied
    try:
        service = OrderService.objects.get(pk=service_id)
    except OrderService.DoesNotExist:
        raise Http404 from None
    form = OrderServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.order_service_save(by=request.user, service=service, **form.cleaned_data)
            messages.success(request, _("The service was saved."))
            return redirect("workproducts:order_services")
    return render(
        request, "workproducts/order_service_form.html", {"form": form, "service": service},
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
def file_add(request, project_id, kind):
    project = get_project_for(request.user, project_id, "workproducts.edit_work_product")
    _kind(kind)
    _activity(project, kind)
    if request.method != "POST":
        return redirect(_detail_url(project, kind))
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        with service_errors(form):
            wp = _document(project, kind) or services.workproduct_start(project=project, kind=kind, by=request.user)
            stored = services.workproduct_file_add(work_product=wp, by=request.user, upload=form.cleaned_data["file"])
            messages.success(request, _("“%(name)s” is attached.") % {"name": stored.original_name})
            return redirect(_detail_url(project, kind, "files-heading"))
    for error in form.errors.get("file", []):
        messages.error(request, error)
    return redirect(_detail_url(project, kind, "files-heading"))


def _file_of(request, project_id, kind, file_id, perm="projects.view_project"):
    from .models import WorkProductFile

    project = get_project_for(request.user, project_id, perm)
    attached = WorkProductFile.objects.filter(pk=file_id, project=project, work_product__kind=kind).first()
    if attached is None:
        raise Http404
    return project, attached


@login_required
def file_download(request, project_id, kind, file_id):
    from projects.uploads import file_download as send

    _project, attached = _file_of(request, project_id, kind, file_id)
    return send(attached.file, attached.original_name, attached.content_type)


@login_required
def file_remove(request, project_id, kind, file_id):
    from projects.uploads import attachment_remove_page

    project, attached = _file_of(request, project_id, kind, file_id, "workproducts.edit_work_product")
    return attachment_remove_page(
        request, project=project, attachment=attached, back=_detail_url(project, kind, "files-heading"),
        tab="documents", remove=lambda: services.workproduct_file_remove(attached=attached, by=request.user),
    )  # fmt: skip
