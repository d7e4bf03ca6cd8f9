import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import services
from tests.evaluation.test_freeze import complete


def test_plan_dates_outside_the_window_need_a_reason(moved_in, owner):
    with pytest.raises(ValidationError) as exc:
        services.evaluation_plan_save(evaluation=moved_in, by=owner, planned_start=datetime.date(2027, 5, 30))
    assert "outside_window_reason" in exc.value.message_dict
    services.evaluation_plan_save(
        evaluation=moved_in, by=owner, planned_start=datetime.date(2027, 5, 31), planned_end=datetime.date(2027, 11, 30)
    )
    moved_in.refresh_from_db()
    assert moved_in.planned_end == datetime.date(2027, 11, 30)


def test_the_end_cannot_come_before_the_start(moved_in, owner):
    with pytest.raises(ValidationError) as exc:
        services.evaluation_plan_save(
            evaluation=moved_in,
            by=owner,
            planned_start=datetime.date(2027, 7, 1),
            planned_end=datetime.date(2027, 6, 1),
        )
    assert "planned_end" in exc.value.message_dict


def test_results_go_to_leaders_then_representatives_then_employees(moved_in, owner):
    with pytest.raises(ValidationError) as exc:
        services.evaluation_follow_up_save(
            evaluation=moved_in, by=owner, presented_to_representatives=datetime.date(2027, 3, 1)
        )
    assert "presented_to_representatives" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.evaluation_follow_up_save(
            evaluation=moved_in, by=owner, presented_to_leaders=datetime.date(2027, 3, 5),
            presented_to_representatives=datetime.date(2027, 3, 1),
        )  # fmt: skip
    assert "presented_to_representatives" in exc.value.message_dict


def test_scores_are_one_to_five_and_one_per_criterion(moved_in, owner):
    with pytest.raises(ValidationError):
        services.result_save(evaluation=moved_in, by=owner, kind="criterion", criterion="leaders", score=6)
    services.result_save(evaluation=moved_in, by=owner, kind="criterion", criterion="leaders", score=5)
    with pytest.raises(ValidationError):
        services.result_save(evaluation=moved_in, by=owner, kind="criterion", criterion="leaders", score=3)
    with pytest.raises(ValidationError):
        services.result_save(evaluation=moved_in, by=owner, kind="goal", score=3)


def test_completion_lists_what_is_missing(moved_in, owner):
    with pytest.raises(ValidationError) as exc:
        services.evaluation_complete(evaluation=moved_in, by=owner)
    assert "oppfølgingsplanen" in str(exc.value)


def test_a_completed_evaluation_is_locked(moved_in, owner):
    complete(moved_in, owner)
    with pytest.raises(ValidationError):
        services.evaluation_plan_save(evaluation=moved_in, by=owner, scope="Endret")
    with pytest.raises(ValidationError):
        services.result_save(evaluation=moved_in, by=owner, kind="goal", subject="Nytt mål", score=3)


def test_representatives_and_observers_edit_nothing(moved_in, project):
    for person in (project.safety_rep, project.viewer, project.oh_service):
        with pytest.raises(PermissionDenied):
            services.evaluation_plan_save(evaluation=moved_in, by=person, scope="x")


def test_sick_leave_figures_come_from_hr_only(moved_in, owner, hr):
    with pytest.raises(PermissionDenied):
        services.figure_add(evaluation=moved_in, by=owner, kind="sick_leave", label="Fravær", before=7, after=6)
    figure = services.figure_add(evaluation=moved_in, by=hr, kind="sick_leave", label="Fravær", before=7, after=6)
    assert figure.entered_by == hr
    with pytest.raises(PermissionDenied):
        services.figure_add(evaluation=moved_in, by=hr, kind="satisfaction", label="Trivsel", before=4, after=5)
