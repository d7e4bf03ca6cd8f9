"""The core's own hook entries: the history of the project's own rows."""

from django.utils.translation import gettext_lazy as _

from . import calendars, extensions, jobs  # noqa: F401  (jobs: the core's kinds of deferred work, outbox_handler entries)
from .history import HistorySource, document_label, document_rows, membership_rows, project_rows, unit_rows
from .models import Project

calendars.watch(Project, lambda project: project.pk)  # its name and move-in dates

extensions.register("history_source", HistorySource(project_rows, lambda r: str(_("Project"))))
extensions.register(
    "history_source", HistorySource(membership_rows, lambda r: str(_("Member: %(person)s") % {"person": r.user}))
)
extensions.register("history_source", HistorySource(unit_rows, lambda r: str(_("Unit: %(unit)s") % {"unit": r.unit})))
extensions.register("history_source", HistorySource(document_rows, document_label, show_created=False))
