import gzip

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import calendars, documents, extensions, outbox, selectors, services
from .forms import (
    EmailPreferencesForm,
    MemberAddForm,
    MemberInviteForm,
    MemberRoleForm,
    ProjectCreateForm,
    ProjectEditForm,
    UserSettingsForm,
    service_confirmed,
    service_errors,
)
from .history import history_page
from .models import (
    EMPLOYER_ROLES,
    PARTY_ROLES,
    CalendarFeed,
    Deputy,
    FileImport,
    GeneratedDocument,
    Membership,
    Notification,
    PersonalDataExport,
    Project,
    Role,
)
from .permissions import get_project_for, is_coordinator, is_hr, prime_project_roles
from .uploads import file_download

# People holding one of these roles land on their projects or approvals, not on My tasks.
LEADING_ROLES = EMPLOYER_ROLES | PARTY_ROLES


@login_required
def home(request):
    """Each person's landing page (UX.md): the first app that claims them (representatives' approvals, say);
    else a working-group member lands on the items assigned to them (*Mine oppgaver*); else *Mine prosjekter*."""
    for landing in extensions.get("landing_page"):
        url = landing(request.user)
        if url:
            return redirect(url)
    user = request.user
    roles = set(user.memberships.values_list("role", flat=True))
    if Role.MEMBER in roles and not roles & LEADING_ROLES and not (is_coordinator(user) or is_hr(user)):
        return redirect("tasks")
    return redirect("projects:mine")


@login_required
def my_projects(request):
    projects = selectors.projects_for_member(user=request.user)
    page = Paginator(projects, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    selectors.decorate_with_move_in_deadline(page.object_list, today=timezone.localdate())
    for decorate in extensions.get("project_list_decorator"):
        decorate(page.object_list, request.user)
    return render(
        request,
        "projects/my_projects.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "can_create": request.user.has_perm("projects.add_project"),
        },
    )


@login_required
def project_create(request):
    if not request.user.has_perm("projects.add_project"):
        raise PermissionDenied
    can_name_owner = is_coordinator(request.user)
    if request.method == "POST" and "owner_search" not in request.POST:
        form = ProjectCreateForm(request.POST, user=request.user, can_name_owner=can_name_owner)
    else:  # the page, or the owner search (htmx asks with GET; without JavaScript the form posts what is typed)
        typed = {**request.POST.dict(), "units": request.POST.getlist("units")} if request.method == "POST" else {}
        typed["owner_q"] = request.POST.get("owner_q") or request.GET.get("owner_q", "")
        form = ProjectCreateForm(initial=typed, user=request.user, can_name_owner=can_name_owner)
    if request.method == "POST" and form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        units = data.pop("units")
        owner = data.pop("owner", None)
        data.pop("owner_q", None)
        options = {f.name: data.pop(f.name) for f in extensions.get("project_create_field") if f.name in data}
        with service_errors(form):
            project = services.project_create(by=request.user, owner=owner, units=units, options=options, **data)
            messages.success(request, _("The project “%(name)s” was created.") % {"name": project.name})
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "title": _("New project")})


@login_required
def project_detail(request, project_id):
    project = get_project_for(request.user, project_id)
    selectors.start_page_memo(project)  # the panels read steps, sign-offs and members once
    members = selectors.project_members(project=project)
    prime_project_roles(request.user, project, [m.role for m in members if m.user_id == request.user.pk])
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "people": selectors.members_by_person(members),
            "units": selectors.project_units(project=project),
            "recent": history_page(project, 5).object_list,
            "panels": [p for p in (panel(request, project) for panel in extensions.get("project_overview_panel")) if p],
            "tab": "overview",
        },
    )


@login_required
def project_edit(request, project_id):
    project = get_project_for(request.user, project_id, "projects.change_project")
    form = ProjectEditForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "units"}
        with service_errors(form):
            services.project_update(project=project, by=request.user, units=form.cleaned_data["units"], **data)
            messages.success(request, _("The changes were saved."))
            return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project, "title": _("Edit project"), "submit_label": _("Save changes")},
    )


