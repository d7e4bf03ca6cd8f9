"""Generated PDFs of a project, one mechanism for every kind (protocol, mandate, reports …).

An app registers a `Kind` under the hook `document_kind` (`extensions.register("document_kind", Kind(key,
label=…, render=…, filename=…))`); `render(document) -> bytes` builds the PDF
(usually with `render_pdf`). `projects.services.document_request` stores a pending version and its job in
the outbox (`projects.outbox`, kind "documents.render") in one transaction; a worker claims the job with a
lease, renders outside any row lock and stores the file with its SHA-256. A worker that dies mid-render
leaves a job that is claimed again when its lease runs out. Pages include `projects/_documents.html`, which
polls while a version is being made, says when it is late (`mark_late`) and offers to try again
(`projects.services.document_retry`).
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from . import extensions


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    render: Callable
    filename: str  # the download name's stem, e.g. "medvirkningsprotokoll"
    request_perm: str = "projects.change_project"
    view_perm: str = "projects.view_project"
    # fn(project) -> bool: whether the thing the PDF prints exists (a work product, an evaluation); None: the
    # project itself. A version is asked for only when it does (else 404 / ValidationError, and no row).
    exists: Callable | None = None


def kinds() -> dict[str, Kind]:
    """Every registered kind of generated document, by key."""
    return extensions.by_key("document_kind")


def kind(key) -> Kind:
    try:
        return kinds()[key]
    except KeyError:
        raise LookupError(f"No document kind {key!r} is registered") from None


def author(document) -> str:
    """Who a generated PDF names as its author (metadata): the project's owners, else the person who asked for
    it; never the product's name, which says nothing to an archive."""
    from .models import Membership, Role

    owners = (
        Membership.objects.filter(project_id=document.project_id, role=Role.OWNER)
        .select_related("user")
        .order_by("user__full_name")
    )
    names = [m.user.full_name for m in owners if m.user.full_name]
    if not names and document.requested_by_id:
        names = [document.requested_by.full_name]
    return ", ".join(names)


def mark_late(docs) -> None:
    """Set `late` on each version still being made OUTBOX_LATE_SECONDS after it was asked for (or tried again:
    its job's `run_after`): the list says so and offers to try again. One query, only while one is made."""
    from . import outbox
    from .models import Job

    waiting = {f"document:{d.pk}": d for d in docs if d.in_progress}
    since = dict(Job.objects.filter(key__in=waiting).values_list("key", "run_after")) if waiting else {}
    for d in docs:
        d.late = False
    for key, d in waiting.items():
        d.late = outbox.is_late(max(d.requested_at, since.get(key, d.requested_at)))


class PDF(bytes):
    """The bytes of a rendered PDF, with its number of pages."""

    pages: int | None = None


def render_pdf(template, context, *, lang="nb") -> PDF:
    """A tagged PDF/A-2a from an HTML template in `lang`.

    The template sets the metadata in its <head>: <title> (title), <meta name="author">,
    <meta name="description"> (subject) and <meta name="keywords"> (put the case number there);
    `templates/pdf/base.html` does it from blocks. Its static CSS files are named, in order, in
    <meta name="pdf-stylesheets"> (template names, e.g. "pdf/base.css"); each is parsed once per process and
    applied under the template's own <style>.
    """
    from weasyprint import HTML

    if "pdf_author" not in context and context.get("document") is not None:
        context = {**context, "pdf_author": author(context["document"])}
    with translation.override(lang):
        html = render_to_string(template, {"lang": lang, **context})
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    found = document.etree_element.find(".//meta[@name='pdf-stylesheets']")
    names = found.get("content", "").split() if found is not None else []
    fonts = _font_config()
    rendered = document.render(stylesheets=[_stylesheet(name) for name in names], font_config=fonts)
    pdf = PDF(rendered.write_pdf(pdf_variant="pdf/a-2a"))
    pdf.pages = len(rendered.pages)
    return pdf


# A worker process renders one document at a time and many over its life: it keeps one WeasyPrint font
# configuration (fontconfig and Pango's font map, which WeasyPrint otherwise builds for every render) and the
# parsed static stylesheets. Per thread, as Pango's font map is not thread-safe.
_local = threading.local()


def _font_config():
    if not hasattr(_local, "fonts"):
        from weasyprint.text.fonts import FontConfiguration

        _local.fonts = FontConfiguration()
        _local.stylesheets = {}
    return _local.fonts


def _stylesheet(name):
    from django.template.loader import get_template
    from weasyprint import CSS

    fonts = _font_config()
    if name not in _local.stylesheets:
        source = get_template(name).template.source
        _local.stylesheets[name] = CSS(string=source, base_url=str(settings.BASE_DIR), font_config=fonts)
    return _local.stylesheets[name]
