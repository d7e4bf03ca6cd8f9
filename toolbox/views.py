"""The toolbox pages: the list with its search (everybody signed in), an entry's form and its removal
(coordinators), an entry's file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from projects.forms import service_errors
from projects.uploads import file_download

from . import selectors, services
from .forms import EntryForm, SearchForm
from .models import Entry, EntryFile

PAGE_SIZE = 50


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
def entry_list(request):
    _require(request, "toolbox.view_toolbox")
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.entries_matching(
        query=filters.get("q", ""), kind=filters.get("kind", ""), language=filters.get("language", "")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = selectors.placement_labels()
    for entry in page.object_list:
        entry.places = [
            labels.get(f"{p.template_key}:{p.activity_key}", p.activity_key) for p in entry.placements.all()
        ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "toolbox/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searched": bool(filters.get("q") or filters.get("kind") or filters.get("language")),
            "can_manage": request.user.has_perm("toolbox.manage_toolbox"),
        },
    )


@login_required
def entry_edit(request, entry_id=None):
    _require(request, "toolbox.manage_toolbox")
    entry = get_object_or_404(Entry, pk=entry_id) if entry_id else None
    form = EntryForm(request.POST or None, request.FILES or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with service_errors(form):
            saved = services.entry_save(
                by=request.user,
                entry=entry,
                activities=data.pop("activities"),
                upload=data.pop("file", None) or None,
                remove_file=data.pop("remove_file", False),
                **data,
            )
            messages.success(request, _("“%(title)s” is saved in the toolbox.") % {"title": saved.title})
            return redirect(reverse("toolbox:list"))
    return render(
        request,
        "toolbox/form.html",
        {"form": form, "entry": entry, "title": _("Edit the entry") if entry else _("New toolbox entry")},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def entry_delete(request, entry_id):
    _require(request, "toolbox.manage_toolbox")
    entry = get_object_or_404(Entry, pk=entry_id)
    if request.method == "POST":
        services.entry_delete(entry=entry, by=request.user)
        messages.success(request, _("“%(title)s” was removed from the toolbox.") % {"title": entry.title})
        return redirect("toolbox:list")
    return render(request, "toolbox/delete.html", {"entry": entry})


@login_required
def entry_file(request, entry_id):
    _require(request, "toolbox.view_toolbox")
    attachment = EntryFile.objects.filter(entry_id=entry_id).first()
    if attachment is None:
        raise Http404
    return file_download(attachment.file, attachment.original_name, attachment.content_type)
