"""What the project pages show, and that they run a fixed number of queries whatever the data size."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_my_projects_lists_only_mine_with_my_roles(client):
    me = UserFactory()
    mine = ProjectFactory(name="Mitt prosjekt")
    MembershipFactory(project=mine, user=me, role=Role.SAFETY_REP)
    MembershipFactory(project=mine, user=me, role=Role.MEMBER)
    ProjectFactory(name="Andres prosjekt")
    client.force_login(me)
    html = client.get(reverse("projects:mine")).content.decode()
    assert "Mitt prosjekt" in html
    assert "Andres prosjekt" not in html
    assert "Verneombud" in html
    assert "Arbeidsgruppemedlem" in html


def test_my_projects_paginates_at_50(client):
    me = UserFactory()
    for _ in range(51):
        MembershipFactory(user=me, role=Role.VIEWER)
    client.force_login(me)
    first = client.get(reverse("projects:mine"))
    assert len(first.context["page"].object_list) == 50
    assert len(client.get(reverse("projects:mine") + "?page=2").context["page"].object_list) == 1


@pytest.mark.parametrize("n", [3, 60])
def test_my_projects_query_count_is_fixed(client, django_assert_max_num_queries, n):
    me = UserFactory()
    for _ in range(n):
        MembershipFactory(user=me, role=Role.OWNER)
    client.force_login(me)
    with django_assert_max_num_queries(17):  # +1: the bell's unread count
        client.get(reverse("projects:mine"))


@pytest.mark.parametrize("n", [2, 40])
def test_project_overview_query_count_is_fixed(client, django_assert_max_num_queries, n):
    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    for _ in range(n):
        services.membership_add(project=project, user=UserFactory(), role=Role.MEMBER, by=owner)
    client.force_login(owner)
    with django_assert_max_num_queries(54):  # +13 history sources of the work products, +1 the bell
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("n", [2, 40])
def test_history_query_count_is_fixed(client, django_assert_max_num_queries, n):
    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    for i in range(n):
        services.project_update(project=project, by=owner, headcount=i + 1)
    client.force_login(owner)
    with django_assert_max_num_queries(44):  # +13 history sources of the work products, +1 the bell
        response = client.get(reverse("projects:history", args=[project.pk]))
    assert response.status_code == 200


def test_overview_shows_facts_members_and_recent_history(client):
    project = ProjectFactory(name="Flytting", headcount=42, address="Rådhusgaten 10")
    owner = member(project, Role.OWNER, full_name="Kari Eier")
    rep = UserFactory(full_name="Siri Verne")
    services.membership_add(project=project, user=rep, role=Role.SAFETY_REP, by=owner)
    client.force_login(owner)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Rådhusgaten 10" in html
    assert "42" in html
    assert "Siri Verne" in html
    assert "Verneombud" in html
    assert "Medlem: Siri Verne" in html  # the recent history entry


def test_coordinator_sees_any_project_but_cannot_edit(client):
    from tests.factories import coordinator

    project = ProjectFactory()
    client.force_login(coordinator())
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.post(reverse("projects:edit", args=[project.pk]), {"name": "x"}).status_code == 403


def test_history_records_unit_changes(client):
    from tests.factories import OrgUnitFactory

    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    unit = OrgUnitFactory(name="Seksjon for arkiv")
    services.project_update(project=project, by=owner, units=[unit])
    services.project_update(project=project, by=owner, units=[])
    client.force_login(owner)
    html = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert html.count("Enhet: Seksjon for arkiv") == 2
