import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import Evaluation
from projects.forms import ProjectEditForm


def test_owner_records_the_move_in_and_the_dates_follow(project, owner):
    evaluation = services.movein_record(project=project, by=owner, move_in=datetime.date(2026, 5, 31))
    project.refresh_from_db()
    assert project.actual_move_in == datetime.date(2026, 5, 31)
    assert evaluation.window_opens == datetime.date(2027, 2, 28)
    assert evaluation.window_closes == datetime.date(2027, 8, 31)
    assert evaluation.freeze_ends == datetime.date(2027, 2, 28)
    assert evaluation.window_state() == "open"


def test_manager_may_record_it_too(project):
    services.movein_record(project=project, by=project.manager, move_in=datetime.date(2026, 9, 1))
    assert Evaluation.objects.filter(project=project).exists()


@pytest.mark.parametrize("role", ["safety_rep", "union_rep", "viewer", "oh_service"])
def test_other_roles_may_not_record_it(project, role):
    with pytest.raises(PermissionDenied):
        services.movein_record(project=project, by=getattr(project, role), move_in=datetime.date(2026, 9, 1))


def test_a_move_in_before_the_project_start_is_refused_with_a_clear_message(project, owner):
    with pytest.raises(ValidationError) as exc:
        services.movein_record(project=project, by=owner, move_in=datetime.date(2026, 1, 4))
    assert "kan ikke være før prosjektet startet (5. januar 2026)" in str(exc.value.message_dict["move_in"])
    assert not Evaluation.objects.exists()
    project.refresh_from_db()
    assert project.actual_move_in is None


def test_a_move_in_in_the_future_is_refused(project, owner, today):
    with pytest.raises(ValidationError) as exc:
        services.movein_record(project=project, by=owner, move_in=today + datetime.timedelta(days=1))
    assert "kan ikke være fram i tid" in str(exc.value.message_dict["move_in"])


def test_the_move_in_is_recorded_once_and_then_only_corrected_by_a_coordinator(moved_in, project, owner, coord):
    with pytest.raises(ValidationError):
        services.movein_record(project=project, by=owner, move_in=datetime.date(2026, 9, 1))
    with pytest.raises(PermissionDenied):
        services.movein_correct(evaluation=moved_in, by=owner, move_in=datetime.date(2026, 9, 1), reason="Feil")
    with pytest.raises(ValidationError) as exc:
        services.movein_correct(evaluation=moved_in, by=coord, move_in=datetime.date(2026, 9, 1), reason=" ")
    assert "reason" in exc.value.message_dict
    evaluation = services.movein_correct(
        evaluation=moved_in, by=coord, move_in=datetime.date(2026, 11, 30), reason="Flyttingen ble utsatt."
    )
    assert evaluation.window_opens == datetime.date(2027, 8, 30)
    assert evaluation.window_closes == datetime.date(2028, 2, 29)
    project.refresh_from_db()
    assert project.actual_move_in == datetime.date(2026, 11, 30)


def test_a_correction_is_checked_like_a_recording(moved_in, coord):
    with pytest.raises(ValidationError):
        services.movein_correct(evaluation=moved_in, by=coord, move_in=datetime.date(2025, 12, 1), reason="x")


def test_the_project_edit_form_no_longer_sets_the_actual_move_in(project):
    assert "actual_move_in" not in ProjectEditForm(instance=project).fields


def test_deadlines_after_move_in_are_reanchored_on_the_actual_date(bergen_template, today):
    from phases import services as phase_services
    from projects.models import Role
    from tests.factories import ProjectFactory, member

    project = ProjectFactory(start_date=datetime.date(2026, 1, 5), planned_move_in=datetime.date(2026, 9, 1))
    owner = member(project, Role.OWNER)
    phase_services.process_start(project=project, template=bergen_template, by=owner)
    item = project.phases.get(key="evaluate-adjust").items.get(key="mandate")
    assert item.due_date == datetime.date(2027, 5, 1)  # 8 calendar months after the planned move-in
    before_move = project.phases.get(key="develop-solution").items.order_by("pk").first()
    services.movein_record(early_confirmed=True, project=project, by=owner, move_in=datetime.date(2026, 10, 1))
    item.refresh_from_db()
    assert item.due_date == datetime.date(2027, 6, 1)  # 8 months after the actual move-in
    assert item.activity.__class__.objects.get(pk=item.activity_id).due_date == datetime.date(2028, 1, 1)  # 15
    unchanged = before_move.__class__.objects.get(pk=before_move.pk)
    assert unchanged.due_date == before_move.due_date
    tick = project.phases.get(key="execution").items.get(key="move-in-date")
    assert tick.status == "done"


def test_owner_records_it_on_its_page_and_sees_the_evaluation_tab(client, project, owner, today):
    client.force_login(owner)
    overview = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Registrer innflytting" in overview
    assert reverse("evaluation:overview", args=[project.pk]) not in overview
    response = client.post(reverse("evaluation:move_in", args=[project.pk]), {"move_in": "2026-08-31"})
    assert response.status_code == 302
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "31. mai 2027" in page  # freeze end and window start
    assert "30. november 2027" in page
    assert reverse("evaluation:overview", args=[project.pk]) in page


def test_the_page_keeps_the_input_and_shows_the_error(client, project, owner, today):
    client.force_login(owner)
    response = client.post(reverse("evaluation:move_in", args=[project.pk]), {"move_in": "2025-12-31"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "kan ikke være før prosjektet startet" in body
    assert 'value="2025-12-31"' in body
