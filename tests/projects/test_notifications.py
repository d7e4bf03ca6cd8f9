"""The bell, the notification list, mark read, My tasks, the landing page and the e-mail settings."""

import datetime

import pytest
from django.urls import reverse

from phases import services as phase_services
from projects.models import EmailOptOut, Notification, Role
from tests.factories import ProjectFactory, UserFactory, coordinator, member


def note(user, n=1, **kwargs):
    return Notification.objects.create(
        key=f"test:{user.pk}:{n}", kind="item_due_soon", recipient=user, text={"nb": f"Frist {n}", "en": f"Due {n}"},
        url="/projects/", **kwargs,
    )  # fmt: skip


@pytest.fixture
def person(db):
    return UserFactory()


def test_bell_shows_the_unread_count(client, person):
    note(person, 1)
    note(person, 2)
    client.force_login(person)
    html = client.get(reverse("projects:mine")).content.decode()
    assert 'id="nav-bell"' in html and "bi-bell-fill" in html
    assert '2<span class="visually-hidden"> uleste</span>' in html


def test_list_shows_only_my_notifications(client, person):
    note(person, 1)
    note(UserFactory(), 2)
    client.force_login(person)
    html = client.get(reverse("notifications")).content.decode()
    assert "Frist 1" in html and "Frist 2" not in html


def test_mark_read_and_mark_all_read(client, person):
    a, b, c = note(person, 1), note(person, 2), note(person, 3)
    client.force_login(person)
    assert client.post(reverse("notification_read", args=[a.pk])).status_code == 302
    a.refresh_from_db()
    assert a.is_read
    client.post(reverse("notifications_read_all"))
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    assert "bi-bell-fill" not in client.get(reverse("notifications")).content.decode()
    assert b.pk and c.pk


def test_opening_a_notification_marks_it_read_and_follows_it(client, person):
    n = note(person)
    client.force_login(person)
    response = client.get(reverse("notification_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/projects/"
    n.refresh_from_db()
    assert n.is_read


def test_someone_elses_notification_is_404(client, person):
    n = note(UserFactory())
    client.force_login(person)
    assert client.post(reverse("notification_read", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert not n.is_read


def test_notification_list_query_count_is_fixed(client, person, django_assert_max_num_queries):
    client.force_login(person)
    for size in (3, 60):
        for i in range(size):
            note(person, f"{size}-{i}", project=ProjectFactory())
        with django_assert_max_num_queries(12):
            assert client.get(reverse("notifications")).status_code == 200


def test_email_kinds_can_be_turned_off_in_settings(client, person):
    client.force_login(person)
    page = client.get(reverse("settings")).content.decode()
    assert "Sjekkpunkter med frist innen tre dager" in page
    data = {"full_name": "Ny", "phone": "", "preferred_language": "nb", "email-kinds": ["item_overdue"]}
    assert client.post(reverse("settings"), data).status_code == 302
    off = set(EmailOptOut.objects.filter(user=person).values_list("kind", flat=True))
    assert "item_due_soon" in off and "item_overdue" not in off


@pytest.fixture
def project(mini_template):
    project = ProjectFactory(name="Økonomi flytter", start_date=datetime.date(2027, 1, 4))
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    phase_services.process_start(project=project, template=mini_template, by=project.owner)
    return project


def test_working_group_member_lands_on_my_tasks(client, project):
    worker = member(project, Role.MEMBER)
    client.force_login(worker)
    assert client.get(reverse("home"))["Location"] == reverse("tasks")


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.SAFETY_REP, Role.VIEWER])
def test_others_land_elsewhere(client, project, role):
    person = member(project, role)
    client.force_login(person)
    assert client.get(reverse("home"))["Location"] != reverse("tasks")


def test_a_coordinator_in_a_working_group_still_lands_on_projects(client, project):
    person = coordinator()
    project.memberships.create(user=person, role=Role.MEMBER)
    client.force_login(person)
    assert client.get(reverse("home"))["Location"] != reverse("tasks")


def test_my_tasks_lists_my_items_across_projects_overdue_first(client, project, mini_template):
    worker = member(project, Role.MEMBER)
    items = list(project.phases.get(order=1).items.order_by("order"))
    phase_services.item_plan(item=items[0], by=project.owner, assignee=worker, due_date=datetime.date(2030, 1, 1))
    phase_services.item_plan(item=items[1], by=project.owner, assignee=worker, due_date=datetime.date(2020, 1, 1))
    other = ProjectFactory(name="Annet prosjekt")
    other_owner = member(other, Role.OWNER)
    other.memberships.create(user=worker, role=Role.MEMBER)
    phase_services.process_start(project=other, template=mini_template, by=other_owner)
    third = other.phases.get(order=1).items.order_by("order").first()
    phase_services.item_plan(item=third, by=other_owner, assignee=worker, due_date=None)
    client.force_login(worker)
    html = client.get(reverse("tasks")).content.decode()
    positions = [html.index(i.text_nb) for i in (items[1], items[0])]
    assert positions == sorted(positions)  # the overdue one first
    assert "Annet prosjekt" in html and "Forfalt" in html
    assert items[2].text_nb not in html  # not mine


def test_my_tasks_query_count_is_fixed(client, project, mini_template, django_assert_max_num_queries):
    worker = member(project, Role.MEMBER)
    client.force_login(worker)
    for item in project.phases.get(order=1).items.all()[:1]:
        phase_services.item_plan(item=item, by=project.owner, assignee=worker, due_date=datetime.date(2027, 1, 1))
    with django_assert_max_num_queries(14):
        client.get(reverse("tasks"))
    for _ in range(5):
        p = ProjectFactory()
        owner = member(p, Role.OWNER)
        p.memberships.create(user=worker, role=Role.MEMBER)
        phase_services.process_start(project=p, template=mini_template, by=owner)
        for item in p.phases.get(order=1).items.all():
            phase_services.item_plan(item=item, by=owner, assignee=worker, due_date=datetime.date(2027, 1, 1))
    with django_assert_max_num_queries(14):
        assert "Prosjekt" in client.get(reverse("tasks")).content.decode()


def test_my_tasks_empty_state(client, person):
    client.force_login(person)
    assert "Ingenting venter på deg nå." in client.get(reverse("tasks")).content.decode()
