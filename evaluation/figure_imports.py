"""Before/after figures from a file, through the shared reader (projects/imports.py), and the templates to fill in.

Two plain templates, since no sample export of Compilo, EQS, 10-faktor or ForBedring is at hand:

- **HMS deviations** (HR): `enhet; hva; periode før; før; periode etter; etter`: one row per unit and kind of
  deviation or incident (“HMS-avvik”, “personskader”), with the count before the move and after it.
- **Survey results** (the owner or HR): `faktor; før; etter`: a unit's scores from 10-faktor or ForBedring; the
  survey, the unit and the periods are chosen on the page.

The file is read in the worker through the shared import piece (the importers `evaluation.deviations` and
`evaluation.survey`, `projects.services.file_import_request` / `file_import_run`): `figures_import_request` stores
the upload with its job, the whole file is checked first, any bad row means nothing is written, and every problem
is listed by row and column on the import page when the job is done. A file imported again replaces the figures of
the one before (the same survey and unit for survey results), through `evaluation.figures.figures_replace`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects import extensions
from projects import imports as reader
from projects.exports import csv_chunks, xlsx_chunks
from projects.imports import Columns, ImportFailed, Limits, blank, is_formula, parse_decimal

from . import figures
from .figures import FigureRow
from .models import Evaluation, Figure

LIMITS = Limits(bytes=2 * 1024 * 1024, rows=2_000, columns=12, cell=200)
MOST = Decimal("99999999.99")


@dataclass(frozen=True)
class Kind:
    """One kind of import: its template's columns, what it is called, and where the figures go."""

    key: str
    title: object
    headers: dict  # field → the template's header (Norwegian, as the template says)
    aliases: dict
    required: tuple
    filename: str
    source: str
    figure_kind: str
    perm: str  # on the project: who may import this kind (and follow the import)

    @property
    def importer_key(self):
        return f"evaluation.{self.key}"


DEVIATIONS = Kind(
    key="deviations",
    title=gettext_lazy("HMS deviations and incidents"),
    headers={
        "group": "enhet", "what": "hva", "period_before": "periode før", "before": "før",
        "period_after": "periode etter", "after": "etter",
    },
    aliases={
        "unit": "group", "what": "what", "type": "what", "kind": "what", "period before": "period_before",
        "before": "before", "period after": "period_after", "after": "after", "avdeling": "group",
        "periode for": "period_before", "for": "before", "antall før": "before", "antall etter": "after",
    },
    required=("what", "before", "after"),
    filename="hms-avvik-mal",
    source=Figure.Source.DEVIATION_IMPORT,
    figure_kind=Figure.Kind.DEVIATIONS,
    perm="evaluation.enter_hr_figures",
)  # fmt: skip

SURVEY = Kind(
    key="survey",
    title=gettext_lazy("Results from 10-faktor or ForBedring"),
    headers={"what": "faktor", "before": "før", "after": "etter"},
    aliases={
        "factor": "what", "before": "before", "after": "after", "for": "before", "spørsmål": "what",
        "question": "what", "tema": "what",
    },
    required=("what", "before", "after"),
    filename="undersokelse-mal",
    source=Figure.Source.SURVEY_IMPORT,
    figure_kind=Figure.Kind.EMPLOYEE_SURVEY,
    perm="evaluation.import_survey_figures",
)  # fmt: skip

KINDS = {k.key: k for k in (DEVIATIONS, SURVEY)}

SURVEY_SYSTEMS = {"10-faktor": "10-faktor", "forbedring": "ForBedring"}


def _value(raw, column, number, problems, required=True):
    if is_formula(raw):
        message = _("The cell holds a formula (%(f)s). Save the values, not formulas.") % {"f": str(raw)[:40]}
        problems.add(number, column, message)
        return None
    try:
        value = parse_decimal(raw)
    except ValueError as exc:
        problems.add(number, column, str(exc))
        return None
    if value is None:
        if required:
            problems.add(number, column, _("Enter a number."))
        return None
    if value < 0:
        problems.add(number, column, _("The number cannot be negative."))
        return None
    if value > MOST:
        problems.add(number, column, _("The number is too large."))
        return None
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _text(raw, column, number, problems, *, most, required=False, what=""):
    if is_formula(raw):
        message = _("The cell holds a formula (%(f)s). Save the values, not formulas.") % {"f": str(raw)[:40]}
        problems.add(number, column, message)
        return ""
    text = " ".join(str(raw).split()) if not blank(raw) else ""
    if required and not text:
        problems.add(number, column, _("Say what is counted (%(what)s).") % {"what": what})
    elif len(text) > most:
        problems.add(number, column, _("At most %(n)s characters.") % {"n": most})
    return text


