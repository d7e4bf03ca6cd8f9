"""The overview as a spreadsheet: XLSX (openpyxl, write-only) and CSV as Norwegian Excel reads it (UTF-8 with
a byte-order mark, semicolons). Text that a spreadsheet would read as a formula is neutralised."""

import csv
import io
from datetime import date, datetime

from django.http import HttpResponse
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
    body = []
    for row in rows:
        values = []
        for c in columns:
            value = c.value(row)
            if value is not None and not isinstance(value, (int, float, date)):
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


def xlsx_bytes(rows, columns) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    header, body = cell_values(rows, columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Projects"))
    for i, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for values in body:
        cells = []
        for value in values:
            if isinstance(value, date) and not isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD.MM.YYYY"
                cells.append(cell)
            elif isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # never a formula, whatever the text
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(rows, columns, today):
    response = HttpResponse(xlsx_bytes(rows, columns), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(today, "xlsx")}"'
    return response
