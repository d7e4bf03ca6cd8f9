from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from projects.forms import form_errors_from, service_errors
from projects.paging import capped_page
from projects.permissions import get_object_for, get_project_for
from projects.selectors import project_members
from projects.uploads import attachment_remove_page, file_download

from . import roles, selectors, services, snapshot
from .forms import MeetingFileForm, MeetingForm, SignedFilterForm, SignOffForm, StepForm, StepSendForm
from .models import Meeting, MeetingAttachment, SignOff, Step


@login_required
def plan(request, project_id):
    project = get_project_for(request.user, project_id)
    members = project_members(project=project)
    participation_plan = roles.participation_plan(members)
    return render(
        request,
        "participation/plan.html",
        {
            "project": project,
            "plan": participation_plan,
            "gaps": roles.gaps(participation_plan),
            "steps": selectors.project_steps(project=project),
            "meetings": selectors.meetings_of(project=project),
            "can_manage": request.user.has_perm("participation.manage_plan", project),
            "tab": "participation",
        },
    )


def _role_list(labels) -> str:
    """["Verneombud", "Tillitsvalgt"] -> "verneombud og tillitsvalgt" (in the reader's language)."""
    names = [str(label).lower() for label in labels]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


DECIDED = {
    SignOff.Decision.APPROVED: gettext_lazy("You approved version %(v)s."),
    SignOff.Decision.REMARKS: gettext_lazy("You approved version %(v)s with remarks."),
    SignOff.Decision.OBJECTION: gettext_lazy("You objected to version %(v)s. Your objection goes into the protocol."),
}


def _step_page(request, project, step_id, *, form=None, status=200, stale=None):
    view = selectors.step_for_page(project=project, step_id=step_id)
    step, user = view.step, request.user
    me = selectors.signer_position(view, user)
    context = {
        "project": project,
        "view": view,
        "step": step,
        "open_roles": me.open_roles,
        "can_sign": me.can_sign,
        "not_sent": me.not_sent,
        "my_decisions": [(s, DECIDED[s.decision] % {"v": s.step_version}) for s in me.decided],
        "can_manage": user.has_perm("participation.manage_plan", project),
        "roles": _role_list(step.required_role_labels()),
        "previous": me.previous,
        "tab": "participation",
        **snapshot.reading(step, project=project, reader=user, signed=me.previous),
    }
    if stale is not None:
        # The person read another version than the one sent now: show what changed since what they read.
        context["stale"] = {"message": stale.messages[0], **snapshot.since_seen(step, stale.seen_hash, project, user)}
    if context["can_manage"]:
        context.update(snapshot.draft_reading(step, project=project, reader=user))
    context["form"] = form or SignOffForm(
        roles=me.open_roles, initial={"content_hash": step.content_hash, "version": step.version}
    )
    return render(request, "participation/step.html", context, status=status)


@login_required
def step_detail(request, project_id, step_id):
    project, step = get_object_for(request.user, project_id, Step.objects.all(), step_id)
    return _step_page(request, project, step.pk)


@login_required
@require_POST
def step_sign(request, project_id, step_id):
    project, step = get_object_for(request.user, project_id, Step.objects.all(), step_id, "participation.sign_step")
    held = selectors.sign_roles_of(request.user, step)
    form = SignOffForm(request.POST, roles=held)
    if form.is_valid():
        data = form.cleaned_data
        try:
            signoff = services.signoff_record(
                step=step,
                by=request.user,
                decision=data["decision"],
                text=data["text"],
                role=data.get("role") or None,
                content_hash=data["content_hash"],
            )
        except services.StaleVersion as exc:
            # Nothing is recorded. The page shows the version sent now, what changed since the one the person
            # read, and keeps their decision and text; they confirm again for the new content.
            step.refresh_from_db()
            kept = SignOffForm(
                roles=held,
                initial={
                    "decision": data["decision"], "text": data["text"], "role": data.get("role"),
                    "content_hash": step.content_hash, "version": step.version,
                },
            )  # fmt: skip
            return _step_page(request, project, step.pk, form=kept, status=409, stale=exc)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, DECIDED[signoff.decision] % {"v": signoff.step_version})
            return redirect("participation:step", project_id=project.pk, step_id=step.pk)
    return _step_page(request, project, step.pk, form=form, status=400)


