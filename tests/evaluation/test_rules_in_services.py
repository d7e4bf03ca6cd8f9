"""Issue 24 point 6: rules the pages let slip, enforced by the services (and shown on the pages).

- the freeze period cannot be shortened once it has ended (nor made to end in the past);
- HR's sick-leave figures lock with the evaluation;
- a new HMS measure's source has no default that claims an evaluation before there is one;
- recording the move-in while the project is in phase 1 or 2 asks for a confirmation (a warning, not a refusal);
- the optional freeze item is not the overview's overdue "next deadline" after the freeze ended.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import Evaluation, Figure
from phases import services as phase_services
from phases.models import ChecklistItem, Phase
from projects.extensions import rollups_refresh
from tests.evaluation.test_freeze import complete
from tests.factories import coordinator


def _at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False)


# The freeze period ------------------------------------------------------------------------------------------


def test_the_freeze_cannot_be_shortened_after_it_ended(moved_in, owner):
    """Moved in 31 August 2026: the freeze ends 31 May 2027. On 1 June it is over and stays as it was."""
    with _at(datetime.date(2027, 6, 1)), pytest.raises(ValidationError) as exc:
        services.freeze_shorten(evaluation=moved_in, by=owner, ends=datetime.date(2027, 3, 1), reason="For sent")
    assert "Fredningsperioden sluttet 31. mai 2027" in " ".join(exc.value.messages)
    assert Evaluation.objects.get(pk=moved_in.pk).freeze_ends == datetime.date(2027, 5, 31)


def test_the_freeze_cannot_be_made_to_end_in_the_past(moved_in, owner, today):
    with pytest.raises(ValidationError) as exc:
        services.freeze_shorten(evaluation=moved_in, by=owner, ends=datetime.date(2027, 3, 1))
    assert "15. mars 2027" in str(exc.value.message_dict["ends"])
    evaluation = services.freeze_shorten(evaluation=moved_in, by=owner, ends=today, reason="Vi er klare")
    assert evaluation.freeze_ends == today


def test_the_owner_may_shorten_a_running_freeze_and_others_may_not(moved_in, project, owner, coord, today):
    for person in (project.manager, project.safety_rep, project.viewer, coord):
        with pytest.raises(PermissionDenied):
            services.freeze_shorten(evaluation=moved_in, by=person, ends=datetime.date(2027, 4, 1))
    assert services.freeze_shorten(evaluation=moved_in, by=owner, ends=datetime.date(2027, 4, 1)).freeze_ends == (
        datetime.date(2027, 4, 1)
    )


def test_the_freeze_page_says_it_is_over_and_keeps_the_date(client, moved_in, project, owner):
    with _at(datetime.date(2027, 6, 1)):
        client.force_login(owner)
        response = client.post(
            reverse("evaluation:freeze", args=[project.pk]), {"ends": "01.03.2027", "reason": "For sent"}
        )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Fredningsperioden sluttet 31. mai 2027" in body
    assert 'value="01.03.2027"' in body


# HR's sick-leave figures lock with the evaluation -------------------------------------------------------------


def test_hr_adds_sick_leave_until_the_evaluation_is_completed_then_the_service_refuses(moved_in, owner, hr):
    services.figure_add(
        evaluation=moved_in, by=hr, kind="sick_leave", label="Sykefravær", before=Decimal("6.8"), after=Decimal("5.9")
    )
    complete(moved_in, owner)
    with pytest.raises(ValidationError) as exc:
        services.figure_add(evaluation=moved_in, by=hr, kind="sick_leave", label="Sykefravær", before=7, after=6)
    assert "låst" in " ".join(exc.value.messages)
    assert Figure.objects.filter(evaluation=moved_in).count() == 1


def test_others_never_add_sick_leave_locked_or_not(moved_in, project, owner, coord):
    for person in (owner, project.manager, project.safety_rep, coord):
        with pytest.raises(PermissionDenied):
            services.figure_add(evaluation=moved_in, by=person, kind="sick_leave", label="F", before=7, after=6)


def test_hr_pages_say_the_figures_are_locked_and_a_post_is_refused(client, moved_in, project, owner, hr):
    complete(moved_in, owner)
    client.force_login(hr)
    page = client.get(reverse("evaluation:hr_project", args=[project.pk])).content.decode()
    assert reverse("evaluation:hr_sick_leave", args=[project.pk]) not in page
    assert "Låst sammen med evalueringen" in page
    form_page = client.get(reverse("evaluation:hr_sick_leave", args=[project.pk])).content.decode()
    assert "låst" in form_page and 'name="sick-before"' not in form_page
    response = client.post(
        reverse("evaluation:hr_sick_leave", args=[project.pk]),
        {"sick-kind": "sick_leave", "sick-label": "Sykefravær", "sick-before": "6,8", "sick-after": "5,9"},
    )
    assert response.status_code == 400
    assert 'value="6,8"' in response.content.decode()
    assert not Figure.objects.filter(evaluation=moved_in).exists()


# The source of a new HMS measure ----------------------------------------------------------------------------


def _source_options(client, project):
    page = client.get(reverse("evaluation:measure_create", args=[project.pk])).content.decode()
    select = page[page.index('name="source"') : page.index("</select>", page.index('name="source"'))]
    return select.split("<option")[1:]


def test_before_move_in_a_new_measure_claims_no_source(client, project, owner, today):
    client.force_login(owner)
    selected = [o for o in _source_options(client, project) if "selected" in o]
    assert len(selected) == 1 and 'value=""' in selected[0]


def test_the_service_has_no_default_source_either(project, owner, today):
    with pytest.raises(ValidationError) as exc:
        services.measure_create(project=project, by=owner, focus_area="Støy", goal="Ro", activity="Tepper")
    assert "source" in exc.value.message_dict


def test_a_measure_asked_for_from_a_change_request_keeps_that_source(client, project, owner, today):
    client.force_login(owner)
    page = client.get(reverse("evaluation:measure_create", args=[project.pk]) + "?source=change_request")
    assert 'value="change_request" selected' in page.content.decode()


def test_once_the_evaluation_window_is_open_evaluation_is_the_default(client, moved_in, project, owner):
    with _at(datetime.date(2027, 3, 15)):  # window opens 31 May 2027
        client.force_login(owner)
        page = client.get(reverse("evaluation:measure_create", args=[project.pk])).content.decode()
        assert 'value="evaluation" selected' not in page
    with _at(datetime.date(2027, 6, 1)):
        client.force_login(owner)
        page = client.get(reverse("evaluation:measure_create", args=[project.pk])).content.decode()
        assert 'value="evaluation" selected' in page


# Recording the move-in early asks for a confirmation --------------------------------------------------------


@pytest.fixture
def bergen_project(project, bergen_template):
    """The shared project (tests/support/case.py) with Bergen's process started."""
    phase_services.process_start(project=project, template=bergen_template, by=project.owner)
    return project


