"""Issue 28 point 3: every document a shipped template declares has a page, with a place for its result; the
activity page links to its document and its participation steps; the seven steps plan their dates."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases.models import Activity, Phase
from phases.services import process_start, template_load_file
from projects.models import Role
from tests.conftest import TEMPLATE_DIR
from tests.factories import ProjectFactory, member
from workproducts import selectors, services
from workproducts.models import WorkProductFile

pytestmark = pytest.mark.django_db
SHIPPED = sorted(TEMPLATE_DIR.glob("*.toml"))


def _started(path, **dates):
    template = template_load_file(path=path)[0]
    project = ProjectFactory(**dates)
    project.owner = member(project, Role.OWNER)
    project.safety_rep = member(project, Role.SAFETY_REP)
    process_start(project=project, template=template, by=project.owner)
    return project, template


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_declared_document_answers_for_the_owner(client, path):
    project, template = _started(path)
    declared = {
        a["work_product"] for phase in template.definition["phases"] for a in phase["activities"] if a["work_product"]
    }
    assert declared
    client.force_login(project.owner)
    for kind in sorted(declared):
        response = client.get(reverse("workproducts:detail", args=[project.pk, kind]), follow=True)
        assert response.status_code == 200, f"{template.key}: {kind}"
        activity = Activity.objects.get(project=project, work_product=kind)
        page = client.get(reverse("phases:activity", args=[project.pk, activity.pk])).content.decode()
        assert reverse("workproducts:detail", args=[project.pk, kind]) in page, f"{kind}: no link on its activity"


def test_the_activity_page_links_to_its_participation_steps(client):
    project, _ = _started(TEMPLATE_DIR / "bergen_abw.toml")
    client.force_login(project.owner)
    activity = Activity.objects.get(project=project, key="mandate")
    page = client.get(reverse("phases:activity", args=[project.pk, activity.pk])).content.decode()
    steps = list(activity.steps.all())
    assert len(steps) == 2
    for step in steps:
        assert reverse("participation:step", args=[project.pk, step.pk]) in page


def test_the_owner_writes_the_result_and_attaches_a_drawing_that_joins_the_signed_content(client):
    project, _ = _started(TEMPLATE_DIR / "bergen_abw.toml")
    client.force_login(project.owner)
    edit = reverse("workproducts:edit", args=[project.pk, "zone_programme"])
    assert client.post(edit, {"result": "Tre soner: stille, samarbeid, sosial."}).status_code == 302
    body = b"%PDF-1.7 soneplan"
    response = client.post(
        reverse("workproducts:file_add", args=[project.pk, "zone_programme"]),
        {"file": SimpleUploadedFile("soneplan.pdf", body, content_type="application/pdf")},
    )
    assert response.status_code == 302
    attached = WorkProductFile.objects.get()
    assert attached.sha256 == hashlib.sha256(body).hexdigest()
    wp = attached.work_product
    fields = {label: value for _key, label, value in selectors.workproduct_content(wp)["fields"]}
    assert fields["Resultat"] == "Tre soner: stille, samarbeid, sosial."
    assert fields["Vedlegg «soneplan.pdf»"] == f"SHA-256 {attached.sha256}"
    page = client.get(reverse("workproducts:detail", args=[project.pk, "zone_programme"])).content.decode()
    assert "soneplan.pdf" in page and "Tre soner" in page
    download = client.get(reverse("workproducts:file", args=[project.pk, "zone_programme", attached.pk]))
    assert b"".join(download.streaming_content) == body
    version = wp.version
    services.workproduct_file_remove(attached=attached, by=project.owner)
    wp.refresh_from_db()
    assert wp.version == version + 1  # a removed drawing is a changed document


def test_a_representative_reads_the_files_but_attaches_none(client):
    project, _ = _started(TEMPLATE_DIR / "bergen_abw.toml")
    wp = services.workproduct_start(project=project, kind="floor_plan", by=project.owner)
    attached = services.workproduct_file_add(
        work_product=wp, by=project.owner, upload=SimpleUploadedFile("plan.txt", "Planløsning".encode())
    )
    client.force_login(project.safety_rep)
    add = reverse("workproducts:file_add", args=[project.pk, "floor_plan"])
    assert client.post(add, {"file": SimpleUploadedFile("x.txt", b"x")}).status_code == 403
    remove = reverse("workproducts:file_remove", args=[project.pk, "floor_plan", attached.pk])
    assert client.post(remove).status_code == 403
    assert client.get(reverse("workproducts:file", args=[project.pk, "floor_plan", attached.pk])).status_code == 200
    assert WorkProductFile.objects.count() == 1


def test_the_seven_steps_plan_their_dates_without_a_move_in():
    project, _ = _started(
        TEMPLATE_DIR / "aml_seven_steps.toml", start_date=datetime.date(2027, 1, 4), planned_move_in=None
    )
    phases = list(Phase.objects.filter(project=project).order_by("order"))
    assert len(phases) == 7 and all(p.planned_start and p.planned_end for p in phases)
    assert phases[0].planned_start == datetime.date(2027, 1, 4)
    for before, after in zip(phases, phases[1:], strict=False):
        assert after.planned_start == before.planned_end
    report = Activity.objects.get(project=project, key="write-report")
    assert report.work_product == "survey_report" and report.due_date is not None
