"""The planned schedule: phases in order inside the project's dates, deadlines inside their phase, and a
new start or move-in plans again what is not done."""

from datetime import date

from django.utils import timezone

from phases import services
from phases.models import ChecklistItem
from projects import services as project_services
from projects.models import Role
from tests.factories import ProjectFactory, member


def _start(bergen_template, start, move_in):
    project = ProjectFactory(start_date=start, planned_move_in=move_in)
    owner = member(project, Role.OWNER)
    services.process_start(project=project, template=bergen_template, by=owner)
    return project, owner


def test_phases_follow_each_other_inside_the_project_dates(bergen_template):
    project, _ = _start(bergen_template, date(2026, 12, 1), date(2027, 10, 1))
    phases = list(project.phases.order_by("order"))
    assert phases[0].planned_start == date(2026, 12, 1)
    for earlier, later in zip(phases, phases[1:], strict=False):
        assert earlier.planned_start <= earlier.planned_end == later.planned_start <= later.planned_end
    assert phases[2].planned_end == date(2027, 10, 1)
    assert phases[3].planned_start == date(2027, 10, 1)


def test_every_deadline_lies_inside_its_phase(bergen_template):
    project, _ = _start(bergen_template, date(2026, 12, 1), date(2027, 10, 1))
    for item in ChecklistItem.objects.filter(project=project, due_date__isnull=False).select_related("phase"):
        assert item.phase.planned_start <= item.due_date <= item.phase.planned_end, item.key


def test_the_phases_page_shows_the_plan_in_order(client, bergen_template):
    project, owner = _start(bergen_template, date(2026, 12, 1), date(2027, 10, 1))
    client.force_login(owner)
    html = client.get(f"/projects/{project.pk}/phases/").content.decode()
    assert 'Planlagt: <time datetime="2026-12-01">01.12.2026</time>' in html
    assert html.index("2026-12-01") < html.index("2027-10-01")


def test_a_later_move_in_replans_open_work_but_keeps_deadlines_set_by_hand(bergen_template):
    project, owner = _start(bergen_template, date(2026, 12, 1), date(2027, 10, 1))
    by_hand = ChecklistItem.objects.filter(project=project, phase__order=3).first()
    services.item_plan(item=by_hand, by=owner, assignee=None, due_date=date(2027, 5, 5))
    planned = ChecklistItem.objects.filter(project=project, phase__order=3).exclude(pk=by_hand.pk).first()
    old_due = planned.due_date

    project_services.project_update(project=project, by=owner, planned_move_in=date(2028, 4, 1))

    phases = list(project.phases.order_by("order"))
    assert phases[2].planned_end == date(2028, 4, 1)
    assert phases[3].planned_start == date(2028, 4, 1)
    by_hand.refresh_from_db()
    planned.refresh_from_db()
    assert by_hand.due_date == date(2027, 5, 5)
    assert planned.due_date > old_due
    assert phases[2].planned_start <= planned.due_date <= phases[2].planned_end


def test_a_completed_phase_keeps_its_plan(bergen_template):
    project, owner = _start(bergen_template, date(2026, 12, 1), date(2027, 10, 1))
    first = project.phases.get(order=1)
    kept = (first.planned_start, first.planned_end)
    first.completed_at, first.completed_by = timezone.now(), owner
    first.save()

    project_services.project_update(project=project, by=owner, start_date=date(2026, 6, 1))

    first.refresh_from_db()
    assert (first.planned_start, first.planned_end) == kept
    assert project.phases.get(order=2).planned_start == kept[1]
