"""Before/after figures from a file: HMS deviations from HR (issue 28 point 4) and a unit's results from 10-faktor or
ForBedring (issue 25 point 6). The worker reads the file (issue 29); errors are listed by row and column on the
import page and nothing is written; an import run again replaces the figures of the last one; decimals are read as
"4,2" and shown with a comma."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from evaluation import figures
from evaluation.figures import FigureRow
from evaluation.models import Figure
from projects.models import FileImport
from projects.services import file_import_run

DEVIATIONS = (
    "enhet;hva;periode før;før;periode etter;etter\r\n"
    "Byggesak;HMS-avvik;2026;41;2028;23\r\n"
    "Byggesak;Personskader;2026;3;2028;1\r\n"
)


def upload(text, name="fil.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def post(client, url, data, **extra):
    """Upload as the page does: the worker's job runs (eager in tests) and the page shows its outcome."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data, **extra)
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response.url)


def problems(response):
    return [(p["row"], p["column"]) for p in response.context["import_status"]["file_import"].problems]


def xlsx(rows, name="fil.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def test_hr_imports_deviations_and_they_show_as_before_after_on_hr_page_and_evaluation(
    client, hr, moved_in, project, owner, today
):
    client.force_login(hr)
    url = reverse("evaluation:hr_figure_import", args=[project.pk, "deviations"])
    page = client.get(reverse("evaluation:hr_project", args=[project.pk])).content.decode()
    assert url in page  # reached by clicking from HR's project page
    response = post(client, url, {"upload": upload(DEVIATIONS)})
    assert "2 rader importert" in response.content.decode()
    got = sorted((f.group, f.label, f.before, f.after, f.period_before) for f in Figure.objects.all())
    assert got == [
        ("Byggesak", "HMS-avvik", Decimal("41"), Decimal("23"), "2026"),
        ("Byggesak", "Personskader", Decimal("3"), Decimal("1"), "2026"),
    ]
    assert {f.kind for f in Figure.objects.all()} == {Figure.Kind.DEVIATIONS}
    page = client.get(reverse("evaluation:hr_project", args=[project.pk])).content.decode()
    assert "HMS-avvik" in page and "41" in page and "23" in page
    client.force_login(owner)
    page = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    assert "HMS-avvik" in page and "Byggesak" in page and "−18" in page


def test_deviation_import_lists_errors_by_row_and_writes_nothing(client, hr, moved_in, project, today):
    client.force_login(hr)
    bad = (
        "enhet;hva;periode før;før;periode etter;etter\r\n"
        "Byggesak;HMS-avvik;2026;41;2028;23\r\n"
        "Byggesak;;2026;3;2028;1\r\n"
        "Plan;HMS-avvik;2026;tolv;2028;=1+1\r\n"
        "Plan;Personskader;2026;-2;2028;\r\n"
    )
    url = reverse("evaluation:hr_figure_import", args=[project.pk, "deviations"])
    response = post(client, url, {"upload": upload(bad)}, HTTP_ACCEPT_LANGUAGE="en")
    assert problems(response) == [
        (3, "B (hva)"),
        (4, "D (før)"),
        (4, "F (etter)"),
        (5, "D (før)"),
        (5, "F (etter)"),
    ]
    page = response.content.decode()
    assert "Nothing was imported" in page or "Ingenting ble importert" in page
    assert "tolv" in page
    assert Figure.objects.count() == 0


def test_unknown_column_is_named(client, hr, moved_in, project, today):
    client.force_login(hr)
    url = reverse("evaluation:hr_figure_import", args=[project.pk, "deviations"])
    response = post(client, url, {"upload": upload("enhet;sort;før;etter\r\nA;1;2;3\r\n")})
    assert problems(response) == [(1, "B"), (1, "–")]
    assert Figure.objects.count() == 0


def test_a_new_file_replaces_the_last_one_and_twice_is_the_same(client, hr, moved_in, project, today):
    client.force_login(hr)
    url = reverse("evaluation:hr_figure_import", args=[project.pk, "deviations"])
    post(client, url, {"upload": upload(DEVIATIONS)})
    post(client, url, {"upload": upload(DEVIATIONS)})
    assert Figure.objects.count() == 2
    post(client, url, {"upload": upload("hva;før;etter\r\nHMS-avvik;10;8\r\n")})
    assert list(Figure.objects.values_list("label", "before")) == [("HMS-avvik", Decimal("10"))]


