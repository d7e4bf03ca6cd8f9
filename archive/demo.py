"""Demo data (`seed_demo`): at least one archiving of each kind the events send, so that `archive_send` with a
transport has something of every kind to send. Phases completed by the demo already queue their protocols."""

from projects.models import Role

from . import services
from .models import Archiving

CASES = ("2024/0900", "2025/1500", "2025/2040", "2026/1002", "2026/1001")


def seed(projects, users):
    have = set(Archiving.objects.values_list("document__kind", flat=True))
    for trigger, kind in services.EVENT_KINDS.items():
        if kind in have:
            continue
        for case in CASES:
            project = projects.get(case)
            if project is None:
                continue
            if not services.renderable(project, kind):
                continue
            owner = project.memberships.filter(role=Role.OWNER).select_related("user").first()
            if owner is None:
                continue
            services.archive_event(project=project, trigger=trigger, by=owner.user)
            break
