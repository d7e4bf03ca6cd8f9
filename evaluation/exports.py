"""HR's exports of evaluations and HMS measures as CSV (UTF-8 with BOM, semicolons) and XLSX.

Every text cell that a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
return) gets a leading apostrophe, so that an exported measure can never run as a formula.
"""

import csv
import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that is safe to open in a spreadsheet."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def measure_rows(measures, today):
    header = [
        _("Project"),
        _("Case"),
        _("No."),
        _("Focus area"),
        _("Goal"),
        _("Activity"),
        _("When"),
        _("Responsible"),
        _("Reporting"),
        _("Status"),
        _("Overdue"),
        _("Source"),
    ]
    rows = [
        [
            m.project.name,
            m.project.case_number,
            m.number,
            m.focus_area,
            m.goal,
            m.activity,
            m.due_date,
            m.responsible,
            m.reporting,
            m.get_status_display(),
            _("yes") if m.is_overdue(today) else _("no"),
            m.get_source_display(),
        ]
        for m in measures
        if not m.sensitive  # the selector already leaves them out; this keeps an export safe on its own
    ]
    return header, rows


def evaluation_rows(projects):
    from .models import WindowState

    header = [
        _("Project"),
        _("Case"),
        _("Actual move-in"),
        _("Evaluation window opens"),
        _("Evaluation window closes"),
        _("State"),
        _("Completed"),
    ]
    rows = [
        [
            p.name,
            p.case_number,
            p.evaluation.move_in,
            p.evaluation.window_opens,
            p.evaluation.window_closes,
            str(WindowState(p.evaluation_state).label),
            p.evaluation.completed_at.date() if p.evaluation.completed_at else None,
        ]
        for p in projects
    ]
    return header, rows


def _text(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return str(value)


def to_csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(_text(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([neutralise(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([neutralise(v) if isinstance(v, str) else v for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
