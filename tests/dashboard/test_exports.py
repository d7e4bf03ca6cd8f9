"""The exports hold exactly the rows of the filtered page, as Norwegian Excel and LibreOffice read them, with
formulas neutralised."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from projects.exports import neutralise
from projects.models import Role
from tests.factories import ProjectFactory, coordinator, member
from tests.support.libreoffice import rows_as_libreoffice_reads

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/","Klikk")'


@pytest.fixture
def coord(client):
    for n, name in enumerate(["Alfa flytter", "Beta bygger om", HYPERLINK, "-Minus", "@Krøll", "+Pluss"]):
        project = ProjectFactory(
            name=name, status="completed" if n == 1 else "active", planned_move_in=date(2027, 3, n + 1)
        )
        member(project, Role.OWNER, full_name="Kari Nordmann" if n != 4 else "=1+1")
    client.force_login(coordinator())
    return client


def page_names(client, query):
    response = client.get(reverse("dashboard:overview") + query)
    return [row.name for row in response.context["page"].object_list]


def csv_rows(client, query):
    response = client.get(reverse("dashboard:export", args=["csv"]) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming  # written while it is sent, never whole in memory
    assert response["Content-Disposition"].startswith('attachment; filename="prosjekter-')
    raw = response.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for Excel
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(client, query):
    response = client.get(reverse("dashboard:export", args=["xlsx"]) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    content = response.getvalue()
    return content, load_workbook(io.BytesIO(content)).active


def restore(name):
    return name[1:] if name.startswith("'") else name


@pytest.mark.parametrize("query", ["", "?status=active", "?q=flytter", "?sort=-planned_move_in&status=active"])
def test_exports_hold_the_rows_of_the_filtered_page(coord, query):
    expected = page_names(coord, query)
    rows = csv_rows(coord, query)
    assert rows[0][:3] == ["Prosjekt", "Saksnummer", "Organisasjon"]
    assert [restore(r[0]) for r in rows[1:]] == expected
    _content, sheet = xlsx_rows(coord, query)
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("Prosjekt", "Saksnummer")
    assert [restore(v[0]) for v in values[1:]] == expected


def test_cells_that_begin_like_formulas_are_neutralised(coord):
    rows = csv_rows(coord, "?sort=name")
    first_cells = [r[0] for r in rows[1:]]
    assert "'" + HYPERLINK in first_cells
    assert {"'-Minus", "'@Krøll", "'+Pluss"} <= set(first_cells)
    assert "'=1+1" in [cell for r in rows for cell in r]
    _content, sheet = xlsx_rows(coord, "?sort=name")
    cells = [c for row in sheet.iter_rows() for c in row]
    hyperlink = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert hyperlink.value == HYPERLINK  # typed as text: shown as written, with no apostrophe
    assert hyperlink.data_type == "s"  # text, not a formula
    assert "=1+1" in [c.value for c in cells] and not any(str(c.value).startswith("'") for c in cells)
    assert not any(c.data_type == "f" for c in cells)


def test_neutralise_leaves_numbers_and_plain_text_alone():
    assert neutralise(-5) == -5
    assert neutralise("Alfa") == "Alfa"
    assert neutralise("\tx") == "'\tx"


def test_xlsx_keeps_dates_as_dates_with_a_header_and_widths(coord):
    _content, sheet = xlsx_rows(coord, "?q=alfa")
    header = [c.value for c in sheet[1]]
    column = header.index("Planlagt innflytting") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.value.date() == date(2027, 3, 1)
    assert cell.number_format == "DD.MM.YYYY"
    assert sheet[1][0].font.bold
    assert sheet.column_dimensions["A"].width == 40
    assert sheet.freeze_panes == "A2"


def test_csv_writes_dates_the_norwegian_way(coord):
    rows = csv_rows(coord, "?q=alfa")
    column = rows[0].index("Planlagt innflytting")
    assert rows[1][column] == "01.03.2027"


def test_the_xlsx_opens_in_libreoffice_with_the_same_rows(coord, tmp_path):
    content, _sheet = xlsx_rows(coord, "?status=active")
    rows = rows_as_libreoffice_reads(content, tmp_path, "prosjekter.xlsx")
    expected = page_names(coord, "?status=active")
    assert [restore(r[0]) for r in rows[1:]] == expected
    assert rows[0][0] == "Prosjekt"
    cells = [cell for r in rows for cell in r]
    assert "=1+1" in cells and "2" not in cells  # text typed as text: LibreOffice shows it, evaluates nothing
    column = rows[0].index("Planlagt innflytting")
    alfa = next(r for r in rows if r[0] == "Alfa flytter")
    assert alfa[column] == "01.03.2027"  # still a date, shown with its format
