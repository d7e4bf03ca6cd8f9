"""Retention: remove personal data from projects completed more than RETENTION_YEARS years ago.

    python manage.py anonymise_completed_projects [--years N] [--dry-run]

Run it daily (a systemd timer or cron; docs/deploy.md). Names leave the project's history, free text
declared personal (sign-off remarks and objections, meeting guests) is blanked; sign-off facts stay. Each app's
`retention_task` hook entries run too (surveys: the address lists of surveys and comment rounds past their closing
date are deleted).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from projects import extensions
from projects.personal_data import project_anonymise, projects_due_for_anonymisation


class Command(BaseCommand):
    help = "Anonymise completed projects past the retention limit (RETENTION_YEARS)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=settings.RETENTION_YEARS)
        parser.add_argument("--dry-run", action="store_true", help="List the projects without changing them.")

    def handle(self, *, years, dry_run, **options):
        due = projects_due_for_anonymisation(years=years)
        for project in due:
            if dry_run:
                self.stdout.write(f"would anonymise: {project.pk} {project}")
                continue
            counts = project_anonymise(project=project)
            self.stdout.write(
                f"anonymised: {project.pk} {project} ({counts['history']} history entries, {counts['texts']} texts)"
            )
        self.stdout.write(f"{len(due)} project(s) past {years} years")
        for task in extensions.get("retention_task"):
            for line in task(dry_run=dry_run):
                self.stdout.write(line)
