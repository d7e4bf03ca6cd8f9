"""Checklist deadlines remind the responsible person once: three days ahead, and the day after if not done."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from phases import services
from projects import reminders
from projects.models import Notification, Role
from projects.services import email_preferences_set, reminders_scan
from tests.factories import member
from tests.phases.conftest import item

OSLO = ZoneInfo("Europe/Oslo")


def at(day, hour=8, minute=0):
    return time_machine.travel(datetime.datetime(2027, 1, day, hour, minute, tzinfo=OSLO), tick=False)


def scan():
    return reminders_scan()


def test_due_soon_fires_three_days_ahead_and_not_before(project, owner, django_capture_on_commit_callbacks):
    vision = item(project, "vision")  # due 14 January 2027, nobody responsible: the owner is reminded
    with at(10), django_capture_on_commit_callbacks(execute=True):
        scan()
    assert not Notification.objects.exists()
    assert mail.outbox == []
    with at(11), django_capture_on_commit_callbacks(execute=True):
        scan()
    n = Notification.objects.get()
    assert (n.kind, n.recipient, n.due_date) == ("item_due_soon", owner, datetime.date(2027, 1, 14))
    assert "Skriv visjon" in n.text["nb"] and "Write the vision" in n.text["en"]
    assert n.url == f"/projects/{project.pk}/items/{vision.pk}/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [owner.email]
    assert "Skriv visjon" in mail.outbox[0].body


def test_overdue_fires_the_day_after_the_deadline_once(project, owner, django_capture_on_commit_callbacks):
    with at(14), django_capture_on_commit_callbacks(execute=True):
        scan()
    assert list(Notification.objects.values_list("kind", flat=True)) == ["item_due_soon"]
    for day in (15, 15, 16, 20):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            scan()
    assert sorted(Notification.objects.values_list("kind", flat=True)) == ["item_due_soon", "item_overdue"]
    overdue = Notification.objects.get(kind="item_overdue")
    assert "ikke gjort" in overdue.text["nb"]
    assert len(mail.outbox) == 2  # the digest of the 14th, and the one of the 15th


def test_the_scan_builds_no_text_for_a_known_key(project, owner, monkeypatch, django_capture_on_commit_callbacks):
    built = []
    real = reminders.in_languages
    monkeypatch.setattr(reminders, "in_languages", lambda fn: built.append(fn) or real(fn))
    with at(11), django_capture_on_commit_callbacks(execute=True):
        scan()
    assert len(built) == 1 and Notification.objects.count() == 1  # the vision item, due on the 14th
    for day in (11, 12, 13):  # the same key (item, owner, deadline) every time: nothing new to word
        with at(day, hour=9), django_capture_on_commit_callbacks(execute=True):
            result = scan()
        assert (result.due, result.new) == (1, 0)
    assert len(built) == 1
    with at(15), django_capture_on_commit_callbacks(execute=True):
        scan()  # now overdue: a new key, worded once
    assert len(built) == 2 and Notification.objects.count() == 2


def test_assigned_person_is_reminded_instead_of_the_owner(project, owner, django_capture_on_commit_callbacks):
    worker = member(project, Role.MEMBER, full_name="Mona Medlem")
    services.item_plan(item=item(project, "vision"), by=owner, assignee=worker, due_date=datetime.date(2027, 1, 14))
    with at(12), django_capture_on_commit_callbacks(execute=True):
        scan()
    reminders_of_deadline = Notification.objects.filter(kind="item_due_soon")  # (told of the item at once too)
    assert list(reminders_of_deadline.values_list("recipient", flat=True)) == [worker.pk]


def test_a_done_item_reminds_nobody(project, owner, django_capture_on_commit_callbacks):
    services.item_set_done(item=item(project, "vision"), by=owner, done=True)
    with at(12), django_capture_on_commit_callbacks(execute=True):
        scan()
    assert not Notification.objects.exists()


def test_a_moved_deadline_reminds_again(project, owner, django_capture_on_commit_callbacks):
    with at(12), django_capture_on_commit_callbacks(execute=True):
        scan()
    services.item_plan(item=item(project, "vision"), by=owner, assignee=None, due_date=datetime.date(2027, 1, 20))
    with at(18), django_capture_on_commit_callbacks(execute=True):
        scan()
    assert Notification.objects.filter(kind="item_due_soon").count() == 2


def test_scan_twice_sends_each_email_once(project, owner, django_capture_on_commit_callbacks):
    for minute in (0, 0, 15, 30):
        with at(12, 8, minute), django_capture_on_commit_callbacks(execute=True):
            scan()
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_person_with_email_off_gets_only_in_app(project, owner, django_capture_on_commit_callbacks):
    email_preferences_set(user=owner, enabled_kinds=["item_overdue", "signoff_waiting"])
    with at(12), django_capture_on_commit_callbacks(execute=True):
        scan()
    n = Notification.objects.get()
    assert n.email_status == Notification.EmailStatus.OFF
    assert mail.outbox == []


def test_digest_waits_for_the_morning_hour(project, owner, settings, django_capture_on_commit_callbacks):
    settings.REMINDER_DIGEST_HOUR = 7
    with at(12, 6, 45), django_capture_on_commit_callbacks(execute=True):
        scan()
    assert Notification.objects.count() == 1 and mail.outbox == []
    with at(12, 7, 0), django_capture_on_commit_callbacks(execute=True):
        scan()
    assert len(mail.outbox) == 1


def test_digest_is_in_the_persons_language_with_html(project, owner, django_capture_on_commit_callbacks):
    owner.preferred_language = "en"
    owner.save()
    with at(12), django_capture_on_commit_callbacks(execute=True):
        scan()
    message = mail.outbox[0]
    assert "Write the vision" in message.body and "reminder" in message.subject
    html = message.alternatives[0][0]
    assert "Write the vision" in html and f"/projects/{project.pk}/items/" in html


@pytest.mark.parametrize("n", [100, 10_000])
def test_scan_over_many_due_items_uses_a_bounded_number_of_queries(db, n, django_assert_max_num_queries):
    from benchmarks.reminders import make_due_items

    make_due_items(n=n, today=datetime.date(2027, 1, 11))
    # PostgreSQL (CI): the same bound at both sizes. SQLite: Django splits bulk inserts at 999 parameters.
    limit = 30 if connection.vendor == "postgresql" else 30 + n // 80  # 83 rows per INSERT
    with at(11), django_assert_max_num_queries(limit):
        result = scan()
    assert result.new == n and len(result.emails) == 50
    with at(11, 9), django_assert_max_num_queries(30 if connection.vendor == "postgresql" else 30 + n // 1000):
        assert scan().new == 0
