"""Issue 24 point 8: the demo data tells one consistent story (seed_demo owns it; the apps add their pieces)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from phases.models import ChecklistItem, CriterionAssessment, Phase
from projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)
    return {p.case_number: p for p in Project.objects.prefetch_related("units")}


def test_one_employee_count_per_project(demo):
    from space.models import AreaProgramme, MappingUnit

    project = demo["2026/1001"]
    assert sum(MappingUnit.objects.filter(project=project).values_list("headcount", flat=True)) == project.headcount
    assert AreaProgramme.objects.get(work_product__project=project).employees == project.headcount


def test_the_milestones_lie_in_the_projects_time_and_the_move_in_is_the_planned_one(demo):
    from workproducts.models import Milestone

    project = demo["2026/1001"]
    milestones = dict(Milestone.objects.filter(project=project).values_list("name", "date"))
    assert milestones["Innflytting"] == project.planned_move_in
    assert all(project.start_date <= day <= project.planned_move_in for day in milestones.values())
    assert milestones["Mandat vedtatt"] < milestones["Arealprogram klart"] < milestones["Innflytting"]


def test_completed_phases_and_done_items_are_dated_in_the_past_in_order(demo):
    today = timezone.localdate()
    for project in demo.values():
        previous = project.start_date
        for phase in Phase.objects.filter(project=project, completed_at__isnull=False).order_by("order"):
            day = timezone.localtime(phase.completed_at).date()
            assert previous <= day < today, (project.case_number, phase.order, day)
            previous = day
            items = ChecklistItem.objects.filter(phase=phase).exclude(status="open")
            assert all(timezone.localtime(i.completed_at).date() == day for i in items)
            assert all(
                timezone.localtime(a.assessed_at).date() == day for a in CriterionAssessment.objects.filter(phase=phase)
            )
        done_today = ChecklistItem.objects.filter(
            project=project, completed_at__date__gte=today - datetime.timedelta(days=0)
        ).exclude(status="open")
        assert done_today.count() <= 1, project.case_number  # at most one item ticked on the day itself


def test_a_unit_moves_in_one_project_at_a_time(demo):
    seen = {}
    for project in demo.values():
        if project.actual_move_in is not None:
            continue  # moved in: its units are free for the next project
        for unit in project.units.all():
            assert unit.pk not in seen, f"{unit.name} in {seen.get(unit.pk)} and {project.case_number}"
            seen[unit.pk] = project.case_number


def test_loading_the_demo_again_changes_none_of_it(demo):
    before = list(Phase.objects.order_by("pk").values_list("pk", "completed_at"))
    call_command("seed_demo", verbosity=0)
    assert list(Phase.objects.order_by("pk").values_list("pk", "completed_at")) == before
