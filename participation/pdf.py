"""The participation protocol as a tagged PDF/A-2a, rendered by WeasyPrint from an HTML template."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from projects.selectors import project_members

from . import roles, selectors


def render_protocol(*, project, version, generated_at, by) -> bytes:
    from weasyprint import HTML

    with translation.override("nb"):
        members = project_members(project=project)
        html = render_to_string(
            "participation/protocol_pdf.html",
            {
                "project": project,
                "version": version,
                "generated_at": generated_at,
                "by": by,
                "plan": roles.participation_plan(members),
                "steps": selectors.project_steps(project=project),
                "meetings": selectors.meetings_of(project=project),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/a-2a")