def test_owner_imports_10_faktor_from_xlsx_with_comma_decimals_shown_with_comma(
    client, owner, moved_in, project, today
):
    client.force_login(owner)
    url = reverse("evaluation:figure_import", args=[project.pk, "survey"])
    overview = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    assert url in overview
    file = xlsx([["faktor", "før", "etter"], ["Mestringsorientert ledelse", "4,2", 4.5], ["Mestringstro", 3.9, "4,1"]])
    data = {"system": "10-faktor", "group": "Byggesak", "period_before": "2026", "period_after": "2028", "upload": file}
    post(client, url, data)
    rows = list(Figure.objects.order_by("pk").values_list("label", "before", "after", "group", "source"))
    assert rows[0] == (
        "10-faktor: Mestringsorientert ledelse",
        Decimal("4.2"),
        Decimal("4.5"),
        "Byggesak",
        "survey_import",
    )
    page = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    assert "4,2" in page and "4,5" in page and "+0,3" in page


def test_survey_import_errors_by_row(client, owner, moved_in, project, today):
    client.force_login(owner)
    url = reverse("evaluation:figure_import", args=[project.pk, "survey"])
    text = "faktor;før;etter\r\nMestringstro;4,2;4.5\r\nMestringstro;3,9;4,1\r\nAutonomi;fire;4\r\n"
    response = post(client, url, {"system": "forbedring", "upload": upload(text)})
    assert problems(response) == [(3, "A (faktor)"), (4, "B (før)")]
    assert Figure.objects.count() == 0


def test_survey_results_of_two_units_do_not_replace_each_other(client, hr, moved_in, project, today):
    client.force_login(hr)
    url = reverse("evaluation:hr_figure_import", args=[project.pk, "survey"])
    for unit in ("Byggesak", "Plan", "Plan"):
        post(client, url, {"system": "10-faktor", "group": unit, "upload": upload("faktor;før;etter\r\nA;1;2\r\n")})
    assert sorted(Figure.objects.values_list("group", flat=True)) == ["Byggesak", "Plan"]


def test_the_job_run_again_does_nothing_more(client, hr, moved_in, project, today):
    client.force_login(hr)
    url = reverse("evaluation:hr_figure_import", args=[project.pk, "deviations"])
    post(client, url, {"upload": upload(DEVIATIONS)})
    done = FileImport.objects.get()
    before = list(Figure.objects.order_by("pk").values_list("pk", "label", "before", "after"))
    assert done.status == FileImport.Status.DONE and done.rows_written == 2 and not done.file  # the file is gone
    file_import_run(import_id=done.pk)  # the outbox delivers the job a second time
    assert list(Figure.objects.order_by("pk").values_list("pk", "label", "before", "after")) == before
    assert FileImport.objects.get().status == FileImport.Status.DONE


def test_only_who_may_import_follows_the_import(client, hr, moved_in, project, owner, today):
    client.force_login(hr)
    post(
        client, reverse("evaluation:hr_figure_import", args=[project.pk, "deviations"]), {"upload": upload(DEVIATIONS)}
    )
    status = reverse("projects:file_import", args=[project.pk, FileImport.objects.get().pk])
    assert client.get(status).status_code == 200
    client.force_login(owner)  # sees the project, may not import deviations (HR's)
    assert client.get(status).status_code == 403


def test_who_may_import(client, project, moved_in, today, hr):
    survey = reverse("evaluation:figure_import", args=[project.pk, "survey"])
    deviations = reverse("evaluation:figure_import", args=[project.pk, "deviations"])
    client.force_login(project.safety_rep)
    assert client.get(survey).status_code == 403
    client.force_login(project.owner)
    assert client.get(survey).status_code == 200
    assert client.get(deviations).status_code == 403  # deviations are HR's
    with pytest.raises(PermissionDenied):
        figures.figures_replace(
            evaluation=moved_in, by=project.owner, source=Figure.Source.DEVIATION_IMPORT,
            rows=[FigureRow(Figure.Kind.DEVIATIONS, "HMS-avvik", Decimal(1), Decimal(2))],
        )  # fmt: skip


def test_templates_download_with_their_headers(client, owner, today):
    client.force_login(owner)
    response = client.get(reverse("evaluation:figure_template", args=["deviations", "csv"]))
    assert b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0] == (
        "enhet;hva;periode før;før;periode etter;etter"
    )
    response = client.get(reverse("evaluation:figure_template", args=["survey", "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book.active[1]] == ["faktor", "før", "etter"]


def test_figures_replace_for_the_surveys_app_is_idempotent(project, moved_in, owner, today):
    rows = [FigureRow(Figure.Kind.EMPLOYEE_SURVEY, "Konsentrasjon", Decimal("3.1"), Decimal("3.8"), unit="poeng")]
    figures.figures_replace(evaluation=moved_in, by=owner, source=Figure.Source.SURVEY, batch="survey:1", rows=rows)
    figures.figures_replace(evaluation=moved_in, by=owner, source=Figure.Source.SURVEY, batch="survey:1", rows=rows)
    assert Figure.objects.filter(source=Figure.Source.SURVEY).count() == 1
