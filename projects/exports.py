"""Spreadsheets: XLSX (written directly, see below) and CSV as Norwegian Excel reads it (UTF-8 with a byte-order
mark, semicolons), streamed while they are written, so a download of 20 000 rows never sits whole in memory. The
overview's exports and HR's use them.

The one formula guard of every export and generated template: in CSV, where a cell has no type, text that a
spreadsheet would read as a formula gets a leading apostrophe (`neutralise`, applied by `csv_chunks`); in XLSX a
text cell is written as text (an inline string here, openpyxl's data type "s" through `xlsx_text` elsewhere),
which no spreadsheet evaluates, so it needs no apostrophe and shows none."""

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape as xml_escape

from django.http import StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A CSV cell: text that begins like a formula gets a leading apostrophe, so it stays text (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_text(cell):
    """An openpyxl cell whose value is text: typed as text, so that "=…" is shown, never evaluated. Returns it."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def cell_values(rows, columns):
    """The header and, lazily, one list of plain values per row: str, int, date or None."""
    header = [str(c.label) for c in columns]
    return header, _cell_rows(rows, columns)


def _cell_rows(rows, columns):
    labels = {}  # a lazy label (the same object on every row: a status, a state) is translated once per export
    for row in rows:
        values = []
        for c in columns:
            value = c.value(row)
            if isinstance(value, Promise):
                known = labels.get(id(value))
                if known is None:
                    known = labels[id(value)] = (value, str(value))  # kept alive, so its id is not reused
                value = known[1]
            elif value is not None and not isinstance(value, (int, float, date)):
                value = str(value)
            values.append(value)
        yield values


def _filename(today, ext):
    return f"{_('projects')}-{today.isoformat()}.{ext}"


ROWS_PER_CHUNK = 500  # rows written before a streamed export hands the bytes so far to the server


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"  # dd.mm.yyyy, without strftime's cost
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return neutralise(value)


def csv_chunks(header, body):
    """CSV as Norwegian Excel reads it (a byte-order mark, semicolons, dd.mm.yyyy), in pieces of
    ROWS_PER_CHUNK rows: the whole file is never held in memory."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow([neutralise(h) for h in header])
    for n, values in enumerate(body, 1):
        writer.writerow([_csv_cell(v) for v in values])
        if n % ROWS_PER_CHUNK == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def csv_text(rows, columns) -> str:
    header, body = cell_values(rows, columns)
    return b"".join(csv_chunks(header, body)).decode("utf-8").removeprefix("\ufeff")


def streamed(chunks, content_type, filename):
    """A download written while it is sent (StreamingHttpResponse), named `filename`."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(rows, columns, today):
    header, body = cell_values(rows, columns)
    return streamed(csv_chunks(header, body), "text/csv; charset=utf-8", _filename(today, "csv"))


# XLSX, written directly: openpyxl's write-only mode spent about 2 ms per row of 25 cells (5 s for 2 000 rows),
# building and serialising an element per cell. The workbook below is the smallest SpreadsheetML package that
# Excel, LibreOffice and openpyxl open: one sheet, a bold header row frozen at the top, column widths, text as
# inline strings (never a formula, whatever it begins with), numbers, and dates as dates (serial number and a
# dd.mm.yyyy format). docs/decisions.md: "Exports: XLSX written directly".

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = (
    XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    XML_HEAD + f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
    f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    XML_HEAD + f'<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>'
)
# Cell styles: 0 plain, 1 bold (the header), 2 a date shown as dd.mm.yyyy.
STYLES = (
    XML_HEAD + f'<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
EXCEL_EPOCH = date(1899, 12, 30)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return xml_escape(NOT_XML.sub("", value))


def _row_xml(number: int, values, letters, style="") -> str:
    cells = []
    for letter, value in zip(letters, values, strict=True):
        ref = f"{letter}{number}"
        if value is None or value == "":
            continue
        if isinstance(value, str):
            cells.append(f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>')
        elif isinstance(value, datetime):
            cells.append(f'<c r="{ref}" s="2"><v>{(value.date() - EXCEL_EPOCH).days}</v></c>')
        elif isinstance(value, date):
            cells.append(f'<c r="{ref}" s="2"><v>{(value - EXCEL_EPOCH).days}</v></c>')
        else:  # int, float or Decimal
            cells.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Sink(io.RawIOBase):
    """Where the streamed ZIP package is written: it keeps what came since the last `drain()`. It cannot seek,
    so zipfile writes each part's sizes after its data (a data descriptor), as streamed packages do."""

    def __init__(self):
        self.chunks = []

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


def xlsx_chunks(header, body, *, sheet_name, widths=None):
    """The workbook of `header` and the rows of `body` (str, int, float, Decimal, date or None), written and
    compressed while it is sent, ROWS_PER_CHUNK rows at a time."""
    letters = [_column_letter(i) for i in range(1, len(header) + 1)]
    widths = widths or [18] * len(header)
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    name = xml_escape(re.sub(r"[\[\]:*?/\\]", "", str(sheet_name))[:31], {'"': "&quot;"})
    workbook = (
        XML_HEAD + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        package.writestr("xl/styles.xml", STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                (
                    XML_HEAD + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
                    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                    "</sheetView></sheetViews>"
                    f"<cols>{cols}</cols><sheetData>" + _row_xml(1, header, letters, style=' s="1"')
                ).encode()
            )
            rows = []
            for n, values in enumerate(body, 2):
                rows.append(_row_xml(n, values, letters))
                if len(rows) == ROWS_PER_CHUNK:
                    sheet.write("".join(rows).encode())
                    rows.clear()
                    yield sink.drain()
            sheet.write(("".join(rows) + "</sheetData></worksheet>").encode())
        yield sink.drain()
    yield sink.drain()  # the central directory, written when the package closes


def xlsx_bytes(rows, columns) -> bytes:
    header, body = cell_values(rows, columns)
    return b"".join(xlsx_chunks(header, body, sheet_name=_("Projects"), widths=[c.width for c in columns]))


def xlsx_response(rows, columns, today):
    header, body = cell_values(rows, columns)
    chunks = xlsx_chunks(header, body, sheet_name=_("Projects"), widths=[c.width for c in columns])
    return streamed(chunks, XLSX_TYPE, _filename(today, "xlsx"))
