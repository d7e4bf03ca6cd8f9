"""Who reaches the coordinators' overview: coordinators land on it, everybody else keeps their own projects."""

import pytest
from django.urls import reverse

from projects.models import Role
from tests.factories import ProjectFactory, UserFactory, coordinator, hr_adviser, member

pytestmark = pytest.mark.django_db


def test_coordinator_lands_on_the_overview_and_sees_every_project(client):
    ProjectFactory(name="Flytting av byarkivet")
    ProjectFactory(name="Nytt kontor for etaten")
    client.force_login(coordinator())
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard:overview")
    names = [row.name for row in response.context["page"].object_list]
    assert names == ["Flytting av byarkivet", "Nytt kontor for etaten"]
    assert b'href="/projects/overview/"' in response.content  # the nav entry "Oversikt"


def test_owner_lands_on_own_projects_and_is_refused_the_overview(client):
    project = ProjectFactory(name="Eget prosjekt")
    ProjectFactory(name="Andres prosjekt")
    owner = member(project, Role.OWNER)
    client.force_login(owner)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:mine")
    assert b'href="/projects/overview/"' not in response.content
    assert b"Andres prosjekt" not in response.content
    assert client.get(reverse("dashboard:overview")).status_code == 403
    assert client.get(reverse("dashboard:export", args=["csv"])).status_code == 403


@pytest.mark.parametrize("make_user", [hr_adviser, lambda: UserFactory(is_staff=True)])
def test_hr_and_staff_without_superuser_do_not_see_the_overview(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("dashboard:overview")).status_code == 403


def test_administrator_sees_the_overview_only_as_a_coordinator(client):
    """Superuser status gives nothing in the app (docs/decisions.md): the overview takes the coordinator group."""
    ProjectFactory(name="Flytting av byarkivet")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("dashboard:overview")).status_code == 403
    admin.groups.add(coordinator().groups.get())
    response = client.get(reverse("dashboard:overview"))
    assert response.status_code == 200
    assert [row.name for row in response.context["page"].object_list] == ["Flytting av byarkivet"]


def test_unknown_export_format_is_not_found(client):
    client.force_login(coordinator())
    assert client.get(reverse("dashboard:export", args=["pdf"])).status_code == 404
