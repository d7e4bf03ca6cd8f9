import pytest
from django.urls import reverse

from projects.models import Membership, Project, Role
from tests.factories import OrgUnitFactory, UserFactory, coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return OrgUnitFactory(name="Økonomiseksjonen")


@pytest.fixture
def leader(unit):
    user = UserFactory()
    unit.leader = user
    unit.save()
    return user


def form_data(unit, **overrides):
    data = {
        "name": "Flytting til Rådhuset",
        "case_number": "2026/555",
        "kind": "rebuild",
        "units": [unit.pk],
        "address": "Rådhusgaten 10",
        "building": "Rådhuset",
        "headcount": "40",
        "start_date": "2026-12-01",
        "planned_move_in": "2027-09-01",
        "description": "Ny kontorløsning for seksjonen.",
    }
    data.update(overrides)
    return data


def test_leader_creates_project_and_becomes_owner(client, leader, unit):
    client.force_login(leader)
    response = client.post(reverse("projects:create"), form_data(unit))
    project = Project.objects.get(case_number="2026/555")
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert list(project.memberships.values_list("user", "role")) == [(leader.pk, Role.OWNER)]
    assert [u.name for u in project.units.all()] == ["Økonomiseksjonen"]
    assert project.history.first().history_user == leader


def test_coordinator_names_another_owner(client, unit):
    owner = UserFactory()
    client.force_login(coordinator())
    client.post(reverse("projects:create"), form_data(unit, owner=owner.pk))
    project = Project.objects.get()
    assert list(project.memberships.values_list("user", "role")) == [(owner.pk, Role.OWNER)]


def test_leader_cannot_name_another_owner(client, leader, unit):
    client.force_login(leader)
    client.post(reverse("projects:create"), form_data(unit, owner=UserFactory().pk))
    # The owner field is not offered to a leader, so the leader becomes owner.
    assert Membership.objects.get().user == leader


def test_it_requires_leader_or_coordinator(client, unit):
    client.force_login(UserFactory())
    response = client.post(reverse("projects:create"), form_data(unit))
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_empty_name_is_refused_in_norwegian_and_input_kept(client, leader, unit):
    client.force_login(leader)
    response = client.post(reverse("projects:create"), form_data(unit, name=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Feltet er påkrevet." in html
    assert 'value="Rådhusgaten 10"' in html
    assert 'value="2026/555"' in html
    assert "Ny kontorløsning for seksjonen." in html
    assert not Project.objects.exists()


def test_impossible_date_is_refused_in_norwegian_and_input_kept(client, leader, unit):
    client.force_login(leader)
    response = client.post(reverse("projects:create"), form_data(unit, planned_move_in="31.02.2027"))
    html = response.content.decode()
    assert "Oppgi en gyldig dato." in html
    assert 'value="31.02.2027"' in html
    assert 'value="Flytting til Rådhuset"' in html
    assert not Project.objects.exists()


def test_move_in_before_start_is_refused(client, leader, unit):
    client.force_login(leader)
    response = client.post(reverse("projects:create"), form_data(unit, planned_move_in="2026-11-01"))
    assert "Planlagt innflytting kan ikke være før prosjektet starter." in response.content.decode()
    assert not Project.objects.exists()


def test_duplicate_case_number_is_refused(client, leader, unit):
    client.force_login(leader)
    client.post(reverse("projects:create"), form_data(unit))
    response = client.post(reverse("projects:create"), form_data(unit, name="Et annet prosjekt"))
    assert "Et annet prosjekt har allerede dette saksnummeret." in response.content.decode()
    assert Project.objects.count() == 1


def test_norwegian_date_format_is_accepted(client, leader, unit):
    client.force_login(leader)
    client.post(reverse("projects:create"), form_data(unit, planned_move_in="01.09.2027"))
    assert str(Project.objects.get().planned_move_in) == "2027-09-01"


def test_owner_edits_project_and_history_shows_old_and_new(client, leader, unit):
    client.force_login(leader)
    client.post(reverse("projects:create"), form_data(unit))
    project = Project.objects.get()
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        form_data(unit, headcount="45", status="active", actual_move_in=""),
    )
    assert response.status_code == 302
    history = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert "Antall ansatte" in history
    assert "<del>40</del>" in history
    assert "<ins>45</ins>" in history
    assert leader.full_name in history


def test_the_coordinator_finds_the_owner_by_searching_not_in_a_list_of_everyone(client, unit):
    """Issue 28 point 9: the owner is found like a member (accent-insensitive), never chosen from every user."""
    owner = UserFactory(full_name="Åse Østbø")
    UserFactory(full_name="Per Annen")
    client.force_login(coordinator())
    page = client.get(reverse("projects:create")).content.decode()
    assert 'name="owner_q"' in page
    assert "Åse Østbø" not in page and "Per Annen" not in page  # nobody is listed before a search
    found = client.get(reverse("projects:create"), {"owner_q": "ase ostbo"}).content.decode()
    assert "Åse Østbø" in found and "Per Annen" not in found
    assert f'value="{owner.pk}"' in found


def test_the_owner_search_works_without_javascript_and_keeps_what_was_typed(client, unit):
    UserFactory(full_name="Åse Østbø")
    client.force_login(coordinator())
    response = client.post(reverse("projects:create"), form_data(unit, owner_q="østbø", owner_search="1"))
    page = response.content.decode()
    assert response.status_code == 200 and not Project.objects.exists()
    assert "Åse Østbø" in page and 'value="Flytting til Rådhuset"' in page
    assert "is-invalid" not in page  # a search is not a failed submit


def test_a_search_without_a_choice_is_refused_at_the_field(client, unit):
    UserFactory(full_name="Åse Østbø")
    client.force_login(coordinator())
    response = client.post(reverse("projects:create"), form_data(unit, owner_q="østbø"))
    assert not Project.objects.exists()
    page = response.content.decode()
    assert "Velg eieren i listen" in page
    assert "Åse Østbø" in page  # the matches are offered again


def test_a_leader_gets_no_owner_search(client, leader, unit):
    client.force_login(leader)
    page = client.get(reverse("projects:create"), {"owner_q": "a"}).content.decode()
    assert 'name="owner_q"' not in page and 'name="owner"' not in page
