"""Import of occupancy observations from CSV or XLSX, and the template to fill in.

The file is read by the shared reader (`projects/imports.py`: limits, Excel's Norwegian CSV, XLSX read safely,
problems by row and column) and runs in the worker: `observations_import_request` stores the upload with its
job, the importer `space.observations` checks every row and then writes them all in one transaction, or none
and lists every problem. `observations_import` does both at once in this process (the demo seeder, the
benchmark).
"""

import codecs
import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from projects import extensions
from projects import imports as reader
from projects.exports import neutralise, xlsx_text
from projects.imports import Columns, ImportFailed, Problems, blank, is_formula, refuse  # noqa: F401 (ImportFailed)
from projects.models import FileImport
from workproducts.services import _locked, workproduct_refresh

from .models import Observation, OccupancyStudy, StudyZone
from .services import check_counts, check_round, study_days

KEY = "space.observations"
EDIT = "workproducts.edit_work_product"
# The template's headers, in its order; the import also knows them in English (the fields' names) and by others.
HEADERS = ["dato", "time", "sone", "opptatt", "midlertidig borte", "ledig", "personer"]
FIELDS = ["date", "hour", "zone", "occupied", "away", "free", "persons"]
ALIASES = {
    "klokkeslett": "hour", "kl": "hour", "rom": "zone", "sone/rom": "zone", "temporarily away": "away",
    "midlertidig fraværende": "away", "unoccupied": "free", "personer i rommet": "persons",
}  # fmt: skip
REQUIRED = ("date", "hour", "zone")
COUNTS = ("occupied", "away", "free", "persons")
BATCH = 2000
SHOWN = reader.SHOWN


def observations_import_request(*, study, by, upload) -> FileImport:
    """Store the file and its job: the worker imports it (the import page follows its progress)."""
    from projects.services import file_import_request

    return file_import_request(project=study.project, kind=KEY, target={"study_id": study.pk}, upload=upload, by=by)


def observations_import(*, study, by, upload) -> int:
    """Import at once, in this process: all rows or none. Returns the rows written; raises ImportFailed with
    every problem (row, column, message) when any row is wrong."""
    if not by.has_perm(EDIT, study.project):
        raise PermissionDenied
    reader.check_upload(upload, reader.importer(KEY).limits)
    file_import = FileImport(
        project=study.project, kind=KEY, target={"study_id": study.pk}, name=upload.name, requested_by=by
    )
    return reader.run(file_import, upload)


# The check (no writes) -----------------------------------------------------------------------------------------


@dataclass
class _Check:
    """What checking one file knows: the study, its zones and rounds, and the rows found good so far."""

    study: OccupancyStudy
    columns: Columns
    zones: dict = field(default_factory=dict)
    seen: set = field(default_factory=set)  # (zone, date, hour) recorded or met in the file
    stored: set = field(default_factory=set)  # … recorded before the import
    parsed: dict = field(default_factory=dict)  # a study has few distinct dates and hours: each parsed once
    rows: list = field(default_factory=list)  # (row, zone id, date, hour, occupied, away, free, persons)


def _study(file_import) -> OccupancyStudy:
    study = (
        OccupancyStudy.objects.select_related("project", "work_product")
        .filter(pk=file_import.target.get("study_id"), project_id=file_import.project_id)
        .first()
    )
    if study is None:
        refuse(_("The study no longer exists."))
    return study


def _check(file_import, source, problems: Problems, progress) -> tuple:
    study = _study(file_import)
    check = _Check(study, Columns(dict(zip(FIELDS, HEADERS, strict=True)), ALIASES, REQUIRED))
    check.zones = {z.name.casefold(): z for z in StudyZone.objects.filter(study=study)}
    check.stored = set(Observation.objects.filter(study=study).values_list("zone_id", "date", "hour"))
    check.seen = set(check.stored)
    rows = source.rows()
    for _number, header in rows:
        if not _header(check.columns, header, problems):
            return check.columns.name("zone"), []  # with a wrong header no row can be read
        break
    for number, cells in rows:
        progress(number)
        if all(blank(check.columns.cell(cells, f)) for f in COUNTS):
            continue  # no counts: a row of the template nobody filled in (or an empty line)
        found = _row(check, number, cells)
        for column, message in found:
            problems.add(number, column, message)
    if not check.rows and not problems:
        refuse(_("The file has no rows with counts."))
    return check.columns.name("zone"), check.rows if not problems else []


def _header(columns: Columns, header, problems: Problems) -> bool:
    ok = columns.read(header, problems)
    if not any(f in columns.index for f in ("occupied", "persons")):
        problems.add(1, "–", _("The file needs the column “opptatt” or “personer”."))
        return False
    return ok


def _row(check: _Check, number, cells) -> list[tuple[str, str]]:
    """Check one row: its problems as (column, message); a good row is kept while the file has none."""
    values, found = _values(check, cells)
    if found:
        return found
    zone = values["zone"]
    for name, message in check_round(check.study, values["date"], values["hour"]).items():
        found.append((check.columns.name(name), message))
    counts = [values[f] for f in COUNTS]
    found += [(check.columns.name(f), m) for f, m in check_counts(zone, *counts).items()]
    key = (zone.pk, values["date"], values["hour"])
    if key in check.seen:
        message = (
            _("This zone and round are recorded already.") if key in check.stored
            else _("The same zone and round appear twice in the file.")
        )  # fmt: skip
        found.append((check.columns.name("zone"), message))
    check.seen.add(key)
    if not found:
        check.rows.append((number, *key, *counts))
    return found


