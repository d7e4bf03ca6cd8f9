"""HR reads evaluations and non-sensitive HMS measures across projects, exports them and prints the report."""

import csv
import datetime
import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluation import services
from projects.exports import neutralise
from projects.models import GeneratedDocument, Role
from projects.services import document_render
from tests.evaluation.test_freeze import complete
from tests.factories import ProjectFactory, member

SECRET = "Konflikt mellom to navngitte ansatte"


@pytest.fixture
def world(moved_in, project, owner):
    services.measure_create(
        project=project, by=owner, focus_area="Støy", goal="Ro", activity="=HYPERLINK(\"http://x\")",
        responsible="Kari", source="evaluation", due_date=datetime.date(2027, 1, 1),
    )  # fmt: skip
    services.measure_create(
        project=project, by=owner, focus_area=SECRET, goal="Bedre klima", activity="Samtaler med BHT",
        responsible="Kari", source="evaluation", sensitive=True, due_date=datetime.date(2026, 12, 1),
    )  # fmt: skip
    services.measure_create(
        project=project, by=owner, focus_area="Garderobe", goal="Nok skap", activity="Ti skap",
        responsible="Kari", source="risk", due_date=datetime.date(2027, 12, 1),
    )  # fmt: skip
    return project


def test_hr_lands_on_the_hr_page_and_sees_it_in_the_menu(client, hr, world, today):
    client.force_login(hr)
    response = client.get("/")
    assert response.url == reverse("evaluation:hr")
    page = client.get(reverse("evaluation:hr")).content.decode()
    assert f'href="{reverse("evaluation:hr")}"' in page
    assert world.name in page


def test_hr_sees_no_sensitive_measure_on_the_page_and_overdue_come_first(client, hr, world, today):
    client.force_login(hr)
    page = client.get(reverse("evaluation:hr")).content.decode()
    assert SECRET not in page
    assert page.index("Støy") < page.index("Garderobe")  # overdue (1 January) before the December deadline


