"""How surveys plug into the apps below it: the tab, the outbox jobs, demo data."""

from django.utils.translation import gettext_lazy as _

from projects import extensions

from . import jobs, step_content  # noqa: F401 (the outbox handlers; a comment round in its participation step)

extensions.register(
    "project_tab",
    extensions.Tab("surveys", _("Surveys"), "surveys:index", 38, perm="surveys.view_surveys"),
)


@extensions.register("demo_seeder", order=40)
def _seed_demo(projects, users):
    from . import demo

    demo.seed(projects, users)


@extensions.register("retention_task")
def _close_due(dry_run=False):
    """Surveys and comment rounds past their closing date are closed and their address lists deleted."""
    from django.utils import timezone

    from .models import CommentRound, Survey
    from .services import surveys_close_due

    today = timezone.localdate()
    if dry_run:
        n = Survey.objects.filter(state=Survey.State.RUNNING, closes_on__lt=today).count()
        n += CommentRound.objects.filter(state=CommentRound.State.OPEN, closes_on__lt=today).count()
        return [f"would close {n} survey(s) and comment round(s) and delete their address lists"]
    return [f"closed {surveys_close_due(today=today)} survey(s) and comment round(s); their address lists are deleted"]
