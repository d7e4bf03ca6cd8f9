"""Store the coordinators' rollups again (every app's, `projects.extensions.rollups_refresh`).

    python manage.py refresh_rollups [PROJECT_ID …]

The services keep the rollups in step and the migrations that add them fill them in; run this after rows were
written behind the services (a repair in the database shell, a bulk import), for the projects given or all.
"""

from django.core.management.base import BaseCommand

from projects.extensions import rollups_refresh
from projects.models import Project

BATCH = 500


class Command(BaseCommand):
    help = "Recompute the rollups of the given projects, or of every project."

    def add_arguments(self, parser):
        parser.add_argument("project_ids", nargs="*", type=int)

    def handle(self, *, project_ids, **options):
        ids = project_ids or list(Project.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            rollups_refresh(ids[start : start + BATCH])
        self.stdout.write(f"refreshed the rollups of {len(ids)} projects")
