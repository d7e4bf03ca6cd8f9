"""How the register plugs in: the project's tab, the overview's card of shared lessons for the phase the
project is in, the project's history, the demo. The register itself is linked from the tab, the toolbox's page
and Oversikt (no top-bar entry of its own: the bar is full)."""

from django.utils.translation import gettext_lazy as _

from projects import extensions
from projects.history import HistorySource, history_of

extensions.register("project_tab", extensions.Tab("lessons", _("Lessons"), "lessons:project", 85))


@extensions.register("project_overview_panel", order=40)
def _shared_lessons_panel(request, project):
    """The owner (and everyone on the project) sees what earlier projects learnt in the phase this one is in."""
    from .selectors import shared_for_current_phase

    lessons = shared_for_current_phase(project=project, limit=3)
    if not lessons:
        return None
    return {"template": "lessons/_overview_panel.html", "lessons": lessons, "phase_name": lessons[0].phase_name}


def _history_rows(project):
    from .models import Lesson

    return history_of(Lesson).filter(project_id=project.pk).select_related("history_user")


extensions.register(
    "history_source",
    HistorySource(_history_rows, lambda r: str(_("Lesson learned: %(text)s") % {"text": r.next_time[:60]})),
)


@extensions.register("demo_seeder", order=96)
def _seed_demo_lessons(projects, users):
    from .demo import seed_lessons

    seed_lessons(projects, users)
