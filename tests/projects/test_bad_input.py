"""Bad dates and races that once gave 500: the form answers with an error and keeps what was typed.
Run against PostgreSQL in CI (DATABASE_URL), where lengths and unique constraints are enforced for real."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from phases import services as phase_services
from projects import services
from projects.forms import ProjectForm
from projects.models import Project, Role
from tests.factories import OrgUnitFactory, ProjectFactory, UserFactory, coordinator, member
from tests.projects.test_create_project import form_data


@pytest.fixture
def unit(db):
    return OrgUnitFactory(name="Økonomiseksjonen")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["start_date", "planned_move_in"])
def test_a_date_far_out_is_refused_and_the_input_kept(client, unit, bergen_template, field):
    client.force_login(coordinator())
    data = form_data(unit, **{field: "9999-12-31"})
    if field == "start_date":
        data["planned_move_in"] = ""
    response = client.post(reverse("projects:create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Velg en dato mellom 01.01.2000 og 31.12.2100." in html
    assert 'value="9999-12-31"' in html and 'value="Rådhusgaten 10"' in html
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_editing_the_move_in_to_a_date_far_out_is_refused(client, bergen_template):
    project = ProjectFactory(start_date=date(2026, 12, 1), planned_move_in=date(2027, 10, 1))
    owner = member(project, Role.OWNER)
    phase_services.process_start(project=project, template=bergen_template, by=owner)
    with pytest.raises(ValidationError):
        services.project_update(project=project, by=owner, planned_move_in=date(9999, 12, 31))
    client.force_login(owner)
    data = form_data(OrgUnitFactory(), planned_move_in="9999-12-31", status="active", actual_move_in="")
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == 200
    assert "Velg en dato mellom" in response.content.decode()


@pytest.mark.django_db
def test_an_item_deadline_far_out_is_refused(client, mini_template):
    project = ProjectFactory(start_date=date(2027, 1, 4))
    owner = member(project, Role.OWNER)
    phase_services.process_start(project=project, template=mini_template, by=owner)
    item = project.phases.get(order=1).items.get(key="workshop")
    client.force_login(owner)
    response = client.post(reverse("phases:item_plan", args=[project.pk, item.pk]), {"plan-due_date": "9999-12-31"})
    assert response.status_code == 400
    assert "Velg en dato mellom" in response.content.decode()
    with pytest.raises(ValidationError):
        phase_services.item_plan(item=item, by=owner, assignee=None, due_date=date(9999, 12, 31))


@pytest.mark.django_db
def test_the_loser_of_two_creations_with_one_case_number_gets_a_form_error(client, unit, monkeypatch):
    """Both requests passed the form's check before either saved (the race, made deterministic)."""
    ProjectFactory(case_number="2026/555")
    monkeypatch.setattr(ProjectForm, "clean_case_number", lambda self: self.cleaned_data["case_number"])
    monkeypatch.setattr(Project, "validate_constraints", lambda self, exclude=None: None)
    client.force_login(coordinator())
    response = client.post(reverse("projects:create"), form_data(unit))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Et annet prosjekt har allerede dette saksnummeret." in html
    assert 'value="Flytting til Rådhuset"' in html
    assert Project.objects.filter(case_number="2026/555").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creations_with_one_case_number(postgres, monkeypatch):
    """Two threads, two connections, both past the checks before either inserts: one project, one error."""
    leader = UserFactory()
    unit = OrgUnitFactory(leader=leader)
    barrier = threading.Barrier(2, timeout=10)
    real_full_clean = Project.full_clean

    def full_clean_then_wait(self, *args, **kwargs):
        real_full_clean(self, *args, **kwargs)
        barrier.wait()

    monkeypatch.setattr(Project, "full_clean", full_clean_then_wait)
    outcomes = []

    def create():
        from django.db import connection

        try:
            services.project_create(by=leader, units=[unit], name="Samtidig", case_number="2026/999")
            outcomes.append("created")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["case_number"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["Another project already has this case number.", "created"] or sorted(outcomes) == [
        "Et annet prosjekt har allerede dette saksnummeret.",
        "created",
    ]
    assert Project.objects.filter(case_number="2026/999").count() == 1


@pytest.mark.django_db
def test_two_uploads_of_one_template_version_at_once(monkeypatch):
    """The other upload saved the same version between this one's check and its insert: the same content
    counts as loaded, other content gets the form error, neither a database error."""
    from tests.conftest import MINI_TEMPLATE

    text = MINI_TEMPLATE.read_text(encoding="utf-8")
    real_lookup = phase_services._loaded_version
    calls = []

    def not_yet_on_the_first_look(key, version):
        calls.append(key)
        return None if len(calls) == 1 else real_lookup(key, version)

    phase_services.template_load(text=text, source="mini.toml")  # the other upload
    monkeypatch.setattr(phase_services, "_loaded_version", not_yet_on_the_first_look)
    template, created = phase_services.template_load(text=text, source="mini.toml")
    assert created is False and template.version == 1

    calls.clear()
    with pytest.raises(ValidationError, match="Øk versjonsnummeret|Raise the version"):
        phase_services.template_load(text=text + "\n# annet innhold\n", source="mini.toml")