def _members_page(request, project, *, add_form=None, invite_form=None, status=200):
    members = selectors.project_members(project=project)
    deputies = {}
    for d in Deputy.objects.filter(project=project, ends__gte=timezone.localdate()).select_related("deputy"):
        deputies.setdefault((d.principal_id, d.role), []).append(d)
    coordinator = is_coordinator(request.user)
    for m in members:  # a representative's deputies, and whether this reader may name one
        m.deputyships = deputies.get((m.user_id, m.role), [])
        m.may_name_deputy = m.role in PARTY_ROLES and (coordinator or m.user_id == request.user.pk)
    return render(
        request,
        "projects/members.html",
        {
            "project": project,
            "people": selectors.members_by_person(members),
            "add_form": add_form or MemberAddForm(query=request.GET.get("q", "")),
            "invite_form": invite_form or MemberInviteForm(),
            "can_manage": request.user.has_perm("projects.manage_members", project),
            "tab": "members",
        },
        status=status,
    )


@login_required
def members(request, project_id):
    project = get_project_for(request.user, project_id)
    return _members_page(request, project)


@login_required
def member_add(request, project_id):
    project = get_project_for(request.user, project_id, "projects.manage_members")
    if request.method != "POST":
        return redirect("projects:members", project_id=project.pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            membership = services.membership_add(
                project=project,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
            messages.success(
                request,
                _("%(person)s was added as %(role)s.")
                % {"person": membership.user, "role": membership.get_role_display().lower()},
            )
            return redirect("projects:members", project_id=project.pk)
    return _members_page(request, project, add_form=form, status=400)


@login_required
def member_invite(request, project_id):
    project = get_project_for(request.user, project_id, "projects.manage_members")
    if request.method != "POST":
        return redirect("projects:members", project_id=project.pk)
    form = MemberInviteForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            membership = services.membership_invite(project=project, by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _(
                    "%(email)s now has the role %(role)s. The invitation is on its way by e-mail; "
                    "it may take a few minutes."
                )
                % {"email": membership.user.email, "role": membership.get_role_display().lower()},
            )
            return redirect("projects:members", project_id=project.pk)
    return _members_page(request, project, invite_form=form, status=400)


def _membership_for(request, project_id, membership_id):
    project = get_project_for(request.user, project_id, "projects.manage_members")
    membership = get_object_or_404(
        Membership.objects.select_related("user", "project"), pk=membership_id, project=project
    )
    return project, membership


@login_required
def member_change_role(request, project_id, membership_id):
    project, membership = _membership_for(request, project_id, membership_id)
    form = MemberRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
            messages.success(request, _("The role was changed."))
            return redirect("projects:members", project_id=project.pk)
    return render(
        request,
        "projects/member_role.html",
        {"project": project, "membership": membership, "form": form, "tab": "members"},
        status=400 if form.errors else 200,
    )


@login_required
def member_remove(request, project_id, membership_id):
    project, membership = _membership_for(request, project_id, membership_id)
    error = None
    if request.method == "POST":
        removed, error = service_confirmed(
            request,
            lambda: services.membership_remove(membership=membership, by=request.user),
            done=lambda: (
                _("%(person)s no longer has the role %(role)s.")
                % {"person": membership.user, "role": membership.get_role_display().lower()}
            ),
            to=reverse("projects:members", args=[project.pk]),
        )
        if removed:
            return removed
    return render(
        request,
        "projects/member_remove.html",
        {"project": project, "membership": membership, "error": error, "tab": "members"},
        status=400 if error else 200,
    )


@login_required
def history(request, project_id):
    project = get_project_for(request.user, project_id, "projects.view_history")
    page = history_page(
        project,
        settings.PAGINATE_BY,
        older=request.GET.get("older"),
        newer=request.GET.get("newer"),
        number=request.GET.get("page"),
    )
    return render(request, "projects/history.html", {"project": project, "page": page, "tab": "history"})


def set_language_cookie(response, language):
    """The language cookie with Django's LANGUAGE_COOKIE_* settings (Secure in production)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
def user_settings(request):
    form = UserSettingsForm(request.POST or None, instance=request.user)
    email_form = EmailPreferencesForm(request.POST or None, user=request.user, prefix="email")
    if request.method == "POST" and form.is_valid() and email_form.is_valid():
        user = services.user_update_settings(user=request.user, **form.cleaned_data)
        services.email_preferences_set(user=user, enabled_kinds=email_form.cleaned_data["kinds"])
        messages.success(request, _("Your settings were saved."))
        return set_language_cookie(redirect("settings"), user.preferred_language)
    return render(request, "projects/settings.html", {"form": form, "email_form": email_form})


@require_POST
def set_language(request):
    """Switch the interface language, remember it for the user, and go back to where they were."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        set_language_cookie(response, language)
        if request.user.is_authenticated and request.user.preferred_language != language:
            services.user_update_settings(
                user=request.user,
                full_name=request.user.full_name,
                phone=request.user.phone,
                preferred_language=language,
            )
    return response


def _back_to_next(request, project):
    """After a button on a fragment without htmx: back to the page it was on (`next`), else the project."""
    nxt = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(nxt)
    return redirect("projects:detail", project_id=project.pk)


def _document_for(request, project_id, document_id):
    """A generated document the user may see (404 otherwise, as for its project)."""
    project = get_project_for(request.user, project_id)
    document = GeneratedDocument.objects.filter(pk=document_id, project=project).select_related("requested_by").first()
    if document is None or document.kind not in documents.kinds():
        raise Http404
    if not request.user.has_perm(documents.kind(document.kind).view_perm, project):
        raise Http404
    return project, document


@login_required
@require_POST
def document_request(request, project_id, kind):
    project = get_project_for(request.user, project_id)
    if kind not in documents.kinds() or not request.user.has_perm(documents.kind(kind).view_perm, project):
        raise Http404
    exists = documents.kind(kind).exists
    if exists is not None and not exists(project):
        raise Http404  # nothing to print: no row, no job
    try:
        document = services.document_request(project=project, kind=kind, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        document = None
    done = None
    if document is not None:
        done = _("Version %(v)s of %(what)s is being generated. It appears below when it is ready.") % {
            "v": document.version,
            "what": documents.kind(kind).label,
        }
    return _documents_answer(request, project, kind, done)


@login_required
@require_POST
def document_retry(request, project_id, document_id):
    """Try a late or failed version again (the button on the polling list)."""
    project, document = _document_for(request, project_id, document_id)
    try:
        services.document_retry(document=document, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _documents_answer(
        request, project, document.kind, _("Version %(v)s is being generated again.") % {"v": document.version}
    )


def _documents_answer(request, project, kind, done):
    """After asking for a version: the list again for htmx; otherwise `done` (if any) and back where one was."""
    if request.htmx:
        return render(request, "projects/_documents.html", _documents_context(request, project, kind))
    if done is not None:
        messages.info(request, done)
    return _back_to_next(request, project)


def _documents_context(request, project, kind):
    docs = list(GeneratedDocument.objects.filter(project=project, kind=kind).select_related("requested_by"))
    documents.mark_late(docs)
    polling = any(d.in_progress for d in docs)
    for d in docs:
        d.row_parts = []
    for fn in extensions.get("document_row"):  # what other apps show on a version's row (in bulk)
        found = fn(request, project, docs) or {}
        for d in docs:
            d.row_parts += found.get("rows", {}).get(d.pk, [])
        polling = polling or found.get("polling", False)
    return {
        "project": project,
        "kind": documents.kind(kind),
        "documents": docs,
        "polling": polling,
        "late": any(d.late for d in docs),
        "can_request": request.user.has_perm(documents.kind(kind).request_perm, project),
        "next": request.POST.get("next") or request.GET.get("next") or request.get_full_path(),
    }


@login_required
def document_list(request, project_id, kind):
    """The versions of one kind of document (the fragment a page includes, and what htmx polls)."""
    project = get_project_for(request.user, project_id)
    if kind not in documents.kinds() or not request.user.has_perm(documents.kind(kind).view_perm, project):
        raise Http404
    return render(request, "projects/_documents.html", _documents_context(request, project, kind))


@login_required
def document_download(request, project_id, document_id):
    _project, document = _document_for(request, project_id, document_id)
    if not document.is_done:
        raise Http404
    name = f"{documents.kind(document.kind).filename}-v{document.version}.pdf"
    return file_download(document.file, name, "application/pdf", inline=True)


def _file_import_for(request, project_id, import_id):
    """An import the user may follow: who may import there (HR, who reaches a project through its own pages, too);
    otherwise 404 unless they see its project, and 403 if they do."""
    from . import imports

    file_import = FileImport.objects.filter(pk=import_id, project_id=project_id).select_related("project").first()
    if file_import is None or file_import.kind not in imports.importers():
        get_project_for(request.user, project_id)  # 404 for a project they may not see, as before
        raise Http404
    if request.user.has_perm(imports.importer(file_import.kind).perm, file_import.project):
        return file_import.project, file_import
    get_project_for(request.user, project_id)
    raise PermissionDenied


@login_required
def file_import(request, project_id, import_id):
    """An import's progress or outcome (the fragment its page includes, and what htmx polls)."""
    _project, file_import = _file_import_for(request, project_id, import_id)
    nxt = request.GET.get("next") or request.get_full_path()
    context = selectors.file_import_status(file_import=file_import, user=request.user, next_url=nxt)
    return render(request, "projects/_import.html", context)


@login_required
@require_POST
def file_import_retry(request, project_id, import_id):
    """Try a late or failed import again (the button on the polling fragment)."""
    project, file_import = _file_import_for(request, project_id, import_id)
    try:
        services.file_import_retry(file_import=file_import, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    nxt = request.POST.get("next", "")
    if request.htmx:
        file_import.refresh_from_db()
        context = selectors.file_import_status(file_import=file_import, user=request.user, next_url=nxt)
        return render(request, "projects/_import.html", context)
    return _back_to_next(request, project)


def accessibility(request):
    """The accessibility statement (tilgjengelighetserklæring), public, linked from every page's footer."""
    return render(
        request,
        "pages/accessibility.html",
        {"contact": settings.CONTACT_EMAIL, "reviewed": settings.ACCESSIBILITY_REVIEWED},
    )


def privacy(request):
    """What personal data the service keeps, why, for how long, and how to see or correct it."""
    return render(request, "pages/privacy.html", {"contact": settings.CONTACT_EMAIL, "years": settings.RETENTION_YEARS})


@login_required
def my_data(request):
    """Your data: ask for a file of everything the service keeps that points to you. The worker makes it; this
    page (polling while it is made) and a notification say when it is ready, with its download link."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    if request.method == "POST":
        services.personal_data_export_request(by=request.user)
        if not request.htmx:
            return redirect("my_data")
    exports = list(PersonalDataExport.objects.filter(user=request.user)[:5])
    for export in exports:
        export.late = export.in_progress and outbox.is_late(export.requested_at)
    context = {
        "exports": exports,
        "polling": any(e.in_progress for e in exports),
        "late": any(e.late for e in exports),
    }
    return render(request, "projects/_my_data.html" if request.htmx else "projects/my_data.html", context)


@login_required
def my_data_download(request, export_id):
    """The file of one's own data; anybody else's is not found (404), as is one not made yet."""
    export = PersonalDataExport.objects.filter(
        pk=export_id, user=request.user, status=PersonalDataExport.Status.DONE
    ).first()
    if export is None:
        raise Http404
    stamp = timezone.localdate(export.generated_at).isoformat()
    return file_download(export.file, f"prosessguiden-{stamp}.json", "application/json; charset=utf-8")


# Notifications ----------------------------------------------------------------------------------------------


@login_required
def notifications(request):
    page = Paginator(selectors.notifications_for(user=request.user), settings.PAGINATE_BY).get_page(
        request.GET.get("page")
    )
    return render(request, "projects/notifications.html", {"page": page, "today": timezone.localdate()})


def _own_notification(request, notification_id):
    return get_object_or_404(Notification, pk=notification_id, recipient=request.user)


@login_required
def notification_open(request, notification_id):
    """Follow a notification to its page, marking it read on the way."""
    notification = services.notification_mark_read(
        notification=_own_notification(request, notification_id), by=request.user
    )
    target = notification.url or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notification_read(request, notification_id):
    notification = services.notification_mark_read(
        notification=_own_notification(request, notification_id), by=request.user
    )
    if request.htmx:
        return render(request, "projects/_notification.html", {"n": notification, "today": timezone.localdate()})
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
        % {"count": count},
    )
    return redirect("notifications")


@login_required
def my_tasks(request):
    today = timezone.localdate()
    rows = selectors.my_tasks(user=request.user, today=today)
    page = Paginator(rows, settings.PAGINATE_BY).get_page(request.GET.get("page"))
    return render(request, "projects/my_tasks.html", {"page": page, "today": today, "overdue": rows.overdue})


# Calendars --------------------------------------------------------------------------------------------------


@login_required
def calendar(request):
    feed = services.calendar_feed_for(user=request.user)
    base = settings.SITE_URL  # the public address, whichever host name the page was opened with
    # One address per project (a representative may have 2 000): the route reversed once, each id put in its place.
    stem = base + reverse("calendar_project_feed", args=[feed.token, 0]).removesuffix("0.ics")
    # The per-project addresses a page at a time: the page does not grow with a person's reach (issue 30).
    page = Paginator(selectors.project_names_for_member(user=request.user), settings.PAGINATE_BY).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "projects/calendar.html",
        {
            "personal_url": base + reverse("calendar_feed", args=[feed.token]),
            "project_urls": [(str(pk), name, f"{stem}{pk}.ics") for pk, name in page.object_list],
            "page": page,
            "feed": feed,
            "window_before": calendars.WINDOW_BEFORE.days,
            "window_after": calendars.WINDOW_AFTER.days,
        },
    )


@login_required
def calendar_regenerate(request):
    """Confirm, then give the person a new secret address; the old one stops working."""
    if request.method == "POST":
        services.calendar_feed_regenerate(user=request.user)
        messages.success(request, _("You have a new calendar address. The old one no longer works."))
        return redirect("calendar")
    return render(request, "projects/calendar_regenerate.html")


def _feed_user(token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404
    return feed.user


def _ical_response(request, projects, user, name):
    """The feed, compressed, from the cache when nothing it shows has changed; 304 to a calendar that already
    has this version (ETag). `?all=1` gives every dated thing instead of what is open around today."""
    everything = request.GET.get("all") == "1"
    version, body = calendars.feed_gzip(
        user=user, projects=projects, name=name, everything=everything, today=timezone.localdate()
    )
    etag = f'"{version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding"
    response["Content-Disposition"] = 'inline; filename="prosessguiden.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def calendar_feed(request, token):
    """The personal feed: dated things of every project where the token's owner has a role. No log-in: the
    secret address is the key, and a wrong or revoked one gets 404."""
    user = _feed_user(token)
    # What the feed's events show of a project (its name, its own dates); the rest of 20 000 rows is not read.
    projects = selectors.projects_for_member(user=user).prefetch_related(None).order_by("name")
    projects = projects.only("id", "name", "planned_move_in", "actual_move_in")
    return _ical_response(
        request, projects, user, _("Prosessguiden: %(name)s") % {"name": user.full_name or user.email}
    )


def calendar_project_feed(request, token, project_id):
    user = _feed_user(token)
    project = Project.objects.filter(pk=project_id).first()
    if project is None or not user.has_perm("projects.view_project", project):
        raise Http404
    return _ical_response(request, [project], user, _("Prosessguiden: %(name)s") % {"name": project.name})
