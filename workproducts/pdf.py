"""Work products as tagged PDF/A-2a documents (the mandate has its own layout; other kinds share one)."""

from django.utils import timezone, translation

from projects import extensions
from projects.documents import render_pdf
from projects.models import OrgUnit, Role
from projects.selectors import project_members

from . import selectors
from .models import Hazard, Milestone, WorkProduct
from .registry import format_nok, kinds


def _municipality(project) -> str:
    """The municipality above the project's units (the organisation tree's top), for the header."""
    for unit in project.units.select_related("parent__parent").all():
        node = unit
        while node is not None:
            if node.kind == OrgUnit.Kind.MUNICIPALITY:
                return node.name
            node = node.parent
    return "Kommunen"


def _roles(project):
    members = project_members(project=project)
    by_role = {}
    for m in members:
        by_role.setdefault(m.role, []).append(m.user)
    return [(Role(r).label, by_role[r]) for r in Role.values if r in by_role]


def _risk(project):
    wp = WorkProduct.objects.filter(project=project, kind="risk_assessment").first()
    if wp is None:
        return None, None, [], 0
    hazards = list(Hazard.objects.filter(work_product=wp).select_related("responsible"))
    open_ = [h for h in hazards if h.status in selectors.OPEN_STATUSES]
    high = sorted((h for h in open_ if h.level == "high"), key=lambda h: -h.score)
    return hazards, selectors.risk_matrix(hazards)[0], high, len(open_)


def _with_missing(steps):
    """Each step view with the roles whose sign-off is still missing, to print as one list."""
    for v in steps:
        v.missing = [r for r in v.roles if not r.met]
    return steps


def workproduct_pdf_context(*, work_product: WorkProduct, document, generated_at) -> dict:
    wp = work_product
    project = wp.project
    kind = kinds()[wp.kind]
    by = document.requested_by
    with translation.override("nb"):
        label = str(kind.label)
        roles = _roles(project)
        owners = [u for r, people in roles if r == Role.OWNER.label for u in people]
        # The risk summary is printed by the mandate and the risk assessment only; the other kinds skip its queries.
        hazards, matrix, high, n_open = _risk(project) if wp.kind in ("mandate", "risk_assessment") else (None,) * 4
        case = project.case_number
        context = {
            "project": project, "wp": wp, "document": document, "generated_at": generated_at, "by": by,
            "municipality": _municipality(project),
            "units": ", ".join(u.name for u in project.units.all()),
            "title": f"{label} – {project.name}" + (f" (sak {case})" if case else ""),
            "author": ", ".join(u.full_name for u in owners) or by.full_name,
            "subject": f"{label} for {project.name}, versjon {wp.version}" + (f", saksnummer {case}" if case else ""),
            "keywords": ", ".join(x for x in (f"saksnummer {case}" if case else "", label, project.name) if x),
            "kind_label": label, "roles": roles, "owners": owners,
            "steps": _with_missing([v for fn in extensions.get("workproduct_signoff_source") for v in fn(wp)]),
            "risk_hazards": hazards, "risk_matrix": matrix, "risk_high": high, "risk_open": n_open,
            "risk_residual": any(h.has_residual for h in hazards or ()),
        }  # fmt: skip
        if kind.page_context is not None:
            context.update(kind.page_context(wp, project))
        context["pdf_include"] = kind.pdf_include
        if wp.kind == "mandate":  # its own layout (mandate_pdf.html), without the generic fields and sections
            context["mandate"] = selectors.content_object(wp)
            context["frame"] = format_nok(context["mandate"].frame_amount)
            context["milestones"] = list(Milestone.objects.filter(work_product=wp).order_by("date", "id"))
        else:
            context["fields"] = selectors.main_fields(wp, kind)
            context["sections"] = selectors.page_sections(wp, kind)
    return context


def render_workproduct(document) -> bytes:
    """Render one version of a work product's PDF (a `projects.GeneratedDocument` of the work product's kind); the
    worker calls this. The document's content is read as it stands when the version is rendered."""
    wp = WorkProduct.objects.select_related("project").get(project=document.project_id, kind=document.kind)
    context = workproduct_pdf_context(work_product=wp, document=document, generated_at=timezone.localtime())
    return render_pdf(kinds()[wp.kind].pdf_template, context, lang="nb")
