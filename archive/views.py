from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects import documents
from projects.forms import service_confirmed, service_errors
from projects.models import GeneratedDocument
from projects.permissions import get_project_for

from . import services, transports
from .forms import ScreeningForm
from .models import Archiving, Screening


def _next(request, default):
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return default


@login_required
def document_send(request, project_id, document_id):
    """ "Send til arkiv" on a generated PDF's row: a confirmation (it cannot be taken back), then the archiving."""
    project = get_project_for(request.user, project_id)
    document = GeneratedDocument.objects.filter(pk=document_id, project=project).first()
    if document is None or document.kind not in documents.kinds():
        raise Http404
    if not request.user.has_perm(documents.kind(document.kind).view_perm, project):
        raise Http404
    if not request.user.has_perm("archive.send_document", project):
        raise PermissionDenied
    back = _next(request, project.get_absolute_url())
    existing = Archiving.objects.filter(key=Archiving.key_for(document)).first()
    error = ""
    if request.method == "POST":
        sent, error = service_confirmed(
            request,
            lambda: services.archiving_send_by_hand(document=document, by=request.user),
            done=lambda: (
                _("Version %(v)s of %(what)s is queued for the archive.")
                % {"v": document.version, "what": documents.kind(document.kind).label}
            ),
            to=back,
        )
        if sent:
            return sent
    return render(
        request,
        "archive/send.html",
        {
            "project": project,
            "document": document,
            "kind": documents.kind(document.kind),
            "existing": existing,
            "configured": transports.configured(),
            "back": back,
            "error": error,
            "screening": services.screening_for(document.kind),
        },
    )


def _coordinator(request):
    if not request.user.has_perm("archive.manage_archive"):
        raise PermissionDenied


@login_required
def archive_settings(request):
    """The archive's page for coordinators: how it is connected, the screening per kind of document, and the
    archivings that failed, had their receipt refused or still wait."""
    _coordinator(request)
    kinds = sorted(documents.kinds().values(), key=lambda k: str(k.label))
    stored = {s.kind: s for s in Screening.objects.select_related("updated_by")}
    bound_kind = request.POST.get("kind") if request.method == "POST" else None
    forms = []
    for kind in kinds:
        if kind.key == bound_kind:
            form = ScreeningForm(request.POST, prefix=kind.key)
            form.data = form.data.copy()
            form.data[f"{kind.key}-kind"] = kind.key
            if form.is_valid():
                with service_errors(form):
                    services.screening_set(
                        kind=kind.key,
                        code=form.cleaned_data["code"],
                        legal_basis=form.cleaned_data["legal_basis"],
                        by=request.user,
                    )
                    messages.success(request, _("The screening of %(what)s is saved.") % {"what": kind.label})
                    return redirect("archive:settings")
        else:
            current = services.screening_for(kind.key)
            form = ScreeningForm(
                initial={
                    "kind": kind.key,
                    "code": current[0] if current else "",
                    "legal_basis": current[1] if current else "",
                },
                prefix=kind.key,
            )
        forms.append({"kind": kind, "form": form, "stored": stored.get(kind.key)})
    attention = (
        Archiving.objects.filter(Q(state__in=[Archiving.State.FAILED, Archiving.State.QUEUED]) | ~Q(receipt_error=""))
        .select_related("project", "document")
        .order_by("-state", "created_at", "pk")
    )  # failed first ("queued" < "failed" reversed), then the oldest
    page = Paginator(attention, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    for a in page.object_list:
        kind = documents.kinds().get(a.document.kind)
        a.kind_label = kind.label if kind else a.document.kind
    return render(
        request,
        "archive/settings.html",
        {
            "forms": forms,
            "page": page,
            "transport": settings.ARCHIVE_TRANSPORT or "none",
            "directory": settings.ARCHIVE_DIRECTORY,
            "system": settings.ARCHIVE_SYSTEM,
            "part": settings.ARCHIVE_PART,
            "class_system": settings.ARCHIVE_CLASS_SYSTEM,
            "class_value": settings.ARCHIVE_CLASS_VALUE,
            "counts": {state: Archiving.objects.filter(state=state).count() for state in Archiving.State.values},
        },
    )


@login_required
@require_POST
def archiving_resend(request, archiving_id):
    _coordinator(request)
    archiving = get_object_or_404(Archiving, pk=archiving_id)
    try:
        services.archiving_resend(key=archiving.key, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The archiving is queued again."))
    return redirect("archive:settings")
