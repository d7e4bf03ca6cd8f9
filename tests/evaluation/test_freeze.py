import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import services
from evaluation.models import ChangeRequest


@time_machine.travel(datetime.datetime(2027, 2, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_the_freeze_cannot_end_before_six_months(moved_in, owner):
    with pytest.raises(ValidationError) as exc:
        services.freeze_shorten(evaluation=moved_in, by=owner, ends=datetime.date(2027, 2, 27))
    assert "minst seks måneder etter innflytting: til 28. februar 2027" in str(exc.value.message_dict["ends"])
    evaluation = services.freeze_shorten(evaluation=moved_in, by=owner, ends=datetime.date(2027, 2, 28), reason="Ok")
    assert evaluation.freeze_ends == datetime.date(2027, 2, 28)


def test_the_freeze_cannot_be_extended(moved_in, owner):
    with pytest.raises(ValidationError):
        services.freeze_shorten(evaluation=moved_in, by=owner, ends=datetime.date(2027, 6, 1))


def test_only_the_owner_shortens_the_freeze(moved_in, project, coord):
    for person in (project.manager, project.safety_rep, coord):
        with pytest.raises(PermissionDenied):
            services.freeze_shorten(evaluation=moved_in, by=person, ends=datetime.date(2027, 3, 1))


def _log(project, by, category):
    return services.change_request_log(
        project=project, by=by, what="Flytte reolen", why="Den står i veien", category=category, requested_by="Mona"
    )


def test_an_adjustment_that_weakens_the_concept_is_deferred_during_the_freeze(moved_in, project, owner):
    cr = _log(project, owner, ChangeRequest.Category.WEAKENING)
    assert cr.status == ChangeRequest.Status.DEFERRED
    assert cr.during_freeze


def test_an_adjustment_within_the_concept_goes_ahead_during_the_freeze(moved_in, project, owner):
    cr = _log(project, owner, ChangeRequest.Category.ADJUSTMENT)
    assert cr.status == ChangeRequest.Status.GO_AHEAD
    assert cr.during_freeze


def test_only_a_deferred_adjustment_can_be_approved(moved_in, project, owner, coord):
    for category in (ChangeRequest.Category.ADJUSTMENT, ChangeRequest.Category.FAULT_FIX):
        cr = _log(project, owner, category)
        with pytest.raises(ValidationError):
            services.change_request_approve(change_request=cr, by=coord, reason="Greit")


def test_a_fault_fix_during_the_freeze_goes_ahead(moved_in, project, owner):
    cr = _log(project, owner, ChangeRequest.Category.FAULT_FIX)
    assert cr.status == ChangeRequest.Status.GO_AHEAD


def test_a_weakening_adjustment_after_the_freeze_goes_ahead(moved_in, project, owner):
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=datetime.UTC), tick=False):
        cr = _log(project, owner, ChangeRequest.Category.WEAKENING)
    assert cr.status == ChangeRequest.Status.GO_AHEAD
    assert not cr.during_freeze


def test_change_requests_need_a_move_in(project, owner):
    with pytest.raises(ValidationError):
        _log(project, owner, ChangeRequest.Category.FAULT_FIX)


def test_a_coordinator_approval_without_a_reason_is_refused(moved_in, project, owner, coord):
    cr = _log(project, owner, ChangeRequest.Category.WEAKENING)
    with pytest.raises(ValidationError) as exc:
        services.change_request_approve(change_request=cr, by=coord, reason="   ")
    assert "reason" in exc.value.message_dict
    cr.refresh_from_db()
    assert cr.status == ChangeRequest.Status.DEFERRED
    cr = services.change_request_approve(change_request=cr, by=coord, reason="Sikkerhetshensyn")
    assert cr.status == ChangeRequest.Status.APPROVED
    assert cr.approved_by == coord


def test_only_a_coordinator_approves(moved_in, project, owner):
    cr = _log(project, owner, ChangeRequest.Category.WEAKENING)
    for person in (owner, project.manager, project.safety_rep):
        with pytest.raises(PermissionDenied):
            services.change_request_approve(change_request=cr, by=person, reason="Vi vil")
    cr.refresh_from_db()
    assert cr.status == ChangeRequest.Status.DEFERRED


def test_completing_the_evaluation_ends_the_freeze(moved_in, project, owner, today):
    assert moved_in.freeze_state() == "active"
    complete(moved_in, owner)
    moved_in.refresh_from_db()
    assert moved_in.freeze_state() == "ended"
    assert moved_in.freeze_ends == today
    assert _log(project, owner, ChangeRequest.Category.WEAKENING).status == ChangeRequest.Status.GO_AHEAD


def complete(evaluation, owner):
    services.evaluation_plan_save(
        evaluation=evaluation, by=owner, scope="Alt", method_survey=True, evaluator="internal",
        outside_window_reason="Tidlig evaluering etter ønske fra AMU", planned_start=datetime.date(2027, 3, 1),
    )  # fmt: skip
    services.result_save(evaluation=evaluation, by=owner, kind="criterion", criterion="leaders", score=4)
    services.evaluation_follow_up_save(
        evaluation=evaluation, by=owner, presented_to_leaders=datetime.date(2027, 3, 1),
        presented_to_representatives=datetime.date(2027, 3, 2), presented_to_employees=datetime.date(2027, 3, 3),
        follow_up_plan="Oppfølging i AMU",
    )  # fmt: skip
    return services.evaluation_complete(evaluation=evaluation, by=owner)
