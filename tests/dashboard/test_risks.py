"""The portfolio risk matrix is drawn from what a registered provider returns for the filtered projects."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from projects import extensions
from tests.factories import ProjectFactory, coordinator

pytestmark = pytest.mark.django_db


@dataclass
class Risk:
    title: str
    project: object
    likelihood: int
    consequence: int

    def get_absolute_url(self):
        return self.project.get_absolute_url() + "#risk"


@pytest.fixture
def provider():
    alfa = ProjectFactory(name="Alfa", status="active")
    beta = ProjectFactory(name="Beta", status="completed")
    risks = [Risk("Støy i åpent landskap", alfa, 4, 5), Risk("Mangel på stillerom", alfa, 4, 5),
             Risk("Flytting forsinkes", beta, 2, 3)]  # fmt: skip

    def open_risks(projects):
        ids = set(projects.values_list("pk", flat=True))
        return [(r.likelihood, r.consequence, r) for r in risks if r.project.pk in ids]

    with extensions.registered("dashboard_risk_matrix", open_risks, alone=True):
        yield risks


def test_without_a_provider_there_is_no_matrix(client):
    client.force_login(coordinator())
    with extensions.registered("dashboard_risk_matrix", alone=True):
        assert client.get(reverse("dashboard:risks")).status_code == 404
        assert "Risikomatrise" not in client.get(reverse("dashboard:overview")).content.decode()


def test_matrix_counts_open_risks_per_cell_and_lists_a_cell(client, provider):
    client.force_login(coordinator())
    assert "Risikomatrise" in client.get(reverse("dashboard:overview")).content.decode()
    response = client.get(reverse("dashboard:risks"))
    matrix = response.context["matrix"]
    cells = {(c["likelihood"], c["consequence"]): c["count"] for _lk, row in matrix["rows"] for c in row}
    assert cells[(4, 5)] == 2 and cells[(2, 3)] == 1 and sum(cells.values()) == 3
    assert [c["level"] for _lk, row in matrix["rows"] if _lk == 4 for c in row][4] == "high"
    assert [str(c["label"]) for _lk, row in matrix["rows"] if _lk == 2 for c in row] == [
        "Lav",
        "Lav",
        "Middels",
        "Middels",
        "Høy",
    ]  # 2 × 1 … 2 × 5: the same levels as a project's own matrix
    listed = client.get(reverse("dashboard:risks") + "?cell=4-5").content.decode()
    assert "Støy i åpent landskap" in listed and "Mangel på stillerom" in listed
    assert "Flytting forsinkes" not in listed


def test_filters_apply_to_the_matrix(client, provider):
    client.force_login(coordinator())
    matrix = client.get(reverse("dashboard:risks") + "?status=completed").context["matrix"]
    assert matrix["total"] == 1
    assert client.get(reverse("dashboard:risks") + "?cell=9-9").context["matrix"]["chosen"] is None
