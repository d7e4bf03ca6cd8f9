"""A hazard of the risk assessment becomes an HMS measure (source: risk assessment) from its row."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import Measure
from phases.services import process_start
from workproducts.services import workproduct_row_save, workproduct_start


@pytest.fixture
def hazard(project, owner, bergen_template):
    process_start(project=project, template=bergen_template, by=owner)
    risk = workproduct_start(project=project, kind="risk_assessment", by=owner)
    return workproduct_row_save(
        work_product=risk, section="hazards", by=owner,
        data={"description": "Støy og forstyrrelser i åpent landskap", "exposed": "Saksbehandlere",
              "likelihood": 4, "consequence": 3, "new_measures": "Stillerom og soner for konsentrasjon",
              "responsible": owner, "deadline": datetime.date(2027, 6, 1)},
    )  # fmt: skip


def _page(client, hazard):
    return client.get(reverse("workproducts:detail", args=[hazard.project_id, "risk_assessment"])).content.decode()


def test_owner_makes_a_hazard_an_hms_measure_from_its_row(client, project, owner, hazard):
    client.force_login(owner)
    url = reverse("evaluation:measure_from_hazard", args=[project.pk, hazard.pk])
    assert url in _page(client, hazard)
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["activity"] == "Stillerom og soner for konsentrasjon"
    response = client.post(
        url,
        {"focus_area": "Støy i åpent landskap", "goal": "Ro til konsentrasjonsarbeid", "activity": "Stillerom",
         "due_date": "2027-06-01", "responsible": "Kari Eier", "status": "planned", "source": "evaluation"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == hazard.get_absolute_url()
    measure = Measure.objects.get(project=project)
    assert (measure.source, measure.hazard, measure.focus_area) == ("risk", hazard, "Støy i åpent landskap")
    # The row now names the measure instead of offering to make another.
    page = _page(client, hazard)
    assert "HMS-tiltak nr. 1" in page and url not in page
    assert client.get(url)["Location"] == reverse("evaluation:measure_edit", args=[project.pk, measure.pk])


def test_the_service_proposes_the_hazard_and_makes_one_measure_per_hazard(project, owner, hazard):
    measure = services.measure_from_hazard(hazard=hazard, by=owner)
    assert measure.source == Measure.Source.RISK and measure.hazard_id == hazard.pk
    assert measure.activity == "Stillerom og soner for konsentrasjon"
    assert measure.due_date == datetime.date(2027, 6, 1) and measure.responsible == "Kari Eier"
    assert "4 × konsekvens 3 = 12" in measure.goal
    with pytest.raises(ValidationError, match="allerede HMS-tiltak nr. 1"):
        services.measure_from_hazard(hazard=hazard, by=owner)


def test_a_representative_can_neither_see_the_action_nor_make_the_measure(client, project, hazard):
    rep = project.safety_rep
    with pytest.raises(PermissionDenied):
        services.measure_from_hazard(hazard=hazard, by=rep)
    client.force_login(rep)
    url = reverse("evaluation:measure_from_hazard", args=[project.pk, hazard.pk])
    assert url not in _page(client, hazard)
    assert client.get(url).status_code == 403
    assert client.post(url, {"focus_area": "x"}).status_code == 403
    assert not Measure.objects.exists()


def test_the_risk_page_reads_the_measures_once_whatever_the_number_of_hazards(
    client, project, owner, hazard, django_assert_max_num_queries
):
    risk = hazard.work_product
    client.force_login(owner)
    url = reverse("workproducts:detail", args=[project.pk, "risk_assessment"])
    client.get(url)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for n in range(10):
        workproduct_row_save(
            work_product=risk, section="hazards", by=owner,
            data={"description": f"Fare {n}", "exposed": "Alle", "likelihood": 2, "consequence": 2},
        )  # fmt: skip
    services.measure_from_hazard(hazard=hazard, by=owner)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)