def test_hr_project_page_has_no_sensitive_measure(client, hr, world, today):
    client.force_login(hr)
    page = client.get(reverse("evaluation:hr_project", args=[world.pk])).content.decode()
    assert "Garderobe" in page
    assert SECRET not in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_leave_out_sensitive_measures_and_neutralise_formulas(client, hr, world, today, fmt):
    client.force_login(hr)
    response = client.get(reverse("evaluation:hr_export", args=["measures", fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        raw = response.getvalue()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    else:
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(response.getvalue())).active
        rows = [[c if c is not None else "" for c in r] for r in ws.iter_rows(values_only=True)]
    cells = [str(c) for r in rows for c in r]
    assert not any(SECRET in c for c in cells)
    assert len(rows) == 3  # header and the two measures that are not sensitive
    if fmt == "csv":
        assert '\'=HYPERLINK("http://x")' in cells
        assert not any(c.startswith(("=", "+", "@")) for c in cells)
    else:  # text typed as text: shown as written, no apostrophe, never a formula
        assert '=HYPERLINK("http://x")' in cells
        assert not any(c.startswith("'") for c in cells)
        assert not any(c.data_type == "f" for r in ws.iter_rows() for c in r)
        assert all(ws.column_dimensions[letter].width >= 12 for letter in "ABCDEFGHIJKL")  # dates never ###


def test_evaluations_export(client, hr, world, today):
    client.force_login(hr)
    response = client.get(reverse("evaluation:hr_export", args=["evaluations", "csv"]))
    text = response.getvalue().decode("utf-8-sig")
    assert world.name in text
    assert "31.08.2026" in text


@pytest.mark.parametrize("value", ["=1+1", "+47 555", "-2", "@SUM(A1)", "\tx"])
def test_neutralise(value):
    assert neutralise(value) == "'" + value


def test_the_report_pdf_has_the_results_and_no_sensitive_measure(client, hr, world, owner, today, settings):
    services.figure_add(evaluation=world.evaluation, by=hr, kind="sick_leave", label="Sykefravær", before=7, after=6)
    complete(world.evaluation, owner)  # the figures lock with it
    client.force_login(hr)
    response = client.post(reverse("evaluation:hr_report_request", args=[world.pk]))
    assert response.status_code == 302
    doc = GeneratedDocument.objects.get(project=world, kind="evaluation-report")
    document_render(document_id=doc.pk)
    doc.refresh_from_db()
    assert doc.is_done
    page = client.get(reverse("evaluation:hr_project", args=[world.pk])).content.decode()
    url = reverse("evaluation:hr_report_download", args=[world.pk, doc.pk])
    assert url in page
    pdf = client.get(url)
    assert pdf.status_code == 200
    body = b"".join(pdf.streaming_content)
    assert hashlib.sha256(body).hexdigest() == doc.sha256
    reader = PdfReader(io.BytesIO(body))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Evalueringsrapport" in text
    assert "Garderobe" in text
    assert "Sykefravær" in text
    assert "Konflikt" not in text
    assert reader.metadata.title.startswith("Evalueringsrapport")
    assert reader.metadata.author == owner.full_name  # not "Prosessguiden"
    assert world.case_number in reader.metadata["/Keywords"]


def test_hr_without_a_project_role_sees_no_case_file(client, hr, world, today):
    client.force_login(hr)
    assert client.get(reverse("projects:detail", args=[world.pk])).status_code == 404
    assert client.get(reverse("evaluation:overview", args=[world.pk])).status_code == 404


EDIT_URLS = [
    ("evaluation:move_in", []),
    ("evaluation:move_in_correct", []),
    ("evaluation:freeze", []),
    ("evaluation:change_request_create", []),
    ("evaluation:plan", []),
    ("evaluation:follow_up", []),
    ("evaluation:result_create", []),
    ("evaluation:figure_create", []),
    ("evaluation:complete", []),
    ("evaluation:measure_create", []),
    ("evaluation:measures_prioritise", []),
    ("projects:edit", []),
]


@pytest.mark.parametrize(("name", "extra"), EDIT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_hr_gets_404_on_every_edit_url(client, hr, world, today, name, extra, method):
    client.force_login(hr)
    response = getattr(client, method)(reverse(name, args=[world.pk, *extra]))
    assert response.status_code in (403, 404)


def test_hr_cannot_edit_a_measure(client, hr, world, today):
    client.force_login(hr)
    measure = world.measures.first()
    assert client.post(reverse("evaluation:measure_edit", args=[world.pk, measure.pk])).status_code == 404


def test_projects_before_move_in_are_not_on_the_hr_page(client, hr, world, today):
    other = ProjectFactory(name="Ikke flyttet")
    member(other, Role.OWNER)
    client.force_login(hr)
    page = client.get(reverse("evaluation:hr")).content.decode()
    assert "Ikke flyttet" not in page
    assert client.get(reverse("evaluation:hr_project", args=[other.pk])).status_code == 404


def test_other_people_get_no_hr_page(client, world, owner, today):
    client.force_login(owner)
    assert client.get(reverse("evaluation:hr")).status_code == 403
    assert client.get(reverse("evaluation:hr_project", args=[world.pk])).status_code == 404


def test_hr_tries_a_late_report_again_and_it_is_made(client, hr, world, owner, django_capture_on_commit_callbacks):
    """Asked for while the worker was away (its job never woken): HR's page says it is late and Prøv igjen
    has it made, the same version."""
    import time_machine
    from django.utils import timezone

    from projects.models import Job

    client.force_login(hr)
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=5)):  # on_commit never runs here
        # Completing asks for the report too (for the archive), so HR's request gives that same pending version.
        complete(world.evaluation, owner)
        assert client.post(reverse("evaluation:hr_report_request", args=[world.pk])).status_code == 302
    doc = GeneratedDocument.objects.get(project=world, kind="evaluation-report")
    page = client.get(reverse("evaluation:hr_project", args=[world.pk])).content.decode()
    assert "tar lengre tid enn vanlig" in page and "Prøv igjen" in page
    retry = reverse("evaluation:hr_report_retry", args=[world.pk, doc.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Versjon 1" in response.content.decode()
    doc.refresh_from_db()
    assert doc.is_done and doc.version == 1
    assert Job.objects.get(key=f"document:{doc.pk}").state == Job.State.DONE
