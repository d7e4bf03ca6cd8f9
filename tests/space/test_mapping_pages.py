"""The mapping's and the area programme's pages as people use them: the heatmap, the round grid, the study's
chart and tables, the area programme's norm warning, plans, the catalogue, and what each role may do."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from space.models import Observation, PlanFile, Proximity, RoomType, StudyZone
from tests.factories import coordinator
from tests.space.test_mapping import MON, area_programme, small_study

pytestmark = pytest.mark.django_db


def url(name, project, *args):
    return reverse(name, args=[project.pk, *args])


def test_the_mapping_page_shows_the_heatmap_and_the_studies(client, doc_project):
    wp, study, _zones, (a, b) = small_study(doc_project)
    Proximity.objects.create(work_product=wp, unit_a=a, unit_b=b, need=3)
    client.force_login(doc_project.safety_rep)
    page = client.get(url("workproducts:detail", doc_project, "mapping")).content.decode()
    assert 'class="prox-3">3</td>' in page and "Nærhetsmatrise" in page
    assert "Før flytting" in page and "Rediger nærhetsmatrisen" not in page  # a representative reads
    client.force_login(doc_project.owner)
    page = client.get(url("workproducts:detail", doc_project, "mapping")).content.decode()
    assert "Rediger nærhetsmatrisen" in page


def test_the_owner_fills_in_the_proximity_grid(client, doc_project):
    wp, _study, _zones, (a, b) = small_study(doc_project)
    client.force_login(doc_project.owner)
    response = client.post(url("space:proximity", doc_project), {f"need-{a.pk}-{b.pk}": "2"})
    assert response.status_code == 302
    assert Proximity.objects.get(work_product=wp).need == 2
    response = client.post(url("space:proximity", doc_project), {f"need-{a.pk}-{b.pk}": "7"})
    assert response.status_code == 400 and Proximity.objects.get(work_product=wp).need == 2


def test_the_study_page_has_the_chart_and_its_table(client, doc_project):
    _wp, study, _zones, _units = small_study(doc_project)
    client.force_login(doc_project.union_rep)
    page = client.get(url("space:study", doc_project, study.pk)).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert re.search(r'<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="[0-9.]+"', page)  # no decimal commas
    assert '<th scope="row">08:00</th>' in page  # the table alternative
    assert "<strong>15</strong>" in page  # workstations needed
    assert "20 × 0,70 = 14" in page or "20 × 0.70 = 14" in page


def test_a_round_entered_in_the_grid_and_an_error_keeps_the_input(client, doc_project):
    _wp, study, zones, _ = small_study(doc_project)
    client.force_login(doc_project.manager)
    round_url = url("space:study_round", doc_project, study.pk)
    assert client.get(round_url + f"?date={MON}&hour=10").status_code == 200
    grid = list(StudyZone.objects.filter(study=study).order_by("kind", "name"))  # the grid's rows, in order
    data = {"date": str(MON), "hour": "10", "round-TOTAL_FORMS": str(len(grid)), "round-INITIAL_FORMS": str(len(grid)),
            **{f"round-{i}-zone": str(z.pk) for i, z in enumerate(grid)}}  # fmt: skip

    def count(zone, field, value):
        data[f"round-{grid.index(zones[zone])}-{field}"] = value

    count("Øst", "occupied", "3"), count("Øst", "away", "1"), count("Møterom", "persons", "2")
    response = client.post(round_url, data)
    assert response.status_code == 302
    assert Observation.objects.filter(study=study, hour=10).count() == 2
    count("Vest", "occupied", "9")  # 5 places
    response = client.post(round_url, {**data, "hour": "11"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vest" in page and "flere enn de 5 plassene" in page and 'value="9"' in page
    assert not Observation.objects.filter(study=study, hour=11).exists()


def test_the_area_programme_warns_above_the_norm(client, doc_project):
    area_programme(doc_project, employees=7)  # 211.9 m² / 7 = 30.3 > 28
    client.force_login(doc_project.safety_rep)
    page = client.get(url("workproducts:detail", doc_project, "area_programme")).content.decode()
    assert "30,3 m² per ansatt, mer enn normen på 28,0 m²" in page
    assert "Totaler per sone" in page


def test_plans_are_uploaded_read_and_removed(client, doc_project):
    area_programme(doc_project)
    client.force_login(doc_project.owner)
    upload = SimpleUploadedFile("soner.pdf", b"%PDF-1.7 soner", content_type="application/pdf")
    response = client.post(
        url("space:plan_add", doc_project), {"kind": "zones", "description": "Soner i 3. etasje", "upload": upload}
    )
    assert response.status_code == 302
    plan = PlanFile.objects.get()
    client.force_login(doc_project.union_rep)
    assert client.get(url("space:plan", doc_project, plan.pk)).status_code == 200
    assert client.post(url("space:plan_remove", doc_project, plan.pk)).status_code == 403
    client.force_login(doc_project.owner)
    bad = SimpleUploadedFile("soner.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url("space:plan_add", doc_project), {"kind": "zones", "description": "x", "upload": bad})
    assert response.status_code == 400 and PlanFile.objects.count() == 1
    assert client.post(url("space:plan_remove", doc_project, plan.pk)).status_code == 302
    assert not PlanFile.objects.exists()


def test_coordinators_keep_the_catalogue_and_the_norms(client):
    boss = coordinator()
    client.force_login(boss)
    page = client.get(reverse("space:room_catalogue")).content.decode()
    assert "Åpen arbeidsplass" in page and "Romkatalog" in page
    room = {"name": "Bibliotek", "zone": "special", "m2": "20", "active": "on", "order": "5"}
    response = client.post(reverse("space:room_catalogue"), room)
    assert response.status_code == 302 and RoomType.objects.filter(name="Bibliotek").exists()
    norm = {"max_m2_per_employee": "22,5", "min_m2_per_workstation": "6"}
    response = client.post(reverse("space:area_norm", args=["new_premises"]), norm)
    assert response.status_code == 302
    from space.models import AreaNorm

    assert AreaNorm.objects.get(project_kind="new_premises").max_m2_per_employee == Decimal("22.5")


def test_the_template_downloads(client, doc_project):
    _wp, study, _zones, _units = small_study(doc_project)
    client.force_login(doc_project.owner)
    response = client.get(url("space:study_template", doc_project, study.pk, "csv"))
    body = response.content.decode("utf-8-sig").splitlines()
    assert body[0] == "dato;time;sone;opptatt;midlertidig borte;ledig;personer"
    assert body[1].startswith("01.02.2027;08:00;")
    assert len(body) == 1 + 10 * 9 * 3  # ten weekdays × rounds 8–16 × three zones
    response = client.get(url("space:study_template", doc_project, study.pk, "xlsx"))
    assert response.content[:2] == b"PK"
    assert datetime.date  # noqa: B018


def _grow(project, n):
    """`n` more units, zones with a round each, and room lines, on top of the small study."""
    from space import services as space
    from workproducts.services import workproduct_row_save

    wp, study, _zones, _units = small_study(project)
    for i in range(n):
        unit = workproduct_row_save(
            work_product=wp, section="units", by=project.owner, data={"name": f"Enhet {i}", "headcount": 3}
        )
        zone = space.zone_save(study=study, by=project.owner, data={"name": f"Sone {i}", "places": 4, "unit": unit})
        space.round_save(study=study, by=project.owner, day=MON, hour=8, counts={zone.pk: {"occupied": 2}})
    area_programme(project, lines=[("Åpen arbeidsplass", 1 + i, Decimal("6.0")) for i in range(n + 1)])
    return study


@pytest.mark.parametrize("n", [1, 12])
def test_mapping_pages_have_a_fixed_number_of_queries(client, doc_project, django_assert_max_num_queries, n):
    study = _grow(doc_project, n)
    client.force_login(doc_project.owner)
    with django_assert_max_num_queries(QUERIES["mapping"]):
        assert client.get(url("workproducts:detail", doc_project, "mapping")).status_code == 200
    with django_assert_max_num_queries(QUERIES["study"]):
        assert client.get(url("space:study", doc_project, study.pk)).status_code == 200
    with django_assert_max_num_queries(QUERIES["area"]):
        assert client.get(url("workproducts:detail", doc_project, "area_programme")).status_code == 200


# The same at 1 and 12 units, zones and room lines (seen: 31, 18 and 22). The mapping page reads each study's
# observations once (one query per study) for its results; the demo and most projects have one or two studies.
QUERIES = {"mapping": 32, "study": 18, "area": 23}
