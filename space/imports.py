"""Import of occupancy observations from CSV or XLSX, and the template to fill in.

The file is read as a stream (csv.reader over decoded lines, openpyxl in read-only mode) and validated whole
inside one transaction: rows are written in batches with bulk_create while no error has been found, and if
any row has an error the transaction is rolled back, so nothing is written, and every error is listed with
its row and column. CSV as Excel saves it in Norwegian settings imports: semicolons (or commas, or tabs),
decimal comma, UTF-8 with or without BOM, or Windows-1252.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from projects.exports import neutralise, xlsx_text
from projects.services import with_history_user  # noqa: F401  (kept for symmetry with the other services)
from workproducts.services import _locked, workproduct_refresh

from .models import Observation, StudyZone
from .services import check_counts, check_round, study_days

# The template's headers, in its order; the import also knows them in English.
HEADERS = ["dato", "time", "sone", "opptatt", "midlertidig borte", "ledig", "personer"]
FIELDS = ["date", "hour", "zone", "occupied", "away", "free", "persons"]
ALIASES = {
    **dict(zip(HEADERS, FIELDS, strict=True)),
    **{f: f for f in FIELDS},
    "klokkeslett": "hour", "kl": "hour", "rom": "zone", "sone/rom": "zone", "temporarily away": "away",
    "midlertidig fraværende": "away", "unoccupied": "free", "personer i rommet": "persons",
}  # fmt: skip
REQUIRED = ("date", "hour", "zone")
BATCH = 2000
MAX_BYTES = 20 * 1024 * 1024
SHOWN = 200  # errors listed on the page; the rest are counted


@dataclass
class Problem:
    row: int | None
    column: str
    message: str


class ImportFailed(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _letter(index: int) -> str:
    out, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


# Reading ---------------------------------------------------------------------------------------------------


def _csv_rows(upload):
    """Decoded rows of a CSV file, streamed: (row number, [cells]). Encoding and separator are found from the
    first bytes; a line that does not decode is an error of that row."""
    head = upload.read(65536)
    upload.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        message = _(
            "The file is not text in UTF-8 or Windows-1252 (it looks like UTF-16 or a binary file). "
            "Save it as “CSV UTF-8” or “CSV (semicolon)”."
        )
        raise ImportFailed([Problem(1, "–", message)])
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        # UTF-8 letters before the first bad byte: a UTF-8 file with a bad line (reported by row), else Windows-1252
        encoding = "utf-8" if any(b >= 0x80 for b in head[: exc.start]) else "cp1252"
    problems = []

    def lines():
        for number, raw in enumerate(upload, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                message = _("The line is not valid %(enc)s text. Save the whole file in one encoding (UTF-8 is best).")
                problems.append(Problem(number, "–", message % {"enc": encoding.upper()}))
                text = raw.decode(encoding, errors="replace")
            if "\x00" in text:
                problems.append(Problem(number, "–", _("The line holds a NUL character: the file is not plain text.")))
                text = text.replace("\x00", "")
            yield text

    stream = lines()
    first = next(stream, "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(_chain(first, stream), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1):
        yield number, cells, problems


def _chain(first, rest):
    yield first
    yield from rest


def _xlsx_rows(upload):
    from zipfile import BadZipFile

    import openpyxl

    try:
        book = openpyxl.load_workbook(upload, read_only=True, data_only=False)
    except (BadZipFile, OSError, KeyError, ValueError):
        raise ImportFailed([Problem(None, "–", _("The file cannot be read as an XLSX workbook."))]) from None
    try:
        sheet = book.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells), []
    finally:
        book.close()


# Values ----------------------------------------------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y")
HOUR_RE = re.compile(r"^(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?(?:[:.]\d{2})?$", re.IGNORECASE)


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.strip().startswith("=")


def parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(v)s” is not a date. Write it as 02.03.2027 or 2027-03-02.") % {"v": text})


def parse_hour(value):
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        if value.minute or value.second:
            raise ValueError(_("Rounds are on the hour: write 08:00, not %(v)s.") % {"v": value.strftime("%H:%M")})
        return value.hour
    if isinstance(value, timedelta):  # a duration cell
        value = value.total_seconds() / 3600
    if isinstance(value, float) and 0 < value < 1:  # a time typed as a fraction of a day
        value = round(value * 24, 6)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != int(value) or not 0 <= value <= 23:
            raise ValueError(_("The hour is a whole number from 0 to 23."))
        return int(value)
    text = str(value or "").strip()
    m = HOUR_RE.match(text)
    if not m or (m.group(2) not in (None, "00")) or not 0 <= int(m.group(1)) <= 23:
        raise ValueError(_("“%(v)s” is not an hour from 0 to 23 (write 8 or 08:00).") % {"v": text})
    return int(m.group(1))


def parse_count(value):
    """None for an empty cell; a whole number 0 or more (3,0 is 3). NaN and infinities are not numbers."""
    from projects.imports import parse_count as shared

    return shared(value)


# The import --------------------------------------------------------------------------------------------------


def _columns(header, problems):
    columns = {}
    for index, cell in enumerate(header):
        name = str(cell or "").strip().lower().rstrip(":")
        if not name:
            continue
        field = ALIASES.get(name)
        if field is None:
            message = _("Unknown column “%(name)s”. The template's columns are: %(cols)s.")
            problems.append(Problem(1, _letter(index), message % {"name": cell, "cols": ", ".join(HEADERS)}))
        elif field in columns:
            problems.append(Problem(1, _letter(index), _("The column “%(name)s” appears twice.") % {"name": cell}))
        else:
            columns[field] = index
    for field in REQUIRED:
        if field not in columns:
            name = HEADERS[FIELDS.index(field)]
            problems.append(Problem(1, "–", _("The column “%(name)s” is missing.") % {"name": name}))
    if not any(f in columns for f in ("occupied", "persons")):
        problems.append(Problem(1, "–", _("The file needs the column “opptatt” or “personer”.")))
    return columns


@transaction.atomic
def observations_import(*, study, by, upload) -> int:
    """Import a study's observations from a CSV or XLSX file: all rows or none. Returns the rows written;
    raises ImportFailed with every problem (row, column, message) when any row is wrong."""
    if not by.has_perm("workproducts.edit_work_product", study.project):
        raise PermissionDenied
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError({"upload": _("Choose a CSV or XLSX file.")})
    if upload.size > MAX_BYTES:
        raise ValidationError({"upload": _("The file is larger than 20 MB.")})
    wp = _locked(study.work_product)
    zones = {z.name.casefold(): z for z in StudyZone.objects.filter(study=study)}
    seen = set(Observation.objects.filter(study=study).values_list("zone_id", "date", "hour"))
    stored = set(seen)
    problems: list[Problem] = []
    rows = _xlsx_rows(upload) if suffix == ".xlsx" else _csv_rows(upload)
    columns = None
    batch, written = [], 0
    dates, hours = {}, {}  # a study has few distinct dates and hours: parse each once
    for number, cells, read_problems in rows:
        if read_problems:
            problems.extend(read_problems)
            read_problems.clear()
        if columns is None:
            columns = _columns(cells, problems)
            if problems:
                break  # with a wrong header no row can be read
            continue
        if all(_blank(cells[i]) for f, i in columns.items() if f in COUNTS and i < len(cells)):
            continue  # no counts: a row of the template nobody filled in (or an empty line)

        def cell(field, cells=cells, columns=columns):
            index = columns.get(field)
            return cells[index] if index is not None and index < len(cells) else None

        row_problems = []
        values = {}
        for field in FIELDS:
            raw = cell(field)
            column = _column(columns, field)
            if _is_formula(raw):
                row_problems.append(Problem(number, column, _("The cell holds a formula (%(f)s). Save the values, "
                                                              "not formulas.") % {"f": str(raw)[:40]}))  # fmt: skip
                continue
            try:
                if field == "date":
                    values[field] = _cached(dates, parse_date, raw)
                elif field == "hour":
                    values[field] = _cached(hours, parse_hour, raw)
                elif field == "zone":
                    name = str(raw or "").strip()
                    zone = zones.get(name.casefold())
                    if zone is None:
                        raise ValueError(one_full_stop(_("Unknown zone “%(z)s”. The study's zones: %(all)s.") % {
                            "z": name, "all": ", ".join(z.name for z in zones.values()) or "–"}))  # fmt: skip
                    values[field] = zone
                else:
                    values[field] = parse_count(raw)
            except ValueError as exc:
                row_problems.append(Problem(number, column, str(exc)))
        if not row_problems:
            zone = values["zone"]
            where = {"date": "date", "hour": "hour"}
            for field, message in check_round(study, values["date"], values["hour"]).items():
                row_problems.append(Problem(number, _column(columns, where[field]), message))
            found = check_counts(zone, values["occupied"], values["away"], values["free"], values["persons"])
            for field, message in found.items():
                row_problems.append(Problem(number, _column(columns, field), message))
            key = (zone.pk, values["date"], values["hour"])
            if key in seen:
                message = (
                    _("This zone and round are recorded already.") if key in stored
                    else _("The same zone and round appear twice in the file.")
                )  # fmt: skip
                row_problems.append(Problem(number, _column(columns, "zone"), message))
            seen.add(key)
        if row_problems:
            problems.extend(row_problems)
            continue
        if problems:
            continue  # keep validating, stop writing
        batch.append(
            Observation(
                study=study, zone=values["zone"], date=values["date"], hour=values["hour"],
                occupied=values["occupied"] or 0, away=values["away"] or 0, free=values["free"],
                persons=values["persons"] or 0,
            )
        )  # fmt: skip
        if len(batch) >= BATCH:
            Observation.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if columns is None and not problems:
        problems.append(Problem(None, "–", _("The file is empty.")))
    if problems:
        raise ImportFailed(problems)  # the transaction is rolled back: nothing was written
    if batch:
        Observation.objects.bulk_create(batch)
        written += len(batch)
    if written == 0:
        raise ImportFailed([Problem(None, "–", _("The file has no rows with counts."))])
    workproduct_refresh(work_product=wp, by=by)
    return written


COUNTS = ("occupied", "away", "free", "persons")


def one_full_stop(text: str) -> str:
    """A sentence that ends in an abbreviation ("Økonomi 3. etg.") takes no second full stop."""
    return text[:-1] if text.endswith("..") and not text.endswith("...") else text


def _cached(cache, parse, raw):
    try:
        return cache[raw]
    except KeyError:
        value = cache[raw] = parse(raw)  # a ValueError is not cached: each bad cell reports itself
        return value
    except TypeError:  # not hashable
        return parse(raw)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column(columns, field):
    if field not in columns:
        return "–"
    return f"{_letter(columns[field])} ({HEADERS[FIELDS.index(field)]})"


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
