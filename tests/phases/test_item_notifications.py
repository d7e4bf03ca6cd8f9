"""Issue 24 point 2: a person is told when made responsible for a checklist item (in the app at once, by e-mail
with the next digest), and a reminder is resolved when its item is done: it stops saying overdue and no e-mail
about it goes out."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from phases import services
from projects.models import Notification, Role
from projects.services import email_preferences_set, reminders_scan
from tests.factories import member
from tests.phases.conftest import item

OSLO = ZoneInfo("Europe/Oslo")


def at(day, hour=8, minute=0):
    return time_machine.travel(datetime.datetime(2027, 1, day, hour, minute, tzinfo=OSLO), tick=False)


@pytest.fixture
def worker(project):
    return member(project, Role.MEMBER, full_name="Mona Medlem", email="mona@example.no")


def _give(project, owner, worker, due=datetime.date(2027, 1, 14)):
    return services.item_plan(item=item(project, "vision"), by=owner, assignee=worker, due_date=due)


def test_the_person_made_responsible_is_notified_at_once(project, owner, worker):
    with at(5):
        _give(project, owner, worker)
    n = Notification.objects.get(recipient=worker)
    assert n.kind == "item_assigned"
    assert n.text["nb"] == f"Du er ansvarlig for «Skriv visjon» i {project.name}, frist 14. januar 2027."
    assert "You are responsible for “Write the vision”" in n.text["en"]
    assert n.url == reverse("phases:item", args=[project.pk, item(project, "vision").pk])
    assert n.read_at is None and n.email_status == Notification.EmailStatus.PENDING


def test_the_worker_sees_it_under_notifications_and_in_the_bell(client, project, owner, worker):
    with at(5):
        _give(project, owner, worker)
        client.force_login(worker)
        page = client.get(reverse("notifications")).content.decode()
    assert "Du er ansvarlig for «Skriv visjon»" in page
    assert "1 ulest" in page


def test_the_notification_goes_by_e_mail_with_the_next_digest(
    project, owner, worker, django_capture_on_commit_callbacks
):
    with at(5, 6):
        _give(project, owner, worker)
    with at(5, 8), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()
    mine = [m for m in mail.outbox if m.to == [worker.email]]
    assert len(mine) == 1 and "Du er ansvarlig for «Skriv visjon»" in mine[0].body


def test_no_e_mail_when_the_person_turned_the_kind_off(project, owner, worker, django_capture_on_commit_callbacks):
    email_preferences_set(user=worker, enabled_kinds=["item_overdue"])
    with at(5, 6):
        _give(project, owner, worker)
    with at(5, 8), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()
    assert Notification.objects.get(recipient=worker).email_status == Notification.EmailStatus.OFF
    assert [m for m in mail.outbox if m.to == [worker.email]] == []


def test_nobody_is_notified_of_what_they_did_themselves_or_twice(project, owner, worker):
    with at(5):
        services.item_plan(item=item(project, "vision"), by=owner, assignee=owner, due_date=None)
    assert not Notification.objects.exists()
    with at(5):
        _give(project, owner, worker)
        _give(project, owner, worker, due=datetime.date(2027, 1, 20))  # only the deadline moved
    assert Notification.objects.filter(recipient=worker).count() == 1
    with at(6):  # given to somebody else and back: told again
        services.item_plan(item=item(project, "vision"), by=owner, assignee=None, due_date=None)
        _give(project, owner, worker)
    assert Notification.objects.filter(recipient=worker).count() == 2


def test_who_may_not_plan_the_item_tells_nobody(project, owner, worker):
    viewer = member(project, Role.VIEWER)
    safety_rep = member(project, Role.SAFETY_REP)
    for person in (viewer, safety_rep, worker):
        with pytest.raises(PermissionDenied):
            _give(project, person, worker)
    assert not Notification.objects.exists()


# A reminder is resolved when its item is done ----------------------------------------------------------------


def test_an_overdue_reminder_stops_saying_overdue_once_the_item_is_done(
    client, project, owner, worker, django_capture_on_commit_callbacks
):
    with at(5):
        _give(project, owner, worker)
    with at(15), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()
    overdue = Notification.objects.get(kind="item_overdue", recipient=worker)
    with at(16):
        client.force_login(worker)
        assert "Forfalt" in client.get(reverse("notifications")).content.decode()
        services.item_set_done(item=item(project, "vision"), by=worker, done=True)
        page = client.get(reverse("notifications")).content.decode()
    overdue.refresh_from_db()
    assert overdue.resolved_at is not None and overdue.read_at is not None
    assert "Forfalt" not in page and "Utført" in page
    assert Notification.objects.filter(recipient=worker, resolved_at__isnull=True).count() == 0


def test_a_reminder_waiting_for_the_digest_is_not_e_mailed_after_the_item_is_done(
    project, owner, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_DIGEST_HOUR = 7
    with at(12, 6), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()  # due soon, recorded before the digest hour: waits for the digest
    n = Notification.objects.get(kind="item_due_soon")
    assert n.email_status == Notification.EmailStatus.PENDING
    with at(12, 6, 30):
        services.item_set_not_applicable(item=item(project, "vision"), by=owner, reason="Visjonen finnes alt.")
    with at(12, 7), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()
    assert mail.outbox == []
    n.refresh_from_db()
    assert n.resolved_at is not None and n.email_status == Notification.EmailStatus.OFF


def test_reminders_of_other_items_stay(project, owner, django_capture_on_commit_callbacks):
    with at(15), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()
    others = Notification.objects.exclude(key__contains=f":item:{item(project, 'vision').pk}:")
    before = others.count()
    with at(15):
        services.item_set_done(item=item(project, "vision"), by=owner, done=True)
    assert others.filter(resolved_at__isnull=True).count() == before
