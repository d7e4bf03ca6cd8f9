"""The seeded administrator (staff and superuser) administers the system, not projects (docs/decisions.md):
superuser status gives no permission the app's rules define, so without a group or a project role they
cannot see a project, override a gate or add members; the permission matrix has them as a column."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from phases import services as phase_services
from projects import services
from projects.models import Membership, Role
from tests.factories import ProjectFactory, UserFactory, coordinator, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True, full_name="Ada Admin")


@pytest.fixture
def project(steps_template):
    project = ProjectFactory(name="Økonomi flytter")
    project.owner = member(project, Role.OWNER)
    phase_services.process_start(project=project, template=steps_template, by=project.owner)
    return project


def test_superuser_cannot_override_a_gate_or_add_members(admin_user, project):
    phase = project.phases.get(order=1)
    assert not admin_user.has_perm("phases.override_gate", project)
    assert not admin_user.has_perm("projects.manage_members", project)
    assert not admin_user.has_perm("projects.view_project", project)
    with pytest.raises(PermissionDenied):
        phase_services.phase_complete(phase=phase, by=admin_user, override_reason="Fordi jeg kan.")
    with pytest.raises(PermissionDenied):
        services.membership_add(project=project, user=admin_user, role=Role.MANAGER, by=admin_user)
    phase.refresh_from_db()
    assert not phase.is_completed
    assert not Membership.objects.filter(user=admin_user).exists()


def test_superuser_gets_404_on_a_project_and_keeps_the_admin(client, admin_user, project):
    client.force_login(admin_user)
    phase = project.phases.get(order=1)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404
    response = client.post(
        reverse("phases:override", args=[project.pk, phase.pk]), {"override-reason": "Fordi.", "confirmed": "1"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("projects:member_add", args=[project.pk]), {"add-user": admin_user.pk, "add-role": Role.MANAGER}
    )
    assert response.status_code == 404
    assert client.get(reverse("admin:projects_project_changelist")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_superuser_acts_through_roles_and_groups_like_anybody(admin_user, project):
    services.membership_add(project=project, user=admin_user, role=Role.MANAGER, by=project.owner)
    assert admin_user.has_perm("projects.manage_members", project)
    assert not admin_user.has_perm("phases.override_gate", project)
    admin_user.groups.add(coordinator().groups.get())
    admin_user = type(admin_user).objects.get(pk=admin_user.pk)
    assert admin_user.has_perm("phases.override_gate", project)


def test_an_ordinary_user_cannot_add_members_through_the_service(project):
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.membership_add(project=project, user=outsider, role=Role.MEMBER, by=outsider)