@login_required
def step_send(request, project_id, step_id):
    """Send the draft for sign-off, after a confirmation that says who is asked and what becomes outdated."""
    project, step = get_object_for(request.user, project_id, Step.objects.all(), step_id)
    if not request.user.has_perm("participation.manage_plan", project):
        raise PermissionDenied
    view = selectors.step_for_page(project=project, step_id=step.pk)
    step = view.step
    current = [s for s in step.signoffs.all() if s.step_version == step.version] if step.is_sent else []
    roles = _role_list(step.required_role_labels())
    form = StepSendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            step = services.step_send(step=step, by=request.user, draft_hash=form.cleaned_data["draft_hash"])
            text = _("Version %(v)s is sent to %(roles)s for sign-off.") % {"v": step.version, "roles": roles}
            if current:
                text += " " + _("The sign-offs of version %(v)s are now outdated.") % {"v": step.version - 1}
            messages.success(request, text)
            return redirect("participation:step", project_id=project.pk, step_id=step.pk)
    draft = services.step_content(step)
    draft_hash = services.content_hash_of(draft)
    form = StepSendForm(initial={"draft_hash": draft_hash}) if not form.is_bound or not form.errors else form
    return render(
        request,
        "participation/step_send.html",
        {
            "project": project,
            "step": step,
            "form": form,
            "roles": roles,
            "next_version": step.version + 1,
            "outdated": current,
            "unchanged": step.is_sent and draft_hash == step.content_hash,
            "changes": (
                snapshot.changes(step.content, draft, project=project, reader=request.user) if step.is_sent else []
            ),
            "draft": None if step.is_sent else snapshot.display(draft, project=project, reader=request.user),
            "tab": "participation",
        },
        status=400 if form.errors else 200,
    )


