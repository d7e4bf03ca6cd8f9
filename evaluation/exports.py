"""HR's exports of evaluations and HMS measures as CSV (UTF-8 with BOM, semicolons) and XLSX, streamed through the
overview's writer (projects/exports.py) while the rows are read, with its one formula guard: CSV text that begins
like a formula (= + - @, tab, carriage return) gets an apostrophe, XLSX text is typed as text and shows none.
"""

from django.utils.translation import gettext as _

from projects import exports as project_exports


def measure_rows(measures, today):
    header = [
        _("Project"),
        _("Case"),
        _("No."),
        _("Focus area"),
        _("Goal"),
        _("Activity"),
        _("When"),
        _("When, in words"),
        _("Responsible"),
        _("Reporting"),
        _("Status"),
        _("Overdue"),
        _("Source"),
    ]
    rows = (
        [
            m.project.name,
            m.project.case_number,
            m.number,
            m.focus_area,
            m.goal,
            m.activity,
            m.due_date,
            m.when_text,
            m.responsible,
            m.reporting,
            m.get_status_display(),
            _("yes") if m.is_overdue(today) else _("no"),
            m.get_source_display(),
        ]
        for m in measures.iterator(chunk_size=2000)
        if not m.sensitive  # the selector already leaves them out; this keeps an export safe on its own
    )
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
    rows = (
        [
            p.name,
            p.case_number,
            p.evaluation.move_in,
            p.evaluation.window_opens,
            p.evaluation.window_closes,
            str(WindowState(p.evaluation_state).label),
            p.evaluation.completed_at.date() if p.evaluation.completed_at else None,
        ]
        for p in projects.iterator(chunk_size=2000)
    )
    return header, rows


def csv_response(header, rows, filename):
    """CSV streamed through the overview's writer (dates dd.mm.yyyy, decimal commas)."""
    chunks = project_exports.csv_chunks(header, rows)
    return project_exports.streamed(chunks, "text/csv; charset=utf-8", filename)


def xlsx_response(header, rows, title, filename):
    """XLSX streamed through the overview's writer (openpyxl's whole workbook took 0.5–2.2 s for the measures)."""
    chunks = project_exports.xlsx_chunks(header, rows, sheet_name=title, widths=[28, 12] + [18] * (len(header) - 2))
    return project_exports.streamed(chunks, project_exports.XLSX_TYPE, filename)
