"""The reminder scan: once per key, one digest a day, urgent kinds at once, retries that never duplicate,
Europe/Oslo across the DST changes, and two scans at once on PostgreSQL."""

import datetime
import os
import threading
from smtplib import SMTPServerDisconnected
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from projects import extensions, outbox, reminders
from projects.models import Job, Notification, ReminderEmail
from projects.services import reminder_email_send, reminders_scan
from tests.factories import ProjectFactory, UserFactory

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def source(db):
    """A registered source reporting what the test puts in `due` (a list of (user, day, occasion))."""
    state = {"due": [], "project": ProjectFactory()}

    def fn(today):
        for user, day, occasion in state["due"]:
            if day == today:
                yield reminders.Due(
                    obj="test:1",
                    recipient_id=user.pk,
                    occasion=occasion,
                    text=reminders.in_languages(lambda: "Frist i morgen"),
                    url="/projects/",
                    project_id=state["project"].pk,
                    due_date=day,
                )

    # Only the test's kinds: the apps' sources have no data here anyway.
    with extensions.registered(
        "reminder_source",
        reminders.Kind("test_kind", "Test", fn),
        reminders.Kind("test_urgent", "Urgent test", lambda today: [], urgent=True),
        alone=True,
    ):
        yield state


def run_scan(when, capture):
    with time_machine.travel(when, tick=False), capture(execute=True):
        return reminders_scan()


def test_urgent_kind_is_emailed_at_once_before_the_digest_hour(source, django_capture_on_commit_callbacks):
    user = UserFactory()
    day = datetime.date(2027, 2, 1)

    def urgent(today):
        if today == day:
            yield reminders.Due("window:1", user.pk, "closing", reminders.in_languages(lambda: "Vinduet lukkes"), "/")

    extensions.register("reminder_source", reminders.Kind("test_urgent", "Urgent test", urgent, urgent=True))
    run_scan(datetime.datetime(2027, 2, 1, 1, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == ["Prosessguiden: Vinduet lukkes"]
    run_scan(datetime.datetime(2027, 2, 1, 9, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # not again in the digest


@pytest.mark.parametrize(
    "night",
    [
        datetime.date(2027, 3, 28),  # clocks go forward at 02:00 (02:00–03:00 does not exist)
        datetime.date(2027, 10, 31),  # clocks go back at 03:00 (02:00–03:00 happens twice)
    ],
)
def test_a_reminder_due_on_the_night_clocks_change_fires_once(
    source, night, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_DIGEST_HOUR = 2  # the digest hour itself falls in the odd hour
    user = UserFactory()
    source["due"] = [(user, night, "frist")]
    start = datetime.datetime.combine(night, datetime.time(0), tzinfo=OSLO).astimezone(datetime.UTC)
    moment = start - datetime.timedelta(hours=1)
    local_hours = []
    while moment < start + datetime.timedelta(hours=26):  # every 15 minutes over the whole night and day
        run_scan(moment, django_capture_on_commit_callbacks)
        local = moment.astimezone(OSLO)
        if local.date() == night:
            local_hours.append(local.hour)
        moment += datetime.timedelta(minutes=15)
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1
    digest = ReminderEmail.objects.get()
    assert digest.day == night
    if night.month == 10:
        assert local_hours.count(2) == 8  # the repeated hour was scanned twice
    else:
        assert 2 not in local_hours  # the skipped hour was never there


def test_a_failed_email_is_retried_and_never_duplicated(source, settings, django_capture_on_commit_callbacks):
    user = UserFactory()
    source["due"] = [(user, datetime.date(2027, 2, 2), "x")]
    settings.EMAIL_BACKEND = "tests.projects.test_reminder_scan.FailingOnceBackend"
    FailingOnceBackend.failures = 1
    run_scan(datetime.datetime(2027, 2, 2, 8, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
    email = ReminderEmail.objects.get()
    job = Job.objects.get(key=f"reminder-email:{email.pk}")
    assert email.sent_at is None and mail.outbox == []
    assert job.state == Job.State.PENDING and "connection dropped" in job.last_error  # to be tried again
    with time_machine.travel(datetime.datetime(2027, 2, 2, 8, 1, tzinfo=OSLO), tick=False):
        outbox.sweep()  # the pause has passed: the retry
    assert len(mail.outbox) == 1
    assert reminder_email_send(email_id=email.pk) is False  # a late duplicate sends nothing
    run_scan(datetime.datetime(2027, 2, 2, 8, 15, tzinfo=OSLO), django_capture_on_commit_callbacks)
    with time_machine.travel(datetime.datetime(2027, 2, 2, 9, 0, tzinfo=OSLO), tick=False):
        outbox.sweep()
    assert len(mail.outbox) == 1


class FailingOnceBackend:
    """An e-mail backend whose first `failures` sends fail like a dropped SMTP connection."""

    failures = 0

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.inner = EmailBackend(*args, **kwargs)

    def send_messages(self, messages):
        if FailingOnceBackend.failures:
            FailingOnceBackend.failures -= 1
            raise SMTPServerDisconnected("connection dropped")
        return self.inner.send_messages(messages)


def test_an_email_is_tried_eight_times_with_growing_pauses(settings):
    assert outbox.kinds()["reminders.email"].max_attempts == 8
    assert [outbox._backoff(n).total_seconds() for n in (1, 2, 3, 8)] == [30, 60, 120, 3600]


def test_the_beat_schedule_runs_the_scan_every_fifteen_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-scan"]
    assert entry["task"] == "projects.tasks.reminders_scan"
    assert entry["schedule"] == datetime.timedelta(minutes=15)


def test_one_digest_a_day_gathers_what_came_after_it_into_the_next(source, django_capture_on_commit_callbacks):
    user = UserFactory()
    source["due"] = [(user, datetime.date(2027, 2, 3), "a")]
    run_scan(datetime.datetime(2027, 2, 3, 8, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
    source["due"] = [(user, datetime.date(2027, 2, 3), "b")]  # something new later the same day
    run_scan(datetime.datetime(2027, 2, 3, 12, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and Notification.objects.count() == 2
    run_scan(datetime.datetime(2027, 2, 4, 8, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert ReminderEmail.objects.filter(recipient=user).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_scans_in_parallel_send_each_once():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("races are tested against PostgreSQL (DATABASE_URL)")
    users = [UserFactory() for _ in range(5)]
    project = ProjectFactory()

    def fn(today):
        for n in range(200):
            for user in users:
                yield reminders.Due(f"par:{n}", user.pk, "x", {"nb": f"Punkt {n}", "en": f"Item {n}"}, "/", project.pk)

    barrier = threading.Barrier(3)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=30)
            with time_machine.travel(datetime.datetime(2027, 2, 5, 8, 0, tzinfo=OSLO), tick=False):
                reminders_scan()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    with extensions.registered("reminder_source", reminders.Kind("parallel", "Parallel", fn), alone=True):
        threads = [threading.Thread(target=worker) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert errors == []
    assert Notification.objects.count() == 1000
    assert ReminderEmail.objects.count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