def _values(check: _Check, cells) -> tuple[dict, list]:
    values, found = {}, []
    for name in FIELDS:
        raw = check.columns.cell(cells, name)
        try:
            if is_formula(raw):
                raise ValueError(
                    _("The cell holds a formula (%(f)s). Save the values, not formulas.") % {"f": str(raw)[:40]}
                )
            values[name] = _value(check, name, raw)
        except ValueError as exc:
            found.append((check.columns.name(name), str(exc)))
    return values, found


def _value(check: _Check, name, raw):
    if name in ("date", "hour"):
        parse = reader.parse_date if name == "date" else reader.parse_hour
        try:
            return check.parsed[(name, raw)]
        except KeyError:
            value = check.parsed[(name, raw)] = parse(raw)  # a ValueError is not kept: each bad cell reports itself
            return value
        except TypeError:  # not hashable
            return parse(raw)
    if name == "zone":
        text = str(raw or "").strip()
        zone = check.zones.get(text.casefold())
        if zone is None:
            known = ", ".join(z.name for z in check.zones.values()) or "–"
            message = _("Unknown zone “%(z)s”. The study's zones: %(all)s.") % {"z": text[:40], "all": known}
            raise ValueError(one_full_stop(message))
        return zone
    return reader.parse_count(raw)


def one_full_stop(text: str) -> str:
    """A sentence that ends in an abbreviation ("Økonomi 3. etg.") takes no second full stop."""
    return text[:-1] if text.endswith("..") and not text.endswith("...") else text


# The write (one transaction) -------------------------------------------------------------------------------


def _write(file_import, prepared) -> int:
    """Write the checked rows, or none when the study changed under the check (a round recorded meanwhile, a
    zone removed, the permission gone)."""
    zone_column, rows = prepared
    study = _study(file_import)
    by = file_import.requested_by
    if not by.has_perm(EDIT, study.project):
        refuse(_("You may no longer change this study."))
    wp = _locked(study.work_product)
    zones = set(StudyZone.objects.filter(study=study).values_list("pk", flat=True))
    stored = set(Observation.objects.filter(study=study).values_list("zone_id", "date", "hour"))
    problems = Problems()
    for number, zone, day, hour, *_counts in rows:
        if zone not in zones:
            problems.add(number, zone_column, _("The zone was removed from the study during the import."))
        elif (zone, day, hour) in stored:
            problems.add(number, zone_column, _("This zone and round are recorded already."))
    if problems:
        raise ImportFailed(problems)
    for start in range(0, len(rows), BATCH):
        Observation.objects.bulk_create([
            Observation(study=study, zone_id=zone, date=day, hour=hour, occupied=occupied or 0, away=away or 0,
                        free=free, persons=persons or 0)
            for _n, zone, day, hour, occupied, away, free, persons in rows[start : start + BATCH]
        ])  # fmt: skip
    workproduct_refresh(work_product=wp, by=by)
    return len(rows)


def _result_url(file_import) -> str:
    return reverse("space:study", args=[file_import.project_id, file_import.target.get("study_id")])


extensions.register("importer", reader.Importer(KEY, check=_check, write=_write, perm=EDIT, result_url=_result_url))


# The template ------------------------------------------------------------------------------------------------


def template_rows(study):
    """A row per weekday × hour × zone, with the counts left empty to fill in (empty rows are skipped)."""
    zones = list(StudyZone.objects.filter(study=study).order_by("kind", "name"))
    for day in study_days(study) or [study.starts_on]:
        for hour in range(study.first_hour, study.last_hour + 1):
            for zone in zones:
                yield day, hour, zone


def template_csv(study) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for day, hour, zone in template_rows(study):
        writer.writerow([day.strftime("%d.%m.%Y"), f"{hour:02d}:00", neutralise(zone.name), "", "", "", ""])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def template_xlsx(study) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Registrering")
    for letter, width in zip("ABCDEFG", (12, 8, 24, 10, 18, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in HEADERS:
        c = WriteOnlyCell(sheet, value=name)
        c.font = bold
        header.append(c)
    sheet.append(header)
    for day, hour, zone in template_rows(study):
        d = WriteOnlyCell(sheet, value=day)
        d.number_format = "DD.MM.YYYY"
        sheet.append([d, hour, _text(sheet, zone.name), None, None, None, None])
    guide = book.create_sheet("Veiledning")
    for line in (
        ["Slik fyller du ut"],
        ["Én rad per sone eller rom per runde. Gå en runde hver hele time."],
        ["opptatt: plasser i bruk. midlertidig borte: tegn på bruk (jakke, PC), men ingen der. ledig: ubrukt."],
        ["personer: antall personer i møterommet (møterom fyller bare ut denne)."],
        ["Rader uten tall hoppes over. Skriv tall, ikke formler."],
        [],
        ["Sone", "Type", "Plasser"],
        *[
            [_text(guide, z.name), z.get_kind_display(), z.places]
            for z in StudyZone.objects.filter(study=study).order_by("name")
        ],
    ):
        guide.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(sheet, value):
    """A zone's name as a text cell: a name that begins with "=" is shown as written, never evaluated."""
    from openpyxl.cell import WriteOnlyCell

    return xlsx_text(WriteOnlyCell(sheet, value=value))
