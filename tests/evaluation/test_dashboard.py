"""The evaluation's part of the coordinators' overview: freeze and window state, the filter, the count, the
attention condition and the timeline bars, from the move-in recorded through the service."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from projects.extensions import rollups_refresh
from projects.models import Role
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


def _project(name, move_in, today):
    project = ProjectFactory(name=name, start_date=datetime.date(2024, 1, 5))
    owner = member(project, Role.OWNER)
    member(project, Role.SAFETY_REP)
    rollups_refresh([project.pk])  # the members were added behind the services' back: store as a backfill does
    if move_in:
        services.movein_record(early_confirmed=True, project=project, by=owner, move_in=move_in)
    return project


@pytest.fixture
def projects(today):
    return {
        "frozen": _project("Fersk innflytting", datetime.date(2027, 1, 10), today),  # freeze, window not yet
        "open": _project("Vindu åpent", datetime.date(2026, 5, 20), today),  # window opened 20.2.2027
        "overdue": _project("Evaluering forsinket", datetime.date(2025, 11, 1), today),  # closed 1.2.2027
        "none": _project("Ikke flyttet", None, today),
    }


def _names(client, query):
    response = client.get(reverse("dashboard:overview") + query)
    return sorted(row.name for row in response.context["page"].object_list), response


def test_window_and_freeze_state_columns_filter_and_attention(client, coord, projects):
    client.force_login(coord)
    assert _names(client, "?evaluation=overdue")[0] == ["Evaluering forsinket"]
    assert _names(client, "?evaluation=open")[0] == ["Vindu åpent"]
    assert _names(client, "?evaluation=not_yet")[0] == ["Fersk innflytting"]
    assert _names(client, "?evaluation=none")[0] == ["Ikke flyttet"]
    assert _names(client, "?attention=evaluation_overdue")[0] == ["Evaluering forsinket"]
    names, response = _names(client, "")
    html = response.content.decode()
    assert "Fredningsperiode" in html and "til <time" in html  # the frozen project's freeze runs on
    assert response.context["numbers"]["att_evaluation_overdue"] == 1
    by_state = {label: n for _v, label, n in response.context["breakdowns"][1]["rows"]}
    assert by_state["Forfalt"] == 1 and by_state["Ingen innflytting registrert"] == 1
    reasons = {e.project.name: [t for _a, t in e.reasons] for e in response.context["attention"]}
    assert reasons["Evaluering forsinket"] == ["Evalueringsvinduet stengte 01.02.2027 uten fullført evaluering"]


def test_export_carries_the_window_dates(client, coord, projects):
    client.force_login(coord)
    response = client.get(reverse("dashboard:export", args=["csv"]) + "?evaluation=overdue")
    rows = [line.split(";") for line in response.getvalue().decode("utf-8-sig").splitlines()]
    header = rows[0]
    assert rows[1][header.index("Evalueringsvindu")] == "Forfalt"
    assert rows[1][header.index("Evalueringsvinduet åpner")] == "01.08.2026"
    assert rows[1][header.index("Evalueringsvinduet stenger")] == "01.02.2027"


def test_timeline_draws_freeze_and_window(client, coord, projects):
    client.force_login(coord)
    response = client.get(reverse("dashboard:timeline") + "?q=Fersk")
    row = response.context["chart"]["rows"][0]
    kinds = {segment.kind: (segment.start, segment.end) for segment, _x, _w in row.segments}
    assert kinds["freeze"] == (datetime.date(2027, 1, 10), datetime.date(2027, 10, 10))
    assert kinds["evaluation"] == (datetime.date(2027, 10, 10), datetime.date(2028, 4, 10))
    assert timezone.localdate() == datetime.date(2027, 3, 15)
