"""The one way a spreadsheet comes in: read a CSV or XLSX file within limits, yield its rows, collect the problems
by row and column, and turn cells into values (dates, hours, numbers) as Norwegians write them.

An importer (the occupancy study's, later survey results and deviation figures) describes its columns and what a
row means; everything about files is here:

- **Limits** (`Limits`): the file's size, its rows, its columns, the characters of one cell and, for XLSX, the
  unpacked size of the workbook. A file over a limit is refused with a message that names the limit, before the
  rows are read where that can be known (CSV lines are counted, an XLSX's parts are scanned first).
- **CSV** as Excel saves it in Norwegian settings: semicolons (or commas, or tabs), UTF-8 with or without BOM, or
  Windows-1252; read line by line, a line never longer than `Limits.line_bytes`.
- **XLSX read safely**: the package's parts are scanned with defusedxml's SAX parser before openpyxl sees them,
  so a DTD or an entity (billion laughs, external entities) is refused, a cell longer than the limit is refused
  by reference (C7) without being held in memory, and the unpacked size is known from the zip directory. Then
  openpyxl reads the first sheet in read-only mode, `Limits.columns` cells per row.
- **Problems** (`Problems`): every problem with its row and column; the first `SHOWN` are kept to be listed, the
  rest counted, so a file with a million bad rows does not fill the memory either.

**Importers** (`Importer`, the hook `importer`): an app says how its rows are checked and written; the upload is
stored (Django's default storage) with a job of the outbox, and the worker runs it (`projects.services`
`file_import_request` / `file_import_run`, the page's polling fragment `projects/_import.html`):

    extensions.register("importer", imports.Importer("<app>.<rows>", check=_check, write=_write,
                                                     perm="<app>.<permission>"))

- `check(file_import, source, problems, progress) -> prepared`: reads `source.rows()`, adds every problem to
  `problems` (by row and column), calls `progress(row number)` now and then, and writes nothing; it returns what
  `write` needs (compact tuples, not model objects: 100 000 rows must stay small).
- `write(file_import, prepared) -> rows written`: inside one transaction (with the job's outcome); raises
  ImportFailed for what changed since the check (a row recorded meanwhile), so nothing is written.
- `file_import` is a `projects.models.FileImport` (its `project`, `target` dict, `requested_by`, `name`); for a
  synchronous run (the demo seeder, a benchmark) an unsaved one: `imports.run(file_import, file)`.

docs/decisions.md: "Imports: one reader with limits; an XLSX is scanned before openpyxl reads it" and "Imports run
in the worker".
"""

import codecs
import csv
import io
import math
import re
import time as clock
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from xml.sax.handler import ContentHandler

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import extensions
from .validators import EARLIEST, LATEST

SHOWN = 200  # problems kept to be listed; the rest are counted
KB, MB = 1024, 1024 * 1024


@dataclass(frozen=True)
class Limits:
    bytes: int = 20 * MB  # the file as uploaded
    rows: int = 100_000  # rows under the header
    columns: int = 30  # cells read per row; more are not read
    cell: int = 1_000  # characters in one cell
    line_bytes: int = 256 * KB  # one CSV line (a cell over the cell limit is still reported by its row)
    unpacked: int = 200 * MB  # an XLSX's parts, unpacked
    strings: int = 200_000  # an XLSX's distinct texts (its shared strings)


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


class Problems:
    """The problems of one file: the first `keep` kept in order, all counted."""

    def __init__(self, keep: int = SHOWN):
        self.keep = keep
        self.shown: list[Problem] = []
        self.count = 0

    def add(self, row, column, message):
        self.count += 1
        if len(self.shown) < self.keep:
            self.shown.append(Problem(row, column or "–", str(message)))

    def extend(self, problems):
        for p in problems:
            self.add(p.row, p.column, p.message)

    def merge(self, other: "Problems"):
        """Add another file's problems: those it kept, and the count of those it only counted."""
        if other is self:
            return
        self.extend(other.shown)
        self.count += other.more

    def __bool__(self):
        return self.count > 0

    def __iter__(self):
        return iter(self.shown)

    def __getitem__(self, index):
        return self.shown[index]

    def __len__(self):
        return self.count

    @property
    def more(self) -> int:
        return self.count - len(self.shown)


