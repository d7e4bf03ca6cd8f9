"""The overview in the top bar, and where coordinators land."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects import extensions
from projects.permissions import is_staff

from .selectors import queue_count


@extensions.register("nav_item", order=10)
def _overview_link(request):
    if not request.user.has_perm("projects.view_dashboard"):
        return None
    match = request.resolver_match
    return {
        "label": _("Overview"),
        "url": reverse("dashboard:overview"),
        "count": queue_count(request),  # what waits for a coordinator (one query, or none on the overview)
        "count_label": _("waiting for a coordinator"),
        "active": match is not None and match.view_name.startswith("dashboard:"),
    }


@extensions.register("landing_page", order=10)
def _coordinators_land_on_the_overview(user):
    """Coordinators start on *Oversikt*, the overview of every project."""
    return reverse("dashboard:overview") if user.has_perm("projects.view_dashboard") else None


@extensions.register("nav_item", order=60)
def _system_link(request):
    # The rule behind projects.view_system, asked directly: `has_perm` would, for everybody it refuses (every
    # coordinator), go on to Django's model permissions and read the person's and their groups' (two queries
    # on every page); no model permission carries this name, so the answer is the same.
    if not is_staff(request.user):
        return None
    match = request.resolver_match
    return {"label": _("System"), "url": reverse("system"), "active": match is not None and match.url_name == "system"}


@extensions.register("landing_page", order=40)
def _administrators_land_on_the_system_page(user):
    """An administrator with no project role and no other global role starts on the system page, not on an
    empty *Mine prosjekter* that offers to create a project."""
    if is_staff(user) and not user.memberships.exists():  # projects.view_system's rule (see _system_link)
        return reverse("system")
    return None
