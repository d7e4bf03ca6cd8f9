"""The overview as a spreadsheet: XLSX (written directly, see below) and CSV as Norwegian Excel reads it (UTF-8 with
a byte-order mark, semicolons). Text that a spreadsheet would read as a formula is neutralised."""

import csv
import io
import re
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape as xml_escape

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A text cell that begins like a formula gets a leading apostrophe, so it stays text (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_values(rows, columns):
    """The header and one list of plain values per row: str, int, date or None."""
    header = [str(c.label) for c in columns]
    labels = {}  # a lazy label (the same object on every row: a status, a state) is translated once per export
    body = []
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
            values.append(neutralise(value))
        body.append(values)
    return header, body


def _filename(today, ext):
    return f"{_('projects')}-{today.isoformat()}.{ext}"


def csv_text(rows, columns) -> str:
    header, body = cell_values(rows, columns)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for values in body:
        writer.writerow(["" if v is None else v.strftime("%d.%m.%Y") if isinstance(v, date) else v for v in values])
    return out.getvalue()


def csv_response(rows, columns, today):
    response = HttpResponse(
        ("\ufeff" + csv_text(rows, columns)).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(today, "csv")}"'
    return response


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
        else:  # int or float
            cells.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def xlsx_bytes(rows, columns) -> bytes:
    header, body = cell_values(rows, columns)
    letters = [_column_letter(i) for i in range(1, len(columns) + 1)]
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{column.width}" customWidth="1"/>' for i, column in enumerate(columns, 1)
    )
    sheet = [
        XML_HEAD,
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
        f"<cols>{widths}</cols><sheetData>",
        _row_xml(1, header, letters, style=' s="1"'),
    ]
    sheet.extend(_row_xml(n, values, letters) for n, values in enumerate(body, 2))
    sheet.append("</sheetData></worksheet>")
    name = xml_escape(re.sub(r"[\[\]:*?/\\]", "", str(_("Projects")))[:31], {'"': "&quot;"})
    workbook = (
        XML_HEAD + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
        f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        package.writestr("xl/styles.xml", STYLES)
        package.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
    return out.getvalue()


def xlsx_response(rows, columns, today):
    response = HttpResponse(xlsx_bytes(rows, columns), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(today, "xlsx")}"'
    return response
