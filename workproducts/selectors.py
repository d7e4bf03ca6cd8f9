"""Reads for work products: what a document says (for pages, signatures and PDFs), the Dokumenter tab, and the
risk matrix for one project or for many."""

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Hazard, RiskLevel, RiskPosition, WorkProduct
from .registry import kinds, step_content_by_key, step_contents

SCALE = range(1, 6)


def display(obj, name, kind=None) -> str:
    """A field's value as a reader sees it: labels for choices, names for people, Norwegian dates and amounts."""
    f = obj._meta.get_field(name)
    if f.many_to_many:
        return ", ".join(str(o) for o in getattr(obj, name).all())
    value = getattr(obj, name)
    if kind is not None and name in kind.formats:
        return kind.formats[name](value)
    if value is None or value == "":
        return ""
    if f.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if f.is_relation:
        return getattr(value, "full_name", None) or str(value)
    if isinstance(value, datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def content_object(wp: WorkProduct):
    kind = kinds()[wp.kind]
    return kind.content_model.objects.filter(work_product=wp).first()


def section_rows(wp: WorkProduct, section):
    qs = section.model.objects.filter(work_product=wp)
    if any(section.model._meta.get_field(n).is_relation for n in section.fields):
        qs = qs.select_related(*[n for n in section.fields if section.model._meta.get_field(n).is_relation])
    return list(qs)


def workproduct_fields(wp: WorkProduct) -> list[list[str]]:
    """Every field of the document as [key, label, value], in reading order. Row fields are keyed by the row's
    id, so that a changed milestone is one changed field, not a removed and an added one."""
    kind = kinds()[wp.kind]
    main = content_object(wp)
    out = []
    if main is not None:
        for name in kind.fields:
            label = str(main._meta.get_field(name).verbose_name)
            out.append([name, label[:1].upper() + label[1:], display(main, name, kind)])
    for section in kind.sections:
        for row in section_rows(wp, section):
            head = f"{str(section.item_label)[:1].upper()}{str(section.item_label)[1:]} «{row}»"
            for name in section.fields:
                if name in section.optional and getattr(row, name) in (None, ""):
                    continue
                label = str(row._meta.get_field(name).verbose_name)
                out.append([f"{section.key}.{row.pk}.{name}", f"{head} · {label}", display(row, name, kind)])
    if kind.extra_content is not None:
        out.extend(kind.extra_content(wp))
    attached = _("Attached file")
    for f in wp.files.order_by("uploaded_at", "pk"):
        out.append([f"files.{f.pk}", f"{attached} «{f.original_name}»", f"SHA-256 {f.sha256}"])
    return out


def workproduct_content(wp: WorkProduct) -> dict:
    """What is signed of a document: its kind, title and every field, in bokmål whatever the reader's language
    (the SHA-256 must not depend on who looks)."""
    with translation.override("nb"):
        return {"kind": wp.kind, "title": str(kinds()[wp.kind].label), "fields": workproduct_fields(wp)}


def content_hash_text(wp: WorkProduct) -> str:
    return json.dumps(workproduct_content(wp), ensure_ascii=False, sort_keys=True)


def content_for_activity(activity_id) -> dict | None:
    """The signed content of the work product of an activity, if it has been started."""
    wp = WorkProduct.objects.filter(activity_id=activity_id).first()
    if wp is None or wp.kind not in kinds():
        return None
    return workproduct_content(wp)


def content_for_step_kind(step_kind, project_id) -> dict | None:
    """The signed content another app provides for steps of `step_kind` (the HMS measures for prioritisation)."""
    entry = step_contents().get(step_kind)
    return entry.content(project_id) if entry is not None else None


@dataclass
class Change:
    label: str
    before: str | None  # None: the field was not there (added)
    after: str | None  # None: the field is gone (removed)


def field_label(kind_key: str, key: str, stored: str) -> str:
    """A stored field label (bokmål, as signed) in the reader's language: "frame_amount" or
    "milestones.12.date" named from the models, the row's name taken from the stored label; the labels of a
    kind's extra content and of content another app provides named by their `extra_label` and `label`."""
    kind = kinds().get(kind_key)
    try:
        if kind is None:
            entry = step_content_by_key(kind_key)  # content another app provides (the HMS measures)
            return (entry.label(key, stored) if entry and entry.label else None) or stored
        parts = key.split(".")
        if parts[0] == "files":
            attached = _("Attached file")
            return f"{attached} «{stored.partition('«')[2].rpartition('»')[0]}»"
        section = kind.section(parts[0])
        if section is None and kind.extra_label is not None and key not in kind.fields:
            return kind.extra_label(key, stored) or stored
        if len(parts) == 1:
            label = str(kind.content_model._meta.get_field(key).verbose_name)
            return label[:1].upper() + label[1:]
        row = stored.rpartition(" · ")[0].partition("«")[2].rpartition("»")[0]
        item = str(section.item_label)
        return f"{item[:1].upper()}{item[1:]} «{row}» · {section.model._meta.get_field(parts[-1]).verbose_name}"
    except (AttributeError, LookupError, ValueError):
        return stored


def kind_label(kind_key: str, stored: str) -> str:
    kind = kinds().get(kind_key)
    if kind is not None:
        return str(kind.label)
    entry = step_content_by_key(kind_key)
    return str(entry.title) if entry is not None and entry.title else stored


def field_changes(before: dict | None, after: dict | None) -> list[Change]:
    """The fields that differ between two contents of a document, named by their labels in the reader's
    language, in reading order."""
    kind = (after or before or {}).get("kind", "")
    old = {k: (label, value) for k, label, value in (before or {}).get("fields", [])}
    new = {k: (label, value) for k, label, value in (after or {}).get("fields", [])}
    out = []
    for key, label, value in (after or {}).get("fields", []):
        if key not in old:
            if value:
                out.append(Change(field_label(kind, key, label), None, value))
        elif old[key][1] != value:
            out.append(Change(field_label(kind, key, label), old[key][1], value))
    for key, label, value in (before or {}).get("fields", []):
        if key not in new and value:
            out.append(Change(field_label(kind, key, label), value, None))
    return out


# Pages ---------------------------------------------------------------------------------------------------------


@dataclass
class DocumentEntry:
    kind: object
    activity: object
    work_product: WorkProduct | None
    pdfs: list


def project_documents(*, project, pdfs_by_kind=None) -> list[DocumentEntry]:
    """Each activity of the project that produces a known kind of work product, with the document if started."""
    from phases.models import Activity

    activities = list(
        Activity.objects.filter(project=project, work_product__in=list(kinds()))
        .select_related("phase")
        .order_by("phase__order", "order")
    )
    started = {wp.kind: wp for wp in WorkProduct.objects.filter(project=project).select_related("updated_by")}
    pdfs_by_kind = pdfs_by_kind or {}
    return [
        DocumentEntry(kinds()[a.work_product], a, started.get(a.work_product), pdfs_by_kind.get(a.work_product, []))
        for a in activities
    ]


def page_sections(wp: WorkProduct | None, kind):
    """[(section, rows)] for the page, with each row's cells ready to show."""
    out = []
    for section in kind.sections:
        rows = section_rows(wp, section) if wp else []
        for row in rows:
            row.cells = [display(row, n, kind) for n in section.table_columns]
        headers = [str(section.model._meta.get_field(n).verbose_name) for n in section.table_columns]
        out.append((section, headers, rows))
    return out


def main_fields(wp: WorkProduct | None, kind):
    main = content_object(wp) if wp else None
    return [
        (str(kind.content_model._meta.get_field(n).verbose_name), display(main, n, kind) if main else "")
        for n in kind.fields
    ]


# Risk matrix ---------------------------------------------------------------------------------------------------


@dataclass
class Cell(RiskPosition):
    likelihood: int
    consequence: int
    count: int
    after: int = 0  # hazards in this cell once their measures are in place (residual risk)

    @property
    def label(self):
        return RiskLevel(self.level).label


def matrix_rows(counts: dict, after: dict | None = None) -> list[tuple[int, list[Cell]]]:
    """Rows from likelihood 5 down to 1, each with consequence 1 to 5, as the matrix is read. `after`: the
    hazards per cell once their measures are in place (`hazard_after_counts`)."""
    after = after or {}
    return [(lk, [Cell(lk, c, counts.get((lk, c), 0), after.get((lk, c), 0)) for c in SCALE]) for lk in reversed(SCALE)]


def hazard_counts(hazards) -> dict:
    counts = {}
    for h in hazards:
        counts[(h.likelihood, h.consequence)] = counts.get((h.likelihood, h.consequence), 0) + 1
    return counts


def hazard_after_counts(hazards) -> dict:
    """Hazards per cell after their measures: the residual cell, or the same cell where none is assessed."""
    counts = {}
    for h in hazards:
        counts[h.after_position] = counts.get(h.after_position, 0) + 1
    return counts


def risk_matrix(hazards) -> tuple[list[tuple[int, list[Cell]]], bool]:
    """The matrix of these hazards, before → after their measures, and whether any has a residual risk."""
    hazards = list(hazards)
    return matrix_rows(hazard_counts(hazards), hazard_after_counts(hazards)), any(h.has_residual for h in hazards)


OPEN_STATUSES = (Hazard.Status.OPEN, Hazard.Status.IN_PROGRESS)


def open_hazards(*, project_ids=None, likelihood=None, consequence=None):
    """Open hazards (open or with measures under way), of some projects or all, optionally of one cell."""
    qs = Hazard.objects.filter(status__in=OPEN_STATUSES)
    if project_ids is not None:
        qs = qs.filter(project_id__in=project_ids)
    if likelihood is not None:
        qs = qs.filter(likelihood=likelihood)
    if consequence is not None:
        qs = qs.filter(consequence=consequence)
    return qs.select_related("project", "responsible").order_by("-likelihood", "-consequence", "project_id", "id")


def portfolio_risk_cells(*, project_ids=None) -> dict[tuple[int, int], int]:
    """Open hazards counted per (likelihood, consequence) cell over many projects, in one query. Pass the ids
    of the projects a coordinator's filters leave (a list or a queryset of ids); None means every project."""
    qs = Hazard.objects.filter(status__in=OPEN_STATUSES)
    if project_ids is not None:
        qs = qs.filter(project_id__in=project_ids)
    rows = qs.order_by().values("likelihood", "consequence").annotate(n=Count("id"))
    return {(r["likelihood"], r["consequence"]): r["n"] for r in rows}


def portfolio_risk_matrix(*, project_ids=None):
    return matrix_rows(portfolio_risk_cells(project_ids=project_ids))
