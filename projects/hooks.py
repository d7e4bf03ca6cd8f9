"""The core's own hook entries: the coordinators' overview in the top bar and where they land, and the history
of the project's own rows."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import calendars, extensions
from .history import HistorySource, document_label, document_rows, membership_rows, project_rows, unit_rows
from .models import Project

calendars.watch(Project, lambda project: project.pk)  # its name and move-in dates


@extensions.register("nav_item", order=10)
def _overview_link(request):
    if not request.user.has_perm("projects.view_dashboard"):
        return None
    match = request.resolver_match
    return {
        "label": _("Overview"),
        "url": reverse("projects:dashboard"),
        "active": match is not None and match.view_name.startswith("projects:dashboard"),
    }


@extensions.register("landing_page", order=10)
def _coordinators_land_on_the_overview(user):
    """Coordinators start on *Oversikt*, the overview of every project."""
    return reverse("projects:dashboard") if user.has_perm("projects.view_dashboard") else None


extensions.register("history_source", HistorySource(project_rows, lambda r: str(_("Project"))))
extensions.register(
    "history_source", HistorySource(membership_rows, lambda r: str(_("Member: %(person)s") % {"person": r.user}))
)
extensions.register("history_source", HistorySource(unit_rows, lambda r: str(_("Unit: %(unit)s") % {"unit": r.unit})))
extensions.register("history_source", HistorySource(document_rows, document_label, show_created=False))