@login_required
def step_edit(request, project_id, step_id):
    project, step = get_object_for(request.user, project_id, Step.objects.all(), step_id)
    if not request.user.has_perm("participation.manage_plan", project):
        raise PermissionDenied
    form = StepForm(
        request.POST or None,
        project=project,
        initial={"summary": step.summary, "meetings": list(step.meetings.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            step = services.step_update(step=step, by=request.user, **form.cleaned_data)
            if not step.is_sent:
                text = _("The draft is saved. Nobody is asked to sign until you send it for sign-off.")
            elif step.has_unsent_changes:
                text = _(
                    "The draft is saved. The representatives see version %(v)s until you send the changes for sign-off."
                ) % {"v": step.version}
            else:
                text = _("Saved. Nothing differs from version %(v)s, which was sent for sign-off.") % {
                    "v": step.version
                }
            messages.success(request, text)
            return redirect("participation:step", project_id=project.pk, step_id=step.pk)
    return render(
        request,
        "participation/step_edit.html",
        {
            "project": project,
            "step": step,
            "form": form,
            "roles": _role_list(step.required_role_labels()),
            "tab": "participation",
        },
        status=400 if form.errors else 200,
    )


def _meeting_form_page(request, project, meeting=None):
    form = MeetingForm(request.POST or None, instance=meeting, project=project)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with service_errors(form):
            meeting = services.meeting_save(
                project=project,
                by=request.user,
                meeting=meeting,
                participants=data.pop("participants"),
                steps=data.pop("steps"),
                **data,
            )
            messages.success(request, _("The meeting was saved."))
            return redirect("participation:meeting", project_id=project.pk, meeting_id=meeting.pk)
    return render(
        request,
        "participation/meeting_form.html",
        {"project": project, "meeting": meeting, "form": form, "tab": "participation"},
        status=400 if form.errors else 200,
    )


@login_required
def meeting_create(request, project_id):
    project = get_project_for(request.user, project_id, "participation.manage_plan")
    return _meeting_form_page(request, project)


@login_required
def meeting_edit(request, project_id, meeting_id):
    project, meeting = get_object_for(request.user, project_id, Meeting.objects.all(), meeting_id)
    if not request.user.has_perm("participation.manage_plan", project):
        raise PermissionDenied
    return _meeting_form_page(request, project, meeting)


@login_required
def meeting_detail(request, project_id, meeting_id, file_form=None, status=200):
    project, meeting = get_object_for(
        request.user,
        project_id,
        Meeting.objects.prefetch_related("participants", "steps", "attachments__uploaded_by"),
        meeting_id,
    )
    return render(
        request,
        "participation/meeting.html",
        {
            "project": project,
            "meeting": meeting,
            "file_form": file_form or MeetingFileForm(),
            "can_manage": request.user.has_perm("participation.manage_plan", project),
            "tab": "participation",
        },
        status=status,
    )


@login_required
@require_POST
def meeting_attachment(request, project_id, meeting_id):
    project, meeting = get_object_for(request.user, project_id, Meeting.objects.all(), meeting_id)
    if not request.user.has_perm("participation.manage_plan", project):
        raise PermissionDenied
    form = MeetingFileForm(request.POST, request.FILES)
    if form.is_valid():
        with service_errors(form):
            services.meeting_attachment_add(meeting=meeting, by=request.user, upload=form.cleaned_data["file"])
            messages.success(request, _("The file was attached."))
            return redirect("participation:meeting", project_id=project.pk, meeting_id=meeting.pk)
    return meeting_detail(request, project_id, meeting_id, file_form=form, status=400)


@login_required
def meeting_file(request, project_id, file_id):
    project = get_project_for(request.user, project_id)
    try:
        attachment = MeetingAttachment.objects.get(pk=file_id, meeting__project=project)
    except MeetingAttachment.DoesNotExist:
        raise Http404 from None
    return file_download(attachment.file, attachment.original_name, attachment.content_type)


@login_required
def meeting_file_remove(request, project_id, file_id):
    project = get_project_for(request.user, project_id, "participation.manage_plan")
    try:
        attachment = MeetingAttachment.objects.select_related("meeting").get(pk=file_id, meeting__project=project)
    except MeetingAttachment.DoesNotExist:
        raise Http404 from None
    return attachment_remove_page(
        request, project=project, attachment=attachment, tab="participation",
        back=reverse("participation:meeting", args=[project.pk, attachment.meeting_id]),
        remove=lambda: services.meeting_attachment_remove(attachment=attachment, by=request.user),
    )  # fmt: skip


def _query_without(request, name, **shown):
    """The page's query without `name`; a parameter in `shown` that the query has is replaced by what the page
    shows (a page number typed past the end becomes the page shown)."""
    params = request.GET.copy()
    params.pop(name, None)
    for other, value in shown.items():
        if other in params:
            params[other] = value
    return params.urlencode()


def _page_of(total, number, per_page):
    """A page of `total` rows numbered as `Paginator.get_page` numbers it (a number past the end gives the last
    page), without its rows: the caller reads them and sets `object_list`."""
    return Paginator(range(total), per_page).get_page(number)


# What a person signed is counted up to this many steps; beyond it the list says "more than 1 000" and pages on
# without a total (projects.paging): a representative in 20 000 projects has some 90 000 decisions.
SIGNED_COUNTED = 1000


@login_required
def inbox(request):
    """*Til godkjenning*: the steps waiting for my sign-off (oldest first) and what I signed (newest first, to
    filter by project and decision), each paged at 50 in the database. No signed content is read and no
    difference computed: the step page shows what changed since I signed."""
    total = selectors.waiting_count_of_viewer(request.user) or 0
    waiting = _page_of(total, request.GET.get("page"), settings.PAGINATE_BY)
    roles = selectors.signing_roles_of_viewer(request.user)
    offset = (waiting.number - 1) * settings.PAGINATE_BY
    ids = [pk for pk, _sent in selectors.waiting_page(user=request.user, roles=roles, offset=offset)]
    steps = Step.objects.filter(pk__in=ids).select_related("project", "activity__phase")
    steps = steps.defer("summary", "content", "description_nb", "description_en").order_by("version_at", "id")
    waiting.object_list = selectors.waiting_entries(steps, user=request.user)
    form = SignedFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    signed_rows = selectors.signed_by(
        user=request.user, roles=roles, project=filters.get("project", ""), decision=filters.get("decision", "")
    )
    signed = capped_page(signed_rows, request.GET.get("signed_page"), per_page=settings.PAGINATE_BY, cap=SIGNED_COUNTED)
    return render(
        request,
        "participation/inbox.html",
        {
            "waiting": waiting,
            "signed": signed,
            "form": form,
            "filtered": bool(filters.get("project") or filters.get("decision")),
            # the signed list's page as shown: a number typed past its end is not counted again on every click
            "waiting_query": _query_without(request, "page", signed_page=signed.number),
            "amu": selectors.amu_treatments_coming(user=request.user, today=timezone.localdate()),
            "signed_query": _query_without(request, "signed_page"),
        },
    )
