"""The core's own hook entries: the history of the project's own rows, and projects without an owner in the
coordinators' queue."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import calendars, extensions, jobs  # noqa: F401  (jobs: the core's kinds of deferred work, outbox_handler entries)
from .history import HistorySource, document_label, document_rows, membership_rows, project_rows, unit_rows
from .models import Membership, Project, Role

calendars.watch(Project, lambda project: project.pk)  # its name and move-in dates

extensions.register("history_source", HistorySource(project_rows, lambda r: str(_("Project"))))
extensions.register(
    "history_source", HistorySource(membership_rows, lambda r: str(_("Member: %(person)s") % {"person": r.user}))
)
extensions.register("history_source", HistorySource(unit_rows, lambda r: str(_("Unit: %(unit)s") % {"unit": r.unit})))
extensions.register("history_source", HistorySource(document_rows, document_label, show_created=False))


def _ownerless():
    """Active projects where nobody holds the owner's role (the owner left, say): a coordinator appoints one."""
    owners = Membership.objects.filter(project=OuterRef("pk"), role=Role.OWNER)
    return Project.objects.filter(status=Project.Status.ACTIVE).exclude(Exists(owners))


def _ownerless_rows(limit):
    return [
        extensions.QueueRow(
            title=str(_("No one holds the owner's role")),
            project=project,
            since=timezone.localdate(project.created_at),
            url=reverse("projects:members", args=[project.pk]),
            action=_("Appoint an owner"),
        )
        for project in _ownerless().order_by("created_at", "pk")[:limit]
    ]


extensions.register(
    "coordinator_queue",
    extensions.QueueSource("ownerless", _("Projects without an owner"), 30, _ownerless, _ownerless_rows),
)
