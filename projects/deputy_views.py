"""A representative's deputy (stedfortreder): named for a period by the representative or a coordinator, on a page
reached from *Medlemmer*. The rules are in `services.deputy_set` and `deputy_end`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import DeputyForm, service_errors
from .models import PARTY_ROLES, Deputy, Membership
from .permissions import get_project_for, is_coordinator


def _may_name(user, membership) -> bool:
    return user.pk == membership.user_id or is_coordinator(user)


@login_required
def deputy(request, project_id, membership_id):
    """The deputies of one representative's role: who, when, and a form to name one."""
    project = get_project_for(request.user, project_id)
    membership = (
        Membership.objects.filter(pk=membership_id, project=project, role__in=PARTY_ROLES)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404
    if not _may_name(request.user, membership):
        raise PermissionDenied
    form = DeputyForm(request.POST or None, query=request.GET.get("q", ""))
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            d = form.cleaned_data
            made = services.deputy_set(
                project=project, principal=membership.user, role=membership.role, deputy=d["deputy"],
                starts=d["starts"], ends=d["ends"], by=request.user,
            )  # fmt: skip
            messages.success(
                request,
                _("%(deputy)s is deputy for %(person)s from %(starts)s to %(ends)s.")
                % {"deputy": made.deputy, "person": membership.user, "starts": made.starts.strftime("%d.%m.%Y"),
                   "ends": made.ends.strftime("%d.%m.%Y")},
            )  # fmt: skip
            return redirect("projects:deputy", project_id=project.pk, membership_id=membership.pk)
    deputies = list(
        Deputy.objects.filter(project=project, principal=membership.user, role=membership.role).select_related("deputy")
    )
    return render(
        request,
        "projects/deputy.html",
        {
            "project": project,
            "membership": membership,
            "form": form,
            "deputies": deputies,
            "today": timezone.localdate(),
            "tab": "members",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def deputy_end(request, project_id, deputy_id):
    project = get_project_for(request.user, project_id)
    deputyship = Deputy.objects.filter(pk=deputy_id, project=project).select_related("deputy", "principal").first()
    if deputyship is None:
        raise Http404
    membership = Membership.objects.filter(project=project, user=deputyship.principal, role=deputyship.role).first()
    if not (request.user.pk == deputyship.principal_id or is_coordinator(request.user)):
        raise PermissionDenied
    try:
        services.deputy_end(deputyship=deputyship, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(deputy)s is no longer deputy.") % {"deputy": deputyship.deputy})
    if membership is None:
        return redirect("projects:members", project_id=project.pk)
    return redirect("projects:deputy", project_id=project.pk, membership_id=membership.pk)
