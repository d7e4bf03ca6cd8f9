"""Evaluation reminders: window opening, closing within a month (urgent, e-mailed at once), overdue
(urgent), freeze ending within two weeks, HMS measure deadlines. Each fires at its moment and not before."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from evaluation import services
from projects.models import Notification, Role
from projects.services import reminders_scan
from tests.factories import ProjectFactory, member

OSLO = ZoneInfo("Europe/Oslo")


def at(day, hour=9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO), tick=False)


@pytest.fixture
def project(db):
    project = ProjectFactory(start_date=datetime.date(2025, 6, 2))
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    project.manager = member(project, Role.MANAGER)
    project.viewer = member(project, Role.VIEWER)
    with at(datetime.date(2026, 1, 20)):
        project.evaluation_record = services.movein_record(
            project=project, by=project.owner, move_in=datetime.date(2026, 1, 15)
        )
    return project


def scan_on(day, capture, hour=9):
    with at(day, hour), capture(execute=True):
        reminders_scan()


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_dates_follow_from_move_in(project):
    e = project.evaluation_record
    assert (e.window_opens, e.window_closing, e.window_closes, e.freeze_ends) == (
        datetime.date(2026, 10, 15),
        datetime.date(2027, 3, 15),
        datetime.date(2027, 4, 15),
        datetime.date(2026, 10, 15),
    )


def test_freeze_ending_fires_two_weeks_ahead_and_not_before(project, django_capture_on_commit_callbacks):
    scan_on(datetime.date(2026, 9, 30), django_capture_on_commit_callbacks)
    assert kinds(project.owner) == []
    scan_on(datetime.date(2026, 10, 1), django_capture_on_commit_callbacks)
    assert kinds(project.owner) == ["freeze_ending"]
    assert kinds(project.manager) == ["freeze_ending"] and kinds(project.viewer) == []


def test_window_opening_fires_on_the_day_it_opens(project, django_capture_on_commit_callbacks):
    scan_on(datetime.date(2026, 10, 14), django_capture_on_commit_callbacks)
    assert "evaluation_window_opens" not in kinds(project.owner)
    scan_on(datetime.date(2026, 10, 15), django_capture_on_commit_callbacks)
    scan_on(datetime.date(2026, 11, 1), django_capture_on_commit_callbacks)
    assert kinds(project.owner).count("evaluation_window_opens") == 1


def test_window_closing_is_urgent_and_goes_at_once(project, django_capture_on_commit_callbacks):
    scan_on(datetime.date(2027, 3, 14), django_capture_on_commit_callbacks, hour=1)
    assert "evaluation_window_closing" not in kinds(project.owner)
    mail.outbox.clear()
    scan_on(datetime.date(2027, 3, 15), django_capture_on_commit_callbacks, hour=1)  # before the digest hour
    assert "evaluation_window_closing" in kinds(project.owner)
    urgent = [m for m in mail.outbox if "lukkes" in m.subject]
    assert sorted(m.to[0] for m in urgent) == sorted([project.owner.email, project.manager.email])


def test_evaluation_overdue_the_day_after_the_window_closes(project, django_capture_on_commit_callbacks):
    scan_on(datetime.date(2027, 4, 15), django_capture_on_commit_callbacks)
    assert "evaluation_overdue" not in kinds(project.owner)
    scan_on(datetime.date(2027, 4, 16), django_capture_on_commit_callbacks)
    scan_on(datetime.date(2027, 4, 17), django_capture_on_commit_callbacks)
    assert kinds(project.owner).count("evaluation_overdue") == 1


def test_a_completed_evaluation_reminds_nobody(project, django_capture_on_commit_callbacks):
    project.evaluation_record.completed_at = datetime.datetime(2027, 1, 1, tzinfo=OSLO)
    project.evaluation_record.save()
    scan_on(datetime.date(2027, 4, 16), django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind__startswith="evaluation").exists()


def test_measure_deadlines(project, django_capture_on_commit_callbacks):
    with at(datetime.date(2026, 11, 1)):
        measure = services.measure_create(
            project=project, by=project.owner, focus_area="Støy", goal="Ro", activity="Skilt", responsible="Kari",
            source="evaluation", due_date=datetime.date(2026, 11, 20), sensitive=True,
        )  # fmt: skip
    scan_on(datetime.date(2026, 11, 16), django_capture_on_commit_callbacks)
    assert "measure_due" not in kinds(project.owner)
    scan_on(datetime.date(2026, 11, 17), django_capture_on_commit_callbacks)
    assert "measure_due" in kinds(project.owner) and kinds(project.viewer) == []
    scan_on(datetime.date(2026, 11, 21), django_capture_on_commit_callbacks)
    assert "measure_overdue" in kinds(project.owner)
    # Sensitive: named by its number only, as the text goes out by e-mail too (the owner reads it in the app).
    text = Notification.objects.filter(kind="measure_overdue").first().text["nb"]
    assert "Støy" not in text and "Sensitivt HMS-tiltak nr. 1" in text
    assert measure.pk