def test_a_move_in_in_phase_1_needs_a_confirmation_then_it_is_recorded(bergen_project):
    owner = bergen_project.owner
    with pytest.raises(ValidationError) as exc:
        services.movein_record(project=bergen_project, by=owner, move_in=datetime.date(2026, 8, 31))
    assert exc.value.error_dict["early_confirmed"][0].code == "early"
    assert "Mål og behov" in " ".join(exc.value.messages)
    assert not Evaluation.objects.filter(project=bergen_project).exists()
    evaluation = services.movein_record(
        project=bergen_project, by=owner, move_in=datetime.date(2026, 8, 31), early_confirmed=True
    )
    assert evaluation.move_in == datetime.date(2026, 8, 31)


def test_a_move_in_in_phase_3_is_recorded_without_a_question(bergen_project):
    Phase.objects.filter(project=bergen_project, order__lte=2).update(
        completed_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    )
    assert services.movein_early_phase(bergen_project) is None
    evaluation = services.movein_record(
        project=bergen_project, by=bergen_project.manager, move_in=datetime.date(2026, 8, 31)
    )
    assert evaluation.move_in == datetime.date(2026, 8, 31)


def test_a_process_without_a_move_in_item_never_asks(project, owner, today):
    assert services.movein_early_phase(project) is None


def test_the_confirmation_does_not_let_other_roles_record_it(bergen_project):
    for person in (bergen_project.safety_rep, coordinator()):
        with pytest.raises(PermissionDenied):
            services.movein_record(
                project=bergen_project, by=person, move_in=datetime.date(2026, 8, 31), early_confirmed=True
            )


def test_the_move_in_page_warns_and_asks_for_the_tick(client, bergen_project):
    client.force_login(bergen_project.owner)
    url = reverse("evaluation:move_in", args=[bergen_project.pk])
    page = client.get(url).content.decode()
    assert "Prosjektet er fortsatt i fasen «Mål og behov»" in page
    assert 'name="early_confirmed"' in page
    response = client.post(url, {"move_in": "31.08.2026"})
    assert response.status_code == 400
    assert 'value="31.08.2026"' in response.content.decode()
    assert not Evaluation.objects.filter(project=bergen_project).exists()
    response = client.post(url, {"move_in": "31.08.2026", "early_confirmed": "on"})
    assert response.status_code == 302
    assert Evaluation.objects.get(project=bergen_project).move_in == datetime.date(2026, 8, 31)


# The optional freeze item and the overview's next deadline --------------------------------------------------


def _overview_row(client, project):
    from dashboard.parts.phases import next_deadline

    client.force_login(coordinator())
    rows = [r for r in client.get(reverse("dashboard:overview")).context["page"].object_list if r.pk == project.pk]
    return next_deadline(rows[0])


def test_the_freeze_item_is_no_overdue_next_deadline_after_the_freeze(client, bergen_project):
    project, owner = bergen_project, bergen_project.owner
    services.movein_record(project=project, by=owner, move_in=datetime.date(2026, 8, 31), early_confirmed=True)
    # everything done except the freeze item and one mandatory item due later
    items = ChecklistItem.objects.filter(project=project)
    items.exclude(key__in=("freeze", "annual-hms-review")).update(status="done")
    items.filter(key="annual-hms-review").update(due_date=datetime.date(2027, 11, 30))
    rollups_refresh([project.pk])
    freeze = items.get(key="freeze")
    assert freeze.due_date == datetime.date(2027, 5, 31)  # the freeze's last day
    with _at(datetime.date(2027, 5, 1)):  # during the freeze it is what comes next
        assert _overview_row(client, project) == (datetime.date(2027, 5, 31), freeze.text_nb)
    with _at(datetime.date(2027, 8, 1)):  # months after: the mandatory item is next, not an overdue freeze item
        day, what = _overview_row(client, project)
    assert day == datetime.date(2027, 11, 30)
    assert what == items.get(key="annual-hms-review").text_nb


def test_shortening_the_freeze_moves_the_freeze_items_deadline(bergen_project):
    project, owner = bergen_project, bergen_project.owner
    evaluation = services.movein_record(
        project=project, by=owner, move_in=datetime.date(2026, 8, 31), early_confirmed=True
    )
    services.freeze_shorten(evaluation=evaluation, by=owner, ends=datetime.date(2027, 4, 1), reason="Klar")
    assert ChecklistItem.objects.get(project=project, key="freeze").due_date == datetime.date(2027, 4, 1)
