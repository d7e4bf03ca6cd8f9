"""Import of occupancy observations: all rows or none, every error with its row and column, Excel's Norwegian
CSV dialects, XLSX with dates and formulas, a 20 000-row file streamed in batches, and the template read back by
LibreOffice."""

import csv
import io
from datetime import date, time, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from space import imports, selectors
from space.models import Observation
from tests.space.test_mapping import MON, small_study
from tests.support.libreoffice import rows_as_libreoffice_reads

pytestmark = pytest.mark.django_db

HEADER = "dato;time;sone;opptatt;midlertidig borte;ledig;personer"


def upload(content: bytes, name="runder.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def run(study, owner, content, name="runder.csv"):
    return imports.observations_import(study=study, by=owner, upload=upload(content, name))


@pytest.fixture
def study(doc_project):
    _wp, study, _zones, _units = small_study(doc_project)
    return study


def test_excel_norwegian_csv_imports(doc_project, study):
    """Semicolons, UTF-8 with BOM, dates as 03.02.2027, hours as 08:00, a decimal comma in a count."""
    rows = [
        HEADER, "03.02.2027;08:00;Øst;7;1;2;", "03.02.2027;08:00;vest;3,0;0;;", "03.02.2027;8;Møterom;;;;5", ";;;;;;"
    ]  # fmt: skip
    n = run(study, doc_project.owner, "\r\n".join(rows).encode("utf-8-sig"))
    assert n == 3
    east = Observation.objects.get(study=study, date=date(2027, 2, 3), zone__name="Øst")
    assert (east.hour, east.occupied, east.away, east.free) == (8, 7, 1, 2)
    assert Observation.objects.get(study=study, date=date(2027, 2, 3), zone__name="Møterom").persons == 5


def test_windows_1252_and_commas_import(doc_project, study):
    cp1252 = "\r\n".join([HEADER, "04.02.2027;09:00;Øst;5;0;5;"]).encode("cp1252")
    assert run(study, doc_project.owner, cp1252) == 1
    commas = b"date,hour,zone,occupied,away,free,persons\n2027-02-05,10,Vest,2,1,,\n"
    assert run(study, doc_project.owner, commas) == 1
    assert Observation.objects.filter(study=study, date__in=[date(2027, 2, 4), date(2027, 2, 5)]).count() == 2


def test_a_file_with_errors_writes_nothing_and_lists_each_with_row_and_column(doc_project, study):
    before = Observation.objects.count()
    rows = [
        HEADER,
        "03.02.2027;08:00;Øst;4;0;6;",  # 2: fine
        "31.02.2027;08:00;Øst;4;0;;",  # 3: no such date
        "03.02.2027;25;Øst;4;0;;",  # 4: no such hour
        "03.02.2027;09:00;Kantina;4;0;;",  # 5: unknown zone
        "03.02.2027;10:00;Øst;-1;0;;",  # 6: negative
        "03.02.2027;11:00;Øst;mange;0;;",  # 7: not a number
        "03.02.2027;12:00;Øst;9;3;;",  # 8: 12 present in 10 places
        "03.02.2027;13:00;Øst;=2+2;0;;",  # 9: a formula
        "03.02.2027;08:00;Øst;1;0;;",  # 10: the same round as row 2
        "01.02.2027;08:00;Øst;1;0;;",  # 11: recorded already
        "20.03.2027;08:00;Øst;1;0;;",  # 12: outside the study
        "03.02.2027;14:00;Øst;2,5;0;;",  # 13: not whole
    ]
    with pytest.raises(imports.ImportFailed) as exc:
        run(study, doc_project.owner, "\n".join(rows).encode("utf-8"))
    found = {(p.row, p.column.split(" ")[0]) for p in exc.value.problems}
    assert found == {
        (3, "A"), (4, "B"), (5, "C"), (6, "D"), (7, "D"), (8, "D"), (9, "D"), (10, "C"), (11, "C"), (12, "A"), (13, "D")
    }  # fmt: skip
    messages = " ".join(p.message for p in exc.value.problems)
    assert "Kantina" in messages and "formel" in messages and "12, flere enn de 10 plassene" in messages
    assert Observation.objects.count() == before


def test_wrong_header_and_wrong_encoding_are_refused(doc_project, study):
    with pytest.raises(imports.ImportFailed) as exc:
        run(study, doc_project.owner, b"dag;klokke;sone;opptatt\n03.02.2027;8;\xc3\x98st;1\n")
    assert {(p.row, p.column) for p in exc.value.problems} >= {(1, "A"), (1, "B"), (1, "–")}
    utf16 = "\r\n".join([HEADER, "03.02.2027;08:00;Øst;1;0;;"]).encode("utf-16")
    with pytest.raises(imports.ImportFailed) as exc:
        run(study, doc_project.owner, utf16)
    assert "UTF-16" in exc.value.problems[0].message
    mixed = ("\n".join([HEADER, "03.02.2027;08:00;Øst;1;0;;"]) + "\n").encode() + b"03.02.2027;09:00;\xd8st;1;0;;\n"
    with pytest.raises(imports.ImportFailed) as exc:  # UTF-8 first, a Windows-1252 line further down
        run(study, doc_project.owner, mixed)
    assert [(p.row, p.column) for p in exc.value.problems][0] == (3, "–")
    assert not Observation.objects.filter(study=study, date=date(2027, 2, 3)).exists()


def _xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_date_and_time_cells_imports_and_a_formula_is_refused(doc_project, study):
    header = imports.HEADERS
    good = _xlsx([header, [date(2027, 2, 8), time(8, 0), "Øst", 6, 1, 3, None], [date(2027, 2, 8), 9, "Vest", 2.0, 0]])
    assert run(study, doc_project.owner, good, "runder.xlsx") == 2
    bad = _xlsx([header, [date(2027, 2, 9), 8, "Øst", "=A1*2", 0, None, None]])
    with pytest.raises(imports.ImportFailed) as exc:
        run(study, doc_project.owner, bad, "runder.xlsx")
    assert [(p.row, p.column) for p in exc.value.problems] == [(2, "D (opptatt)")]
    with pytest.raises(imports.ImportFailed):
        run(study, doc_project.owner, b"not a zip", "runder.xlsx")


def big_file(study_start, n_days=10, hours=range(7, 18), zones=None, error_last=False):
    """A valid CSV of 20 000 rows or so: `zones` zone names × days × hours."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(imports.HEADERS)
    n = 0
    for d in range(n_days):
        for h in hours:
            for z in zones:
                w.writerow([(study_start + timedelta(days=d)).strftime("%d.%m.%Y"), f"{h:02d}:00", z, 3, 1, 1, ""])
                n += 1
    if error_last:
        w.writerow([(study_start + timedelta(days=n_days)).strftime("%d.%m.%Y"), "07:00", zones[0], 99, 0, "", ""])
    return out.getvalue().encode("utf-8-sig"), n


def test_twenty_thousand_rows_import_in_batches_or_not_at_all(doc_project, study, monkeypatch):
    from space import services as space

    zones = [f"Sone {i:03d}" for i in range(182)]  # 182 zones × 10 days × 11 hours = 20 020 rows
    for z in zones:
        space.zone_save(study=study, by=doc_project.owner, data={"name": z, "places": 5})
    sizes = []
    real = Observation.objects.bulk_create

    def counting(objs, *args, **kwargs):
        sizes.append(len(objs))
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Observation.objects, "bulk_create", counting)
    content, n = big_file(MON, zones=zones, error_last=True)
    assert n == 20_020
    with pytest.raises(imports.ImportFailed) as exc:
        run(study, doc_project.owner, content)
    assert [(p.row, p.column) for p in exc.value.problems] == [(n + 2, "D (opptatt)")]
    assert not Observation.objects.filter(zone__name__startswith="Sone").exists()  # the batches were rolled back
    sizes.clear()
    content, n = big_file(MON, zones=zones)
    assert run(study, doc_project.owner, content) == 20_020
    assert max(sizes) <= imports.BATCH and sum(sizes) == 20_020  # never more than a batch of objects at once
    assert Observation.objects.filter(zone__name__startswith="Sone").count() == 20_020
    report = selectors.study_report(study, project=doc_project)
    assert report.result.observations == 20_020 + 12


def test_the_import_page_lists_the_errors(client, doc_project, study):
    client.force_login(doc_project.owner)
    content = "\n".join([HEADER, "03.02.2027;08:00;Kantina;1;0;;"]).encode()
    url = reverse("space:study_import", args=[doc_project.pk, study.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker's job (eager in tests)
        response = client.post(url, {"upload": upload(content)})
    assert response.status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ingenting ble importert" in page and "Kantina" in page and "<td>2</td><td>C (sone)</td>" in page


def test_the_template_opens_in_libreoffice_with_the_right_headers(client, doc_project, study, tmp_path):
    client.force_login(doc_project.owner)
    content = client.get(reverse("space:study_template", args=[doc_project.pk, study.pk, "xlsx"])).content
    rows = rows_as_libreoffice_reads(content, tmp_path, "mal.xlsx")
    assert rows[0] == imports.HEADERS
    assert rows[1][:3] == ["01.02.2027", "8", "Møterom"]
    # What LibreOffice wrote back imports again once counts are filled in (rows left empty are skipped).
    wednesday = next(r for r in rows if r[0] == "03.02.2027" and r[2] == "Møterom")
    wednesday[6] = "4"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    assert run(study, doc_project.owner, out.getvalue().encode(), "mal.csv") == 1


def test_a_zone_named_like_a_formula_is_inert_in_both_templates(doc_project, study):
    """Issue 23: the study template wrote a zone named "=…" as a live formula."""
    from space import services as space_services

    name = '=HYPERLINK("http://evil.example/","Klikk")'
    space_services.zone_save(study=study, by=doc_project.owner, data={"name": name, "places": 4})
    book = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(study)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    zone_cells = [c for c in cells if c.value == name]
    assert zone_cells and all(c.data_type == "s" for c in zone_cells)  # text, shown as written
    assert not any(c.data_type == "f" for c in cells)
    rows = list(csv.reader(io.StringIO(imports.template_csv(study).decode("utf-8-sig")), delimiter=";"))
    assert "'" + name in [r[2] for r in rows[1:]]  # CSV keeps the apostrophe


def test_nan_and_infinity_in_a_count_are_errors_of_their_row(doc_project, study):
    before = Observation.objects.count()
    content = "\r\n".join([HEADER, "03.02.2027;08:00;Øst;NaN;0;0;", "03.02.2027;09:00;Øst;inf;0;0;"])
    with pytest.raises(imports.ImportFailed) as exc:
        run(study, doc_project.owner, content.encode("utf-8"))
    assert [(p.row, p.column[:1]) for p in exc.value.problems] == [(2, "D"), (3, "D")]
    assert Observation.objects.count() == before
