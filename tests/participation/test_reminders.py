"""A sign-off waiting more than five working days reminds the representatives who have not signed."""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from participation import services
from participation.models import SignOff
from projects.models import Notification
from projects.reminders import working_days_between
from projects.services import reminders_scan
from tests.participation.conftest import revise

OSLO = ZoneInfo("Europe/Oslo")


def moment(day, hour=9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO), tick=False)


def test_easter_days_are_not_working_days():
    # Prepared Tuesday 31 March 2026. Maundy Thursday, Good Friday and Easter Monday do not count.
    tuesday = datetime.date(2026, 3, 31)
    assert working_days_between(tuesday, datetime.date(2026, 4, 10)) == 5
    assert working_days_between(tuesday, datetime.date(2026, 4, 13)) == 6
    assert working_days_between(tuesday, datetime.date(2026, 4, 8)) == 3  # 1, 7 and 8 April


def _prepared_on(project, day):
    """The steps get their prepared version on `day`."""
    with moment(day):
        for step in project.participation_steps.all():
            revise(step, project.owner, f"Ny versjon {day}.")


def test_signoff_waiting_over_easter_counts_working_days(project, step, django_capture_on_commit_callbacks):
    _prepared_on(project, datetime.date(2026, 3, 31))
    # Friday 10 April: five working days have passed (1, 7, 8, 9, 10 April), not more. Nothing yet.
    with moment(datetime.date(2026, 4, 10)), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()
    assert not Notification.objects.filter(kind="signoff_waiting").exists()
    # Monday 13 April is the sixth working day.
    with moment(datetime.date(2026, 4, 13)), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()
    reminded = set(
        Notification.objects.filter(kind="signoff_waiting", url__contains=f"/steps/{step.pk}/").values_list(
            "recipient", flat=True
        )
    )
    expected = {project.safety_rep.pk, project.union_rep.pk, project.oh.pk} & {
        m.user_id for m in project.memberships.filter(role__in=step.required_roles)
    }
    assert reminded == expected and reminded
    assert "31. mars 2026" in Notification.objects.filter(kind="signoff_waiting").first().text["nb"]


def test_a_signed_role_is_not_reminded_and_a_new_version_reminds_again(
    project, step, django_capture_on_commit_callbacks
):
    _prepared_on(project, datetime.date(2026, 3, 31))
    signer = project.safety_rep
    with moment(datetime.date(2026, 4, 1)):
        services.signoff_record(step=step, by=signer, decision=SignOff.Decision.APPROVED)
    with moment(datetime.date(2026, 4, 14)), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()
        reminders_scan()
    assert not Notification.objects.filter(
        kind="signoff_waiting", recipient=signer, url__contains=f"/steps/{step.pk}/"
    ).exists()
    others = Notification.objects.filter(kind="signoff_waiting", url__contains=f"/steps/{step.pk}/").count()
    _prepared_on(project, datetime.date(2026, 4, 15))  # a new version: every role must sign again
    with moment(datetime.date(2026, 4, 30)), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()
    again = Notification.objects.filter(kind="signoff_waiting", url__contains=f"/steps/{step.pk}/")
    assert again.filter(recipient=signer).count() == 1
    assert again.count() == others * 2 + 1
