"""Issue 24 point 2: the administrator lands on a system page (people and global roles, templates, health,
queues), not on "you have no role… create the first project"; nobody else may open it."""

import pytest
from django.urls import reverse

from projects.models import Job, Role
from tests.factories import ProjectFactory, UserFactory, coordinator, hr_adviser, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True, full_name="Ada Admin", email="admin@example.no")


@pytest.fixture
def world(bergen_template):
    project = ProjectFactory(name="Hemmelig flytteprosjekt")
    member(project, Role.OWNER, full_name="Kari Eier")
    coordinator(full_name="Knut Koordinator")
    hr_adviser(full_name="Hanne HR")
    Job.objects.create(kind="documents.render", key="failed-1", state=Job.State.FAILED, attempts=5,
                       last_error="OSError: the PDF renderer stopped")  # fmt: skip
    Job.objects.create(kind="reminders.email", key="waiting-1", state=Job.State.PENDING)
    return project


def test_the_administrator_lands_on_the_system_page(client, admin_user, world):
    client.force_login(admin_user)
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("system")
    page = client.get(response.url).content.decode()
    for heading in ("Helse", "Køer", "Personer og globale roller", "Prosessmaler"):
        assert heading in page
    assert "opprett det første prosjektet" not in page.lower()
    assert f'href="{reverse("system")}"' in page  # in the top bar


def test_the_page_shows_people_with_global_roles_templates_health_and_failed_jobs(client, admin_user, world):
    client.force_login(admin_user)
    page = client.get(reverse("system")).content.decode()
    assert "Knut Koordinator" in page and "Hanne HR" in page and "Ada Admin" in page
    assert "Kari Eier" not in page  # only a project role: counted, not listed
    assert "Aktivitetsbasert arbeidsplass" in page or "Bergen" in page  # the loaded template
    assert "documents.render" in page and "OSError: the PDF renderer stopped" in page
    assert "Database" in page and "svarer" in page
    assert "Hemmelig flytteprosjekt" not in page  # no project content


def test_the_page_costs_a_fixed_number_of_queries(client, admin_user, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("system")).status_code == 200
        return len(queries)

    few = count()
    for n in range(30):
        Job.objects.create(kind="documents.render", key=f"failed-x{n}", state=Job.State.FAILED)
        coordinator(full_name=f"Koordinator {n}")
    assert count() == few


@pytest.mark.parametrize("who", ["coordinator", "hr", "owner"])
def test_nobody_else_opens_it_or_lands_on_it(client, world, who):
    if who == "coordinator":
        user = coordinator()
    elif who == "hr":
        user = hr_adviser()
    else:
        user = world.memberships.get(role=Role.OWNER).user
    client.force_login(user)
    assert client.get(reverse("system")).status_code == 403
    assert client.get("/").url != reverse("system")
    assert f'href="{reverse("system")}"' not in client.get(reverse("tasks")).content.decode()


def test_an_administrator_who_runs_a_project_lands_on_it_as_before(client, admin_user, world):
    member_of = ProjectFactory(name="Eget prosjekt")
    from projects.models import Membership

    Membership.objects.create(project=member_of, user=admin_user, role=Role.OWNER)
    client.force_login(admin_user)
    assert client.get("/").url != reverse("system")
    assert client.get(reverse("system")).status_code == 200


def test_only_the_administrator_has_system_in_the_top_bar_and_asking_reads_no_model_permissions(
    client, admin_user, world
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    link = f'href="{reverse("system")}"'
    client.force_login(admin_user)
    assert link in client.get(reverse("projects:mine")).content.decode()
    client.force_login(coordinator(full_name="Kristin Koordinator"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboard:overview")).content.decode()
    assert link not in page
    assert reverse("dashboard:overview") in page  # the coordinator's own entries are there
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]  # a role, not a table
