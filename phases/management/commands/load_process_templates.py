"""Load or upgrade process templates from TOML files. Loading the same version again changes nothing."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from phases.definition import TemplateError
from phases.services import template_load_file

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "process_templates"


class Command(BaseCommand):
    help = "Load process templates (default: every .toml file in phases/process_templates/)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args, files, **options):
        paths = files or sorted(DEFAULT_DIR.glob("*.toml"))
        if not paths:
            raise CommandError(f"No template files found in {DEFAULT_DIR}")
        for path in paths:
            try:
                template, created = template_load_file(path=path)
            except TemplateError as exc:
                raise CommandError("\n".join([f"{exc.source}:", *[f"  {p}" for p in exc.problems]])) from None
            except (ValidationError, OSError) as exc:
                raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
            state = "loaded" if created else "already loaded"
            if options["verbosity"] > 0:
                self.stdout.write(f"{template.key} v{template.version}: {state} ({path.name})")
