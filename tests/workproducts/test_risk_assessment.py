"""Risk assessment: scores, the 5×5 matrix of one project and across projects, and bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from workproducts import selectors
from workproducts.models import Hazard
from workproducts.services import workproduct_row_save, workproduct_start

pytestmark = pytest.mark.django_db

HAZARDS = [  # (likelihood, consequence, status)
    (4, 5, "open"),
    (4, 5, "in_progress"),
    (4, 5, "closed"),
    (1, 1, "open"),
    (3, 2, "open"),
    (5, 2, "open"),
]


def add_hazards(project, rows=HAZARDS):
    wp = workproduct_start(project=project, kind="risk_assessment", by=project.owner)
    for n, (lk, c, status) in enumerate(rows):
        workproduct_row_save(
            work_product=wp, section="hazards", by=project.owner,
            data={"description": f"Fare {n}", "exposed": "Alle ansatte", "likelihood": lk, "consequence": c,
                  "status": status},
        )  # fmt: skip
    return wp


def test_score_and_level_on_a_hand_made_example(doc_project):
    add_hazards(doc_project)
    scores = {h.description: (h.score, h.level) for h in Hazard.objects.filter(project=doc_project)}
    assert scores == {
        "Fare 0": (20, "high"),
        "Fare 1": (20, "high"),
        "Fare 2": (20, "high"),
        "Fare 3": (1, "low"),
        "Fare 4": (6, "medium"),
        "Fare 5": (10, "high"),
    }


def test_matrix_counts_per_cell(doc_project):
    add_hazards(doc_project)
    rows = selectors.matrix_rows(selectors.hazard_counts(Hazard.objects.filter(project=doc_project)))
    assert [lk for lk, _ in rows] == [5, 4, 3, 2, 1]
    counts = {(c.likelihood, c.consequence): c.count for _, cells in rows for c in cells}
    assert sum(counts.values()) == 6
    assert counts[(4, 5)] == 3 and counts[(1, 1)] == 1 and counts[(3, 2)] == 1 and counts[(5, 2)] == 1
    assert counts[(5, 5)] == 0


def test_portfolio_counts_only_open_hazards_of_the_chosen_projects(doc_project, bergen_template):
    from phases.services import process_start
    from projects.models import Role
    from tests.factories import ProjectFactory, member

    add_hazards(doc_project)
    other = ProjectFactory()
    other.owner = member(other, Role.OWNER)
    process_start(project=other, template=bergen_template, by=other.owner)
    add_hazards(other, [(4, 5, "open"), (2, 2, "open")])
    assert selectors.portfolio_risk_cells() == {(4, 5): 3, (1, 1): 1, (3, 2): 1, (5, 2): 1, (2, 2): 1}
    assert selectors.portfolio_risk_cells(project_ids=[doc_project.pk]) == {(4, 5): 2, (1, 1): 1, (3, 2): 1, (5, 2): 1}
    assert [h.description for h in selectors.open_hazards(project_ids=[other.pk], likelihood=4, consequence=5)] == [
        "Fare 0"
    ]


def test_portfolio_query_count_is_fixed(doc_project, django_assert_num_queries):
    add_hazards(doc_project)
    with django_assert_num_queries(1):
        selectors.portfolio_risk_matrix(project_ids=[doc_project.pk])


@pytest.mark.parametrize(("field", "value"), [("likelihood", 0), ("likelihood", 6), ("consequence", 9)])
def test_out_of_range_scale_is_refused_by_the_service(doc_project, field, value):
    wp = workproduct_start(project=doc_project, kind="risk_assessment", by=doc_project.owner)
    data = {"description": "Støy", "exposed": "Alle", "likelihood": 3, "consequence": 3, field: value}
    with pytest.raises(ValidationError) as exc:
        workproduct_row_save(work_product=wp, section="hazards", by=doc_project.owner, data=data)
    assert field in exc.value.message_dict
    assert not Hazard.objects.exists()


def test_out_of_range_in_the_form_shows_the_error_at_the_field_and_keeps_the_input(client, doc_project):
    client.force_login(doc_project.owner)
    url = reverse("workproducts:row_add", args=[doc_project.pk, "risk_assessment", "hazards"])
    response = client.post(
        url, {"description": "Støy i åpent landskap", "exposed": "Saksbehandlere", "likelihood": "7",
              "consequence": "3", "status": "open"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "likelihood" in response.context["form"].errors
    assert "Støy i åpent landskap" in response.content.decode()
    assert not Hazard.objects.exists()


def test_responsible_must_be_a_member(doc_project):
    from tests.factories import UserFactory

    wp = workproduct_start(project=doc_project, kind="risk_assessment", by=doc_project.owner)
    with pytest.raises(ValidationError) as exc:
        workproduct_row_save(
            work_product=wp, section="hazards", by=doc_project.owner,
            data={"description": "Støy", "exposed": "Alle", "likelihood": 2, "consequence": 2,
                  "responsible": UserFactory()},
        )  # fmt: skip
    assert "responsible" in exc.value.message_dict


def test_matrix_page_links_each_cell_to_its_hazards(client, doc_project):
    add_hazards(doc_project)
    client.force_login(doc_project.safety_rep)
    url = reverse("workproducts:detail", args=[doc_project.pk, "risk_assessment"])
    page = client.get(url).content.decode()
    assert "?l=4&amp;c=5#hazards" in page
    cell = client.get(url, {"l": 4, "c": 5})
    rows = cell.context["sections"][0][2]
    assert sorted(h.description for h in rows) == ["Fare 0", "Fare 1", "Fare 2"]
    # A representative reads, and is offered no edit button.
    assert reverse("workproducts:row_add", args=[doc_project.pk, "risk_assessment", "hazards"]) not in page


def test_deadline_is_kept(doc_project):
    wp = add_hazards(doc_project, [(2, 3, "open")])
    hazard = Hazard.objects.get(work_product=wp)
    workproduct_row_save(
        work_product=wp, section="hazards", by=doc_project.owner, row=hazard,
        data={"deadline": datetime.date(2027, 3, 1), "responsible": doc_project.manager},
    )  # fmt: skip
    hazard.refresh_from_db()
    assert hazard.deadline == datetime.date(2027, 3, 1) and hazard.responsible == doc_project.manager


def test_coordinators_portfolio_matrix_counts_hazards_of_two_projects_and_links_each_cell(
    client, doc_project, bergen_template
):
    """The coordinator's overview links to the risk matrix; its cells count the open hazards of the filtered
    projects, and a cell lists its hazards, each linking to its project's risk assessment."""
    from phases.services import process_start
    from projects.models import Role
    from tests.factories import ProjectFactory, coordinator, member

    add_hazards(doc_project)  # (4,5) ×2 open, (1,1), (3,2), (5,2); one closed
    other = ProjectFactory(name="Innkjøp flytter", status="completed")
    other.owner = member(other, Role.OWNER)
    process_start(project=other, template=bergen_template, by=other.owner)
    add_hazards(other, [(4, 5, "open"), (2, 2, "open"), (2, 2, "closed")])
    client.force_login(coordinator())
    overview = client.get(reverse("dashboard:overview")).content.decode()
    assert reverse("dashboard:risks") in overview

    def cells(query=""):
        matrix = client.get(reverse("dashboard:risks") + query).context["matrix"]
        counts = {(c["likelihood"], c["consequence"]): c["count"] for _lk, row in matrix["rows"] for c in row}
        return {cell: n for cell, n in counts.items() if n}

    assert cells() == {(4, 5): 3, (1, 1): 1, (3, 2): 1, (5, 2): 1, (2, 2): 1}
    assert cells("?status=completed") == {(4, 5): 1, (2, 2): 1}
    page = client.get(reverse("dashboard:risks") + "?status=completed")
    html = page.content.decode()
    assert "?status=completed&amp;cell=4-5#risks" in html  # the filters stay on the cell's link
    listed = client.get(reverse("dashboard:risks") + "?status=completed&cell=4-5").content.decode()
    hazard = Hazard.objects.get(project=other, likelihood=4, consequence=5)
    assert hazard.get_absolute_url().replace("&", "&amp;") in listed and "Innkjøp flytter" in listed
    assert "Økonomi flytter" not in listed.split('id="risks"')[1]
    # The link opens the project's risk assessment at the hazard's cell.
    detail = client.get(hazard.get_absolute_url())
    assert detail.status_code == 200 and "Fare 0" in detail.content.decode()
    # The same levels as the project's own matrix: 5 × 2 = 10 is high, 3 × 2 = 6 medium.
    matrix = page.context["matrix"]
    levels = {(c["likelihood"], c["consequence"]): c["level"] for _lk, row in matrix["rows"] for c in row}
    assert levels[(5, 2)] == "high" and levels[(3, 2)] == "medium" and levels[(2, 2)] == "low"
