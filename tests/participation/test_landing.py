"""Each role lands where its work starts: representatives on *Til godkjenning*, owners on *Mine prosjekter*."""

import pytest

from projects.models import Role
from tests.factories import ProjectFactory, member


@pytest.mark.parametrize("role", [Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE, Role.AMU])
def test_a_representative_lands_on_for_approval(client, db, role):
    client.force_login(member(ProjectFactory(), role))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/approvals/"


def test_the_login_takes_a_representative_to_for_approval(client, db):
    from tests.factories import PASSWORD

    member(ProjectFactory(), Role.SAFETY_REP, email="siri@example.no")
    response = client.post("/account/login/", {"username": "siri@example.no", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/approvals/"


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.VIEWER])
def test_owner_manager_and_observer_land_on_my_projects(client, db, role):
    client.force_login(member(ProjectFactory(), role))
    assert client.get("/").url == "/projects/"


def test_an_owner_who_is_also_safety_rep_elsewhere_lands_on_my_projects(client, db):
    owner = member(ProjectFactory(), Role.OWNER)
    member_of_other = ProjectFactory()
    from tests.factories import MembershipFactory

    MembershipFactory(project=member_of_other, user=owner, role=Role.SAFETY_REP)
    client.force_login(owner)
    assert client.get("/").url == "/projects/"
