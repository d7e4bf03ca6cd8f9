"""How the toolbox plugs in: the top bar's entry and the activity page's card of entries."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects import extensions


@extensions.register("nav_item", order=40)
def _toolbox_link(request):
    # A coordinator's top bar is full (it would scroll sideways at 1280 px): they open it from Oversikt's header.
    if not request.user.has_perm("toolbox.view_toolbox") or request.user.has_perm("toolbox.manage_toolbox"):
        return None
    return {
        "label": _("Toolbox"),
        "url": reverse("toolbox:list"),
        "active": request.resolver_match is not None and request.resolver_match.view_name.startswith("toolbox:"),
    }


@extensions.register("activity_panel", order=30)
def _activity_entries(project, activity):
    """The activity page's card: what the toolbox holds for this activity of the project's template."""
    from .selectors import entries_for_activity

    entries = entries_for_activity(project=project, activity=activity)
    if not entries:
        return None
    return {"template": "toolbox/_activity_panel.html", "entries": entries}


@extensions.register("demo_seeder", order=95)
def _seed_demo_toolbox(projects, users):
    from .demo import seed_toolbox

    seed_toolbox(users)