class ImportFailed(Exception):
    """The file cannot be imported; `problems` says why, by row and column. Nothing was written."""

    def __init__(self, problems):
        if not isinstance(problems, Problems):
            collected = Problems()
            collected.extend(problems)
            problems = collected
        super().__init__(f"{problems.count} problems")
        self.problems = problems


def refuse(message, row=None, column="–"):
    raise ImportFailed([Problem(row, column, str(message))])


def letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    out, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _n(n: int) -> str:
    """A count as the reader writes it: 100 000 in Norwegian, 100,000 in English."""
    return number_format(n, force_grouping=True)


def _size(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{n // KB} KB"


# Reading -----------------------------------------------------------------------------------------------------


class Source:
    """One file's rows: `total` (rows counted before reading, for progress, or None) and `rows()`, which yields
    (row number, cells) with at most `limits.columns` cells, the header as row 1. Problems of a line or a cell
    go to `problems`; a problem with the whole file raises ImportFailed."""

    def __init__(self, file, name: str, limits: Limits, problems: Problems):
        self.file, self.limits, self.problems = file, limits, problems
        self.suffix = PurePosixPath(name or "").suffix.lower()
        if self.suffix not in (".csv", ".xlsx"):
            refuse(_("Choose a CSV or XLSX file."))
        size = _file_size(file)
        if size > limits.bytes:
            refuse(_("The file is larger than %(limit)s.") % {"limit": _size(limits.bytes)})
        if size == 0:
            refuse(_("The file is empty."))
        self.total = _check_xlsx(file, limits) if self.suffix == ".xlsx" else _count_lines(file, limits)

    def rows(self) -> Iterator[tuple[int, list]]:
        reader = _xlsx_rows if self.suffix == ".xlsx" else _csv_rows
        count = 0
        for number, cells in reader(self.file, self.limits, self.problems):
            if number > self.limits.rows + 1:  # rows under the header; an XLSX may skip row numbers
                refuse(
                    _("The file has more than %(n)s rows. Split it into smaller files.") % {"n": _n(self.limits.rows)}
                )
            for index, value in enumerate(cells):
                if isinstance(value, str) and len(value) > self.limits.cell:
                    message = _("The cell holds %(n)s characters; at most %(limit)s are read.")
                    self.problems.add(
                        number, letter(index), message % {"n": _n(len(value)), "limit": _n(self.limits.cell)}
                    )
                    cells[index] = ""
            count += 1
            yield number, cells
        if count == 0:
            refuse(_("The file is empty."))


def _file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        size = file.seek(0, io.SEEK_END)
        file.seek(position)
    return size


def _count_lines(file, limits: Limits) -> int:
    """The CSV's lines, counted in blocks before anything is parsed, so that a file of 850 000 rows is refused at
    once. Refuses binary and UTF-16 files. Returns the rows under the header (an estimate when quoted cells hold
    line breaks)."""
    file.seek(0)
    head = file.read(65536)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        refuse(
            _(
                "The file is not text in UTF-8 or Windows-1252 (it looks like UTF-16 or a binary file). "
                "Save it as “CSV UTF-8” or “CSV (semicolon)”."
            ),
            row=1,
        )
    lines, last = head.count(b"\n"), head[-1:]
    while block := file.read(MB):
        lines += block.count(b"\n")
        last = block[-1:]
    if last and last != b"\n":
        lines += 1
    file.seek(0)
    if lines - 1 > limits.rows:
        message = _("The file has %(lines)s lines; at most %(n)s rows are read. Split it into smaller files.")
        refuse(message % {"lines": _n(lines), "n": _n(limits.rows)})
    return max(lines - 1, 0)


def _encoding(head: bytes) -> str:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError as exc:
        # UTF-8 letters before the first bad byte: a UTF-8 file with a bad line (reported by row), else Windows-1252
        return "utf-8" if any(b >= 0x80 for b in head[: exc.start]) else "cp1252"


def _csv_rows(file, limits: Limits, problems: Problems):
    file.seek(0)
    encoding = _encoding(file.read(65536))
    file.seek(0)
    line_number = 0

    def lines():
        nonlocal line_number
        while True:
            raw = file.readline(limits.line_bytes + 1)
            if not raw:
                return
            line_number += 1
            if len(raw) > limits.line_bytes and not raw.endswith(b"\n"):
                message = _("Line %(n)s is longer than %(limit)s; the file cannot be read further.")
                refuse(message % {"n": line_number, "limit": _size(limits.line_bytes)}, row=line_number)
            if line_number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                message = _("The line is not valid %(enc)s text. Save the whole file in one encoding (UTF-8 is best).")
                problems.add(line_number, "–", message % {"enc": encoding.upper()})
                text = raw.decode(encoding, errors="replace")
            if "\x00" in text:
                problems.add(line_number, "–", _("The line holds a NUL character: the file is not plain text."))
                text = text.replace("\x00", "")
            yield text

    stream = lines()
    first = next(stream, "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(_chain(first, stream), delimiter=delimiter)
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # a cell longer than csv's own limit (128 KB), or a quote left open to the end of the file
            message = _("The row cannot be read: a cell is longer than %(limit)s or a quote is not closed.")
            problems.add(number, "–", message % {"limit": _size(csv.field_size_limit())})
            continue
        yield number, cells[: limits.columns]


def _chain(first, rest):
    yield first
    yield from rest


# XLSX ----------------------------------------------------------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class _TooMany(Exception):
    pass


class _TooLong(Exception):
    def __init__(self, ref=None):
        super().__init__(ref)
        self.ref = ref


class _Strings(ContentHandler):
    """Measures the shared strings without keeping them: their count, and which are longer than a cell may be."""

    def __init__(self, limits: Limits):
        super().__init__()
        self.limits = limits
        self.count = 0
        self.length = 0
        self.reading = False
        self.long: set[int] = set()

    def startElementNS(self, name, qname, attrs):  # noqa: N802 (SAX's names)
        if name[1] == "si":
            self.count += 1
            self.length = 0
            if self.count > self.limits.strings:
                raise _TooMany
        elif name[1] == "t":
            self.reading = True

    def endElementNS(self, name, qname):  # noqa: N802
        if name[1] == "t":
            self.reading = False

    def characters(self, content):
        if self.reading:
            self.length += len(content)
            if self.length > self.limits.cell:
                self.long.add(self.count - 1)


class _Sheet(ContentHandler):
    """Measures a sheet without keeping its text: its rows, and the first cell longer than the limit (by its
    own text, or by the shared string it points to)."""

    def __init__(self, limits: Limits, long_strings: set[int]):
        super().__init__()
        self.limits, self.long_strings = limits, long_strings
        self.rows = 0
        self.ref = None
        self.shared = False
        self.reading = False
        self.length = 0
        self.index = ""

    def startElementNS(self, name, qname, attrs):  # noqa: N802
        local = name[1]
        if local == "row":
            self.rows += 1
            if self.rows > self.limits.rows + 1:
                raise _TooMany
        elif local == "c":
            self.ref = attrs.get((None, "r"))
            self.shared = attrs.get((None, "t")) == "s"
            self.index = ""
        elif local in ("v", "t", "f"):
            self.reading, self.length = True, 0

    def endElementNS(self, name, qname):  # noqa: N802
        local = name[1]
        if local in ("v", "t", "f"):
            self.reading = False
        elif local == "c":
            if self.shared and self.index.strip().isdigit() and int(self.index) in self.long_strings:
                raise _TooLong(self.ref)
            self.ref = None

    def characters(self, content):
        if self.reading:
            self.length += len(content)
            if self.length > self.limits.cell:
                raise _TooLong(self.ref)
            if self.shared:
                self.index += content


def _parse(package, name, handler):
    """Parse one part of the package with defusedxml's SAX parser: no DTD, no entities, nothing fetched."""
    from defusedxml.expatreader import DefusedExpatParser

    parser = DefusedExpatParser(namespaceHandling=1, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(handler)
    with package.open(name) as part:
        parser.parse(part)


def _check_xlsx(file, limits: Limits) -> int:
    """Scan the workbook before openpyxl reads it. Returns the first sheet's rows under the header."""
    from xml.sax import SAXException

    from defusedxml import DefusedXmlException

    unreadable = _("The file cannot be read as an XLSX workbook.")
    file.seek(0)
    try:
        package = zipfile.ZipFile(file)
        infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        refuse(unreadable)
    if len(infos) > 1000 or sum(i.file_size for i in infos) > limits.unpacked:
        message = _(
            "The workbook unpacks to more than %(limit)s. Save only the sheet with the rows, as CSV if need be."
        )
        refuse(message % {"limit": _size(limits.unpacked)})
    names = {i.filename for i in infos}
    strings = _Strings(limits)
    sheet = None
    try:
        sheet = _first_sheet(package, names)
        if sheet is None:
            refuse(unreadable)
        if "xl/sharedStrings.xml" in names:
            _parse(package, "xl/sharedStrings.xml", strings)
        scan = _Sheet(limits, strings.long)
        _parse(package, sheet, scan)
        for name in sorted(names - {sheet, "xl/sharedStrings.xml"}):
            if name.endswith((".xml", ".rels", ".vml")):
                _parse(package, name, ContentHandler())  # a DTD anywhere is refused
    except _TooMany:
        if strings.count > limits.strings:
            message = _("The workbook holds more than %(n)s different texts. Save it as CSV and try again.")
            refuse(message % {"n": _n(limits.strings)})
        refuse(_("The file has more than %(n)s rows. Split it into smaller files.") % {"n": _n(limits.rows)})
    except _TooLong as exc:
        message = _("The cell %(ref)s holds more than %(limit)s characters.")
        refuse(message % {"ref": exc.ref or "?", "limit": _n(limits.cell)})
    except DefusedXmlException:
        refuse(_("The workbook contains a document type declaration (DTD) or entities, which are not allowed."))
    except (SAXException, SyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError):
        refuse(unreadable)
    finally:
        file.seek(0)
    return max(scan.rows - 1, 0)


def _first_sheet(package, names) -> str | None:
    """The path of the workbook's first sheet, from the workbook and its relationships (read safely)."""
    from defusedxml import ElementTree as SafeET

    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        if package.getinfo(part).file_size > 10 * MB:
            return None
    book = SafeET.fromstring(package.read("xl/workbook.xml"), forbid_dtd=True)
    rels = SafeET.fromstring(package.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    first = book.find(f"{{{MAIN_NS}}}sheets/{{{MAIN_NS}}}sheet")
    if first is None:
        return None
    rid = first.get(f"{{{rel_ns}}}id")
    for rel in rels.findall(f"{{{pkg_ns}}}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            path = str(PurePosixPath(path))
            return path if path in names else None
    return None


def _xlsx_rows(file, limits: Limits, problems: Problems):
    import openpyxl

    file.seek(0)
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=False)
        sheet = book.worksheets[0]
    except Exception:  # noqa: BLE001 - the scan passed, openpyxl still refused: the workbook is broken
        refuse(_("The file cannot be read as an XLSX workbook."))
    number = 0
    try:
        for number, cells in enumerate(sheet.iter_rows(max_col=limits.columns, values_only=True), start=1):
            yield number, list(cells)
    except ImportFailed:
        raise
    except Exception:  # noqa: BLE001 - a cell openpyxl cannot turn into a value (<v>NaN</v> in a number cell)
        message = _("Row %(n)s cannot be read: a cell holds a value that is not a number, text or date.")
        refuse(message % {"n": _n(number + 1)}, row=number + 1)
    finally:
        book.close()


# Values ------------------------------------------------------------------------------------------------------

DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y")
HOUR_RE = re.compile(r"^(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?(?:[:.]\d{2})?$", re.IGNORECASE)
FORMULA_STARTS = ("=", "+", "@")  # what a spreadsheet reads as a formula; "-" and "+" may start a number


def is_formula(value) -> bool:
    return isinstance(value, str) and value.strip().startswith("=")


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value) -> date:
    """A date cell, or text as 02.03.2027 or 2027-03-02; inside the date rule (2000–2100)."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        text = str(value or "").strip()
        for fmt in DATE_FORMATS:
            try:
                value = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError(_("“%(v)s” is not a date. Write it as 02.03.2027 or 2027-03-02.") % {"v": text[:40]})
    if not EARLIEST <= value <= LATEST:
        raise ValueError(
            _("%(v)s is not between %(first)s and %(last)s.")
            % {
                "v": value.strftime("%d.%m.%Y"),
                "first": EARLIEST.strftime("%d.%m.%Y"),
                "last": LATEST.strftime("%d.%m.%Y"),
            }  # fmt: skip
        )
    return value


def parse_hour(value) -> int:
    """A whole hour 0–23: 8, 08:00, kl. 8, a time cell, or a time typed as a fraction of a day."""
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        if value.minute or value.second:
            raise ValueError(_("Rounds are on the hour: write 08:00, not %(v)s.") % {"v": value.strftime("%H:%M")})
        return value.hour
    if isinstance(value, timedelta):  # a duration cell
        value = value.total_seconds() / 3600
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(_("“%(v)s” is not an hour from 0 to 23 (write 8 or 08:00).") % {"v": value})
    if isinstance(value, float) and 0 < value < 1:  # a time typed as a fraction of a day
        value = round(value * 24, 6)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != int(value) or not 0 <= value <= 23:
            raise ValueError(_("The hour is a whole number from 0 to 23."))
        return int(value)
    text = str(value or "").strip()
    m = HOUR_RE.match(text)
    if not m or (m.group(2) not in (None, "00")) or not 0 <= int(m.group(1)) <= 23:
        raise ValueError(_("“%(v)s” is not an hour from 0 to 23 (write 8 or 08:00).") % {"v": text[:40]})
    return int(m.group(1))


def parse_decimal(value) -> Decimal | None:
    """None for an empty cell; else a finite number, with a decimal comma or point (51,5 or 51.5), spaces as
    thousands separators allowed. NaN, infinity and exponents beyond reason are not numbers here."""
    if blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(_("“%(v)s” is not a number.") % {"v": value})
    if isinstance(value, int | float):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        text = text.replace("\u2212", "-").replace(",", ".")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(_("“%(v)s” is not a number.") % {"v": str(value)[:40]}) from None
    if not number.is_finite() or abs(number.adjusted()) > 15:
        raise ValueError(_("“%(v)s” is not a number.") % {"v": str(value)[:40]})
    return number


def parse_count(value, *, most=100_000) -> int | None:
    """None for an empty cell; else a whole number from 0 to `most` (3,0 is 3)."""
    number = parse_decimal(value)
    if number is None:
        return None
    if number < 0:
        raise ValueError(_("A count cannot be negative (%(v)s).") % {"v": value})
    if number != number.to_integral_value():
        raise ValueError(_("A count is a whole number (%(v)s).") % {"v": value})
    if number > most:
        raise ValueError(_("%(v)s is more than any zone holds.") % {"v": value})
    return int(number)


# Columns -----------------------------------------------------------------------------------------------------


@dataclass
class Columns:
    """An importer's columns: the header names of its template (in order, by field), other names it knows
    (aliases, lower case), and the fields a file must have. `read(header)` maps fields to indexes."""

    headers: dict[str, str]  # field → the template's header
    aliases: dict[str, str] = field(default_factory=dict)  # another header → field
    required: tuple[str, ...] = ()
    index: dict[str, int] = field(default_factory=dict)

    def read(self, header, problems: Problems) -> bool:
        """Map the header row; False (with its problems) when no row can be read under it."""
        known = {**{h.lower(): f for f, h in self.headers.items()}, **{f: f for f in self.headers}, **self.aliases}
        before = problems.count
        for i, cell in enumerate(header):
            name = str(cell or "").strip().lower().rstrip(":")
            if not name:
                continue
            found = known.get(name)
            if found is None:
                message = _("Unknown column “%(name)s”. The template's columns are: %(cols)s.")
                problems.add(1, letter(i), message % {"name": str(cell)[:40], "cols": ", ".join(self.headers.values())})
            elif found in self.index:
                problems.add(1, letter(i), _("The column “%(name)s” appears twice.") % {"name": str(cell)[:40]})
            else:
                self.index[found] = i
        for f in self.required:
            if f not in self.index:
                problems.add(1, "–", _("The column “%(name)s” is missing.") % {"name": self.headers[f]})
        return problems.count == before

    def cell(self, cells, name):
        i = self.index.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    def name(self, field_name) -> str:
        """How a problem names the column: its letter and header, "C (sone)"."""
        if field_name not in self.index:
            return "–"
        return f"{letter(self.index[field_name])} ({self.headers[field_name]})"


# Importers -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Importer:
    """A kind of import (an `importer` hook entry); see the module's docstring."""

    key: str
    check: Callable  # check(file_import, source, problems, progress) -> prepared; writes nothing
    write: Callable  # write(file_import, prepared) -> rows written; in the caller's transaction
    perm: str = "projects.change_project"  # on the project: who may upload, follow and try again
    limits: Limits = field(default_factory=Limits)
    result_url: Callable | None = None  # fn(file_import) -> where the imported rows are seen


def importers() -> dict[str, Importer]:
    return extensions.by_key("importer")


def importer(key: str) -> Importer:
    try:
        return importers()[key]
    except KeyError:
        raise LookupError(f"No importer {key!r} is registered") from None


def check_upload(upload, limits: Limits) -> None:
    """What can be told of an upload at once, before it is stored (its type and size): ValidationError on
    the field `upload`. Everything else is found by the worker."""
    suffix = PurePosixPath(getattr(upload, "name", "") or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError({"upload": _("Choose a CSV or XLSX file.")})
    size = _file_size(upload)
    if size > limits.bytes:
        raise ValidationError({"upload": _("The file is larger than %(limit)s.") % {"limit": _size(limits.bytes)}})
    if size == 0:
        raise ValidationError({"upload": _("The file is empty.")})


class _Throttled:
    """`progress(row)` for an importer's check: passes a row number on at most every `seconds`."""

    def __init__(self, report, seconds=1.0):
        self.report, self.seconds, self.last = report, seconds, clock.monotonic()

    def __call__(self, row):
        if self.report is not None and clock.monotonic() - self.last >= self.seconds:
            self.last = clock.monotonic()
            self.report(row)


def check(file_import, file, *, on_progress=None, on_total=None):
    """Read the file within the importer's limits and check every row; write nothing. Returns what `write`
    needs; raises ImportFailed with every problem (the first SHOWN kept, all counted)."""
    kind = importer(file_import.kind)
    problems = Problems()
    try:
        source = Source(file, file_import.name, kind.limits, problems)
        if on_total is not None:
            on_total(source.total)
        prepared = kind.check(file_import, source, problems, _Throttled(on_progress))
    except ImportFailed as exc:
        problems.merge(exc.problems)
    if problems:
        raise ImportFailed(problems)
    return prepared


def write(file_import, prepared) -> int:
    """Write what `check` prepared; call it inside a transaction. Raises ImportFailed (nothing is written)."""
    return importer(file_import.kind).write(file_import, prepared)


def run(file_import, file) -> int:
    """Check and write at once, in this process (the demo seeder, a benchmark): all rows or none."""
    prepared = check(file_import, file)
    with transaction.atomic():
        return write(file_import, prepared)
