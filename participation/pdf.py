"""The participation protocol as a tagged PDF/A-2a, rendered by WeasyPrint from an HTML template."""

from django.utils import timezone, translation

from projects.documents import render_pdf
from projects.selectors import project_members

from . import roles, selectors


def render_protocol(document) -> bytes:
    """Render one version of the protocol (a `projects.GeneratedDocument`); the worker calls this."""
    project = document.project
    with translation.override("nb"):
        members = project_members(project=project)
        steps, later = selectors.protocol_steps(project=project)
        context = {
            "project": project,
            "document": document,
            "version": document.version,
            "generated_at": timezone.now(),
            "by": document.requested_by,
            "plan": roles.participation_plan(members),
            "steps": steps,
            "later_steps": later,
            "meetings": selectors.meetings_of(project=project),
        }
    return render_pdf("participation/protocol_pdf.html", context, lang="nb")