def read_rows(kind: Kind, source, problems, *, group: str = "") -> list[FigureRow]:
    """The rows of `source` (the shared reader's) as figures; ImportFailed with every problem by row and column
    if any row is wrong."""
    columns = Columns(headers=kind.headers, aliases=kind.aliases, required=kind.required)
    rows, seen, header_read = [], {}, False
    for number, cells in source.rows():
        if not header_read:
            header_read = True
            if not columns.read(cells, problems):
                raise ImportFailed(problems)  # with a wrong header no row can be read
            continue
        if all(blank(c) for c in cells):
            continue
        values = {}
        for f in ("group", "what", "period_before", "period_after"):
            if f in columns.index:
                most = 200 if f in ("group", "what") else 100
                required = f == "what"
                what = _("for example HMS-avvik or personskader") if kind is DEVIATIONS else _("the factor")
                values[f] = _text(
                    columns.cell(cells, f), columns.name(f), number, problems, most=most, required=required, what=what
                )
        for f in ("before", "after"):
            values[f] = _value(columns.cell(cells, f), columns.name(f), number, problems)
        row_group = values.get("group") or group
        key = (row_group.casefold(), values.get("what", "").casefold())
        if values.get("what"):
            if key in seen:
                message = _("“%(what)s” appears twice for the same unit (also in row %(row)s).")
                problems.add(number, columns.name("what"), message % {"what": values["what"], "row": seen[key]})
            else:
                seen[key] = number
        if values["before"] is None or values["after"] is None or not values.get("what"):
            continue
        rows.append(
            FigureRow(
                kind=kind.figure_kind, label=values["what"], before=values["before"], after=values["after"],
                unit="" if kind is SURVEY else _("cases"), group=row_group,
                period_before=values.get("period_before", ""), period_after=values.get("period_after", ""),
            )
        )  # fmt: skip
    if problems:
        raise ImportFailed(problems)
    if not rows:
        problems.add(None, "–", _("The file has no rows with figures."))
        raise ImportFailed(problems)
    return rows


def figures_import_request(
    *,
    evaluation: Evaluation,
    by,
    kind: Kind,
    upload,
    page: str,
    system: str = "",
    group: str = "",
    period_before: str = "",
    period_after: str = "",
):
    """Store the file and its job: the worker reads it and replaces the figures of the previous import of the
    same kind (and survey and unit). `page` is where the figures are seen afterwards ("hr" or "evaluation")."""
    from projects.services import file_import_request

    if kind is SURVEY and system not in SURVEY_SYSTEMS:
        raise ValidationError({"system": _("Choose 10-faktor or ForBedring.")})
    target = {
        "evaluation_id": evaluation.pk, "page": page, "system": system, "group": group.strip(),
        "period_before": period_before.strip(), "period_after": period_after.strip(),
    }  # fmt: skip
    return file_import_request(project=evaluation.project, kind=kind.importer_key, target=target, upload=upload, by=by)


def _kind_of(file_import) -> Kind:
    return next(k for k in KINDS.values() if k.importer_key == file_import.kind)


def _check(file_import, source, problems, progress):
    """The importer's check: every row read and checked, nothing written; the figures to write."""
    kind, target = _kind_of(file_import), file_import.target
    rows = read_rows(kind, source, problems, group=target.get("group", ""))
    if kind is not SURVEY:
        return rows
    system_name = SURVEY_SYSTEMS[target["system"]]
    return [
        FigureRow(
            kind=r.kind, label=f"{system_name}: {r.label}"[:200], before=r.before, after=r.after, unit=r.unit,
            group=r.group, period_before=target.get("period_before", ""), period_after=target.get("period_after", ""),
        )
        for r in rows
    ]  # fmt: skip


def _write(file_import, rows) -> int:
    """The importer's write, in the job's transaction: the figures replace those of the last file."""
    kind, target = _kind_of(file_import), file_import.target
    evaluation = Evaluation.objects.get(pk=target["evaluation_id"], project=file_import.project)
    batch = f"{target['system']}:{target['group'].casefold()}"[:100] if kind is SURVEY else ""
    try:
        written = figures.figures_replace(
            evaluation=evaluation, by=file_import.requested_by, source=kind.source, batch=batch, rows=rows
        )
    except ValidationError as exc:  # a figure the model refuses: its row's message, nothing written
        raise ImportFailed([reader.Problem(None, "–", m) for m in exc.messages]) from None
    return len(written)


def _result_url(file_import) -> str:
    if file_import.target.get("page") == "hr":
        return reverse("evaluation:hr_project", args=[file_import.project_id]) + "#figures-heading"
    return reverse("evaluation:overview", args=[file_import.project_id]) + "#figures-heading"


for _kind in KINDS.values():
    extensions.register(
        "importer",
        reader.Importer(_kind.importer_key, check=_check, write=_write, perm=_kind.perm, limits=LIMITS,
                        result_url=_result_url),
    )  # fmt: skip


def template(kind: Kind, fmt: str):
    """The empty template's bytes, in pieces: the header row only."""
    header = list(kind.headers.values())
    if fmt == "csv":
        return csv_chunks(header, iter(()))
    return xlsx_chunks(header, iter(()), sheet_name=str(kind.title)[:31], widths=[22] * len(header))
