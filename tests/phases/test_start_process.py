import datetime

import pytest
from django.urls import reverse

from phases.models import ChecklistItem, ProcessTemplate
from phases.services import template_load
from projects.models import Project
from tests.conftest import MINI_TEMPLATE
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_project_copies_phases_activities_and_items(project):
    assert [p.name_nb for p in project.phases.order_by("order")] == ["Første fase", "Andre fase"]
    phase = project.phases.get(order=1)
    assert [a.key for a in phase.activities.order_by("order")] == ["goals", "mandate"]
    assert ChecklistItem.objects.filter(project=project).count() == 5
    assert ChecklistItem.objects.filter(project=project, mandatory=True).count() == 4


def test_due_dates_count_from_start_and_move_in(project):
    goals = project.phases.get(order=1).activities.get(key="goals")
    assert goals.due_date == datetime.date(2027, 2, 3)  # start + 30
    assert goals.items.get(key="vision").due_date == datetime.date(2027, 1, 14)  # item override: start + 10
    assert goals.items.get(key="workshop").due_date == datetime.date(2027, 2, 3)
    mandate = project.phases.get(order=1).activities.get(key="mandate")
    assert mandate.due_date == datetime.date(2027, 3, 15)  # move-in − 200
    assert project.phases.get(order=2).items.get().due_date == datetime.date(2027, 10, 1)


def test_creating_a_project_in_the_browser_form_picks_the_template(client, mini_template):
    leader = UserFactory()
    unit = OrgUnitFactory(leader=leader)
    client.force_login(leader)
    client.post(
        reverse("projects:create"),
        {"name": "Nytt kontor", "kind": "rebuild", "units": [unit.pk], "start_date": "2027-01-04",
         "template": mini_template.pk},
    )  # fmt: skip
    project = Project.objects.get(name="Nytt kontor")
    assert project.process.template == mini_template
    assert project.phases.count() == 2


def test_a_new_template_version_leaves_running_projects_unchanged(project):
    new = MINI_TEMPLATE.read_text().replace("version = 1", "version = 2").replace("Hold verksted", "Hold stormøte")
    template_load(text=new, source="mini.toml")
    items = list(ChecklistItem.objects.filter(project=project).values_list("text_nb", flat=True))
    assert "Hold verksted" in items
    assert "Hold stormøte" not in items
    assert project.process.template.version == 1


def test_editing_a_loaded_template_leaves_the_project_unchanged(project):
    template = ProcessTemplate.objects.get(key="mini")
    template.definition["phases"][0]["activities"][0]["items"][0]["text"]["nb"] = "Endret tekst"
    template.definition["phases"].pop()
    template.save()
    assert project.phases.count() == 2
    assert ChecklistItem.objects.filter(project=project, text_nb="Endret tekst").count() == 0


def test_history_records_item_creation(project):
    assert ChecklistItem.history.filter(project_id=project.pk, history_type="+").count() == 5
