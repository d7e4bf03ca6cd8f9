"""The project pages run a fixed number of queries whether the project has 10 or 300 items."""

import pytest
from django.urls import reverse

from phases.services import process_start, template_load
from projects.models import Role
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


def template_with(n_items):
    """A template of 4 phases × 3 activities with n_items checklist items in all."""
    x = '{ nb = "x", en = "x" }'
    lines = ['key = "big"', "version = 1", f"name = {x}", f"description = {x}"]
    for p in range(4):
        lines += ["[[phases]]", f'key = "p{p}"', f"name = {x}", f"description = {x}"]
        for a in range(3):
            lines += ["[[phases.activities]]", f'key = "a{p}-{a}"', f"name = {x}", 'owner_role = "owner"']
            lines += ['due = { from = "start", days = 10 }', f"guidance = {x}"]
            for i in range(n_items // 12):
                lines += [
                    "[[phases.activities.items]]",
                    f'key = "i{i}"',
                    f'text = {{ nb = "Punkt {i}", en = "I" }}',
                ]
                lines += [f"mandatory = {'true' if i % 2 else 'false'}"]
    return template_load(text="\n".join(lines), source="big.toml")[0]


@pytest.fixture(params=[12, 300])
def project(request):
    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    process_start(project=project, template=template_with(request.param), by=owner)
    project.owner = owner
    return project


def test_project_overview_queries_are_fixed(client, project, django_assert_max_num_queries):
    client.force_login(project.owner)
    # The recent changes read their keys from every history source in one query, whatever the number of changes
    # or of sources; the phase panel reads the phases with their progress and overdue counts in one.
    # +1: the bell's unread count; +1: the shared lessons for the phase the project is in (lessons)
    with django_assert_max_num_queries(23):
        assert client.get(project.get_absolute_url()).status_code == 200


def test_phases_page_queries_are_fixed(client, project, django_assert_max_num_queries):
    client.force_login(project.owner)
    with django_assert_max_num_queries(17):  # +1: the bell's unread count
        assert client.get(reverse("phases:overview", args=[project.pk])).status_code == 200


def test_activity_page_queries_are_fixed(client, project, django_assert_max_num_queries):
    client.force_login(project.owner)
    activity = project.phases.first().activities.first()
    # +1: the bell's unread count; +1 the activity's participation steps, +1 its toolbox entries (issue 28)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("phases:activity", args=[project.pk, activity.pk])).status_code == 200


def test_my_projects_queries_are_fixed(client, project, django_assert_max_num_queries):
    client.force_login(project.owner)
    with django_assert_max_num_queries(17):  # +1: the bell's unread count
        assert client.get(reverse("projects:mine")).status_code == 200
