import pytest
from django.core import mail
from django.urls import reverse

from projects.models import Membership, Role, User
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def add(client, project, user, role):
    return client.post(reverse("projects:member_add", args=[project.pk]), {"add-user": user.pk, "add-role": role})


def test_owner_adds_safety_rep(client, project, owner):
    rep = UserFactory()
    client.force_login(owner)
    response = add(client, project, rep, Role.SAFETY_REP)
    assert response.status_code == 302
    assert Membership.objects.filter(project=project, user=rep, role=Role.SAFETY_REP).exists()
    history = Membership.history.get(user=rep)
    assert history.history_user == owner


def test_person_may_hold_several_roles(client, project, owner):
    person = UserFactory()
    client.force_login(owner)
    add(client, project, person, Role.MEMBER)
    add(client, project, person, Role.UNION_REP)
    assert set(project.memberships.filter(user=person).values_list("role", flat=True)) == {
        "member",
        "union_rep",
    }


def test_same_role_twice_is_refused(client, project, owner):
    person = member(project, Role.MEMBER)
    client.force_login(owner)
    response = add(client, project, person, Role.MEMBER)
    assert response.status_code == 400
    assert "har allerede rollen" in response.content.decode()


def test_member_cannot_add_members(client, project):
    client.force_login(member(project, Role.MEMBER))
    response = add(client, project, UserFactory(), Role.VIEWER)
    assert response.status_code == 403
    assert project.memberships.count() == 1


def test_outsider_gets_404_when_adding(client, project):
    client.force_login(member(ProjectFactory(), Role.OWNER))
    response = add(client, project, UserFactory(), Role.VIEWER)
    assert response.status_code == 404


def test_manager_cannot_give_owner_role(client, project, owner):
    client.force_login(member(project, Role.MANAGER))
    response = add(client, project, UserFactory(), Role.OWNER)
    assert response.status_code == 400
    assert "Bare en prosjekteier" in response.content.decode()
    assert list(project.memberships.filter(role=Role.OWNER).values_list("user", flat=True)) == [owner.pk]


def test_owner_invites_new_person_by_email(client, project, owner, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:member_invite", args=[project.pk]),
            {
                "invite-full_name": "Vera Verneombud",
                "invite-email": "Vera@Example.no",
                "invite-role": Role.SAFETY_REP,
            },
        )
    assert response.status_code == 302
    invited = User.objects.get(email="vera@example.no")
    assert not invited.has_usable_password()
    assert project.memberships.filter(user=invited, role=Role.SAFETY_REP).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vera@example.no"]
    assert project.name in message.body
    assert "/account/reset/" in message.body


def test_invited_person_sets_password_and_logs_in(client, project, owner, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("projects:member_invite", args=[project.pk]),
            {
                "invite-full_name": "Vera Verneombud",
                "invite-email": "vera@example.no",
                "invite-role": Role.SAFETY_REP,
            },
        )
    client.logout()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/reset/" in line)
    path = link[link.index("/account/") :]
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Langt-og-trygt-1234", "new_password2": "Langt-og-trygt-1234"},
    )
    assert response.status_code == 302
    assert (
        client.post(reverse("login"), {"username": "vera@example.no", "password": "Langt-og-trygt-1234"}).status_code
        == 302
    )
    assert client.get(project.get_absolute_url()).status_code == 200


def test_invite_with_existing_email_shows_error_and_keeps_input(client, project, owner):
    UserFactory(email="finnes@example.no")
    client.force_login(owner)
    response = client.post(
        reverse("projects:member_invite", args=[project.pk]),
        {"invite-full_name": "Ny Person", "invite-email": "FINNES@example.no", "invite-role": Role.MEMBER},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Det finnes allerede en person med denne e-postadressen" in html
    assert 'value="Ny Person"' in html
    assert 'value="FINNES@example.no"' in html
    assert User.objects.filter(email__iexact="finnes@example.no").count() == 1
    assert len(mail.outbox) == 0


def test_owner_changes_role(client, project, owner):
    person = member(project, Role.MEMBER)
    membership = Membership.objects.get(user=person)
    client.force_login(owner)
    response = client.post(reverse("projects:member_role", args=[project.pk, membership.pk]), {"role": Role.UNION_REP})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.UNION_REP


def test_last_owner_cannot_be_removed(client, project, owner):
    membership = Membership.objects.get(user=owner)
    client.force_login(owner)
    response = client.post(reverse("projects:member_remove", args=[project.pk, membership.pk]))
    assert response.status_code == 400
    assert "Den siste prosjekteieren kan ikke fjernes" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_last_owner_cannot_lose_owner_role(client, project, owner):
    membership = Membership.objects.get(user=owner)
    client.force_login(owner)
    response = client.post(reverse("projects:member_role", args=[project.pk, membership.pk]), {"role": "member"})
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_owner_can_be_removed_when_another_owner_exists(client, project, owner):
    second = MembershipFactory(project=project, role=Role.OWNER)
    client.force_login(owner)
    response = client.post(reverse("projects:member_remove", args=[project.pk, second.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_remove_asks_for_confirmation_first(client, project, owner):
    target = MembershipFactory(project=project, role=Role.VIEWER)
    client.force_login(owner)
    response = client.get(reverse("projects:member_remove", args=[project.pk, target.pk]))
    assert response.status_code == 200
    assert "Ja, fjern" in response.content.decode()
    assert Membership.objects.filter(pk=target.pk).exists()


def test_manager_cannot_remove_owner(client, project, owner):
    MembershipFactory(project=project, role=Role.OWNER)
    membership = Membership.objects.get(user=owner)
    client.force_login(member(project, Role.MANAGER))
    response = client.post(reverse("projects:member_remove", args=[project.pk, membership.pk]))
    assert response.status_code == 400
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_of_another_project_is_404(client, project, owner):
    other = MembershipFactory(project=ProjectFactory(), role=Role.MEMBER)
    client.force_login(owner)
    response = client.post(reverse("projects:member_remove", args=[project.pk, other.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_removed_member_loses_access(client, project, owner):
    viewer = MembershipFactory(project=project, role=Role.VIEWER)
    client.force_login(owner)
    client.post(reverse("projects:member_remove", args=[project.pk, viewer.pk]))
    client.force_login(viewer.user)
    assert client.get(project.get_absolute_url()).status_code == 404


def test_a_member_added_a_moment_ago_can_be_assigned_an_item_on_the_same_user_object(steps_template):
    """project_roles caches on the user object; the membership services clear it, so a person added in this
    request is not refused as responsible because of roles read before they were added."""
    from phases import services as phase_services
    from projects.permissions import project_roles
    from projects.services import membership_add, membership_change_role, membership_remove

    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    phase_services.process_start(project=project, template=steps_template, by=owner)
    item = project.phases.get(order=1).items.first()
    newcomer = UserFactory()
    assert project_roles(newcomer, project) == frozenset()  # read (and cached) before they are added
    membership = membership_add(project=project, user=newcomer, role=Role.MEMBER, by=owner)
    phase_services.item_plan(item=item, by=owner, assignee=newcomer, due_date=None)
    assert project_roles(newcomer, project) == {Role.MEMBER}
    membership_change_role(membership=membership, role=Role.VIEWER, by=owner)
    assert project_roles(newcomer, project) == {Role.VIEWER}
    membership_remove(membership=membership, by=owner)
    assert project_roles(newcomer, project) == frozenset()
