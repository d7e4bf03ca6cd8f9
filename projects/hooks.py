"""The core's own entries at the extension points: the coordinators' overview in the top bar."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import extensions


@extensions.nav_item(10)
def _overview_link(request):
    if not request.user.has_perm("projects.view_dashboard"):
        return None
    match = request.resolver_match
    return {
        "label": _("Overview"),
        "url": reverse("projects:dashboard"),
        "active": match is not None and match.view_name.startswith("projects:dashboard"),
    }


@extensions.landing_page(10)
def _coordinators_land_on_the_overview(user):
    """Coordinators start on *Oversikt*, the overview of every project."""
    return reverse("projects:dashboard") if user.has_perm("projects.view_dashboard") else None
