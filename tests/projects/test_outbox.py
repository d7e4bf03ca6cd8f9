"""The outbox: deferred work is a row written with the change, the broker only wakes a worker, a broker that
is down never fails a request, a dead worker's job is claimed again after its lease, retries never repeat
what was done. (The same with a real worker and a real Redis that is stopped: tests/faults.)"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from projects import documents, extensions, outbox, reminders
from projects.models import GeneratedDocument, Job, Membership, ReminderEmail, Role, User
from projects.services import document_request, document_retry, reminders_scan
from projects.tasks import job_run
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

RUNS = []


@pytest.fixture(autouse=True)
def test_kinds():
    RUNS.clear()

    def work(job):
        RUNS.append(job.payload["n"])
        if job.payload.get("fail"):
            raise RuntimeError("no luck")
        if job.payload.get("give_up"):
            raise outbox.GiveUp("hopeless")

    failed = []
    handler = outbox.Kind("test.work", work, max_attempts=3, on_failure=lambda job: failed.append(job.key))
    document = documents.Kind("test-report", label="the test report", render=lambda d: b"%PDF-1.7 x", filename="t")
    with extensions.registered("outbox_handler", handler), extensions.registered("document_kind", document):
        yield failed


@pytest.fixture
def broker_down(monkeypatch):
    """Every wake-up fails as kombu fails when Redis refuses the connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(job_run, "apply_async", refuse)
    return attempts


def test_a_job_is_stored_with_the_change_and_run_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = outbox.enqueue("test.work", key="w:1", payload={"n": 1})
    assert Job.objects.get().state == Job.State.PENDING and RUNS == []
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert RUNS == [1] and job.state == Job.State.DONE and job.attempts == 1 and job.woken_at is not None


def test_a_rolled_back_change_leaves_no_job_and_wakes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                outbox.enqueue("test.work", key="w:1", payload={"n": 1})
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
    assert not Job.objects.exists() and RUNS == []


def test_the_same_key_is_one_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.enqueue("test.work", key="w:1", payload={"n": 1})
        second = outbox.enqueue("test.work", key="w:1", payload={"n": 2})
    assert first.pk == second.pk and RUNS == [1] and Job.objects.count() == 1


def test_a_job_run_twice_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = outbox.enqueue("test.work", key="w:1", payload={"n": 1})
    assert outbox.run(job.pk) == "skipped" and RUNS == [1]


def test_a_broker_that_is_down_is_logged_and_the_sweep_wakes_the_job_later(
    broker_down, caplog, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        job = outbox.enqueue("test.work", key="w:1", payload={"n": 1})
    job.refresh_from_db()
    assert job.state == Job.State.PENDING and job.woken_at is None and RUNS == []
    assert "did not take the wake-up" in caplog.text
    assert outbox.sweep() == 0  # still down: nothing sent, nothing marked
    monkeypatch.undo()  # the broker is back
    assert outbox.sweep() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE and RUNS == [1]
    assert outbox.sweep() == 0 and RUNS == [1]


def test_a_job_woken_a_moment_ago_is_not_woken_again_but_one_woken_long_ago_is(monkeypatch):
    sent = []
    monkeypatch.setattr(job_run, "apply_async", lambda args, **kw: sent.append(args[0]))
    now = timezone.now()
    recent = Job.objects.create(kind="test.work", key="w:1", payload={"n": 1}, woken_at=now, run_after=now)
    old = Job.objects.create(kind="test.work", key="w:2", payload={"n": 2}, woken_at=now - datetime.timedelta(hours=1))
    assert outbox.sweep() == 1 and sent == [old.pk]
    assert recent.pk not in sent


def test_a_dead_workers_job_is_claimed_again_once_its_lease_expired():
    """What `kill -9` of a worker mid-run leaves: running, attempt 1, a lease that nobody extends."""
    start = timezone.now()
    job = Job.objects.create(
        kind="test.work",
        key="w:1",
        payload={"n": 1},
        state=Job.State.RUNNING,
        attempts=1,
        lease_until=start + datetime.timedelta(seconds=60),
    )
    assert outbox.run(job.pk) == "skipped" and RUNS == []  # its lease still holds
    with time_machine.travel(start + datetime.timedelta(seconds=61)):
        assert outbox.run(job.pk) == "done"
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 2 and RUNS == [1]


def test_a_job_that_kills_its_worker_every_time_fails_after_its_attempts(test_kinds, monkeypatch):
    monkeypatch.setattr(job_run, "apply_async", lambda *a, **kw: None)
    past = timezone.now() - datetime.timedelta(seconds=1)
    job = Job.objects.create(
        kind="test.work", key="w:1", payload={"n": 1}, state=Job.State.RUNNING, attempts=3, lease_until=past
    )
    assert outbox.run(job.pk) == "skipped"
    outbox.sweep()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "lease expired" in job.last_error and test_kinds == ["w:1"]


def test_an_error_is_retried_after_a_pause_and_gives_up_after_max_attempts(test_kinds, settings):
    start = timezone.now()
    job = Job.objects.create(kind="test.work", key="w:1", payload={"n": 1, "fail": True})
    assert outbox.run(job.pk) == "retry"
    job.refresh_from_db()
    assert job.state == Job.State.PENDING and "no luck" in job.last_error
    assert job.run_after >= start + datetime.timedelta(seconds=settings.OUTBOX_RETRY_SECONDS)
    assert outbox.run(job.pk) == "skipped"  # not due yet
    with time_machine.travel(start + datetime.timedelta(seconds=31)):
        assert outbox.run(job.pk) == "retry"  # second attempt, next pause 60 s
    with time_machine.travel(start + datetime.timedelta(seconds=200)):
        assert outbox.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.attempts == 3 and RUNS == [1, 1, 1] and test_kinds == ["w:1"]


def test_give_up_fails_at_once(test_kinds):
    job = Job.objects.create(kind="test.work", key="w:1", payload={"n": 1, "give_up": True})
    assert outbox.run(job.pk) == "failed" and test_kinds == ["w:1"]


def test_a_worker_that_lost_its_lease_cannot_mark_the_job(monkeypatch):
    """Claimed again by another worker meanwhile: the first one's "done" changes nothing."""
    job = Job.objects.create(kind="test.work", key="w:1", payload={"n": 1})

    def work(j):
        Job.objects.filter(pk=j.pk).update(attempts=5)  # another worker's claim

    with extensions.registered("outbox_handler", outbox.Kind("test.work", work)):
        outbox.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and job.attempts == 5


def test_an_unknown_kind_is_refused_when_enqueued():
    with pytest.raises(LookupError):
        outbox.enqueue("test.nothing", key="x")


def test_celery_acknowledges_late_and_gives_back_what_a_dead_worker_had(settings):
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert job_run.acks_late and job_run.reject_on_worker_lost
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert entry["task"] == "projects.tasks.jobs_sweep"
    assert entry["schedule"] == datetime.timedelta(seconds=30)


# Documents ------------------------------------------------------------------------------------------------


@pytest.fixture
def owner_project():
    project = ProjectFactory()
    owner = MembershipFactory(project=project, role="owner").user
    return project, owner


def test_a_pdf_asked_for_with_the_broker_down_is_saved_and_made_when_it_is_back(
    client, owner_project, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    project, owner = owner_project
    client.force_login(owner)
    url = reverse("projects:document_request", args=[project.pk, "test-report"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"next": reverse("projects:detail", args=[project.pk])}, follow=True)
    assert response.status_code == 200 and broker_down
    assert "genereres" in response.content.decode()
    doc = GeneratedDocument.objects.get()
    assert doc.status == GeneratedDocument.Status.PENDING
    monkeypatch.undo()
    outbox.sweep()
    doc.refresh_from_db()
    assert doc.status == GeneratedDocument.Status.DONE


def test_a_late_document_says_so_and_the_owner_tries_again(client, owner_project, broker_down, monkeypatch):
    project, owner = owner_project
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=5)):
        doc = document_request(project=project, kind="test-report", by=owner)
    client.force_login(owner)
    page = client.get(reverse("projects:documents", args=[project.pk, "test-report"])).content.decode()
    assert "tar lengre tid enn vanlig" in page and "Prøv igjen" in page
    assert 'hx-trigger="every 10s"' in page
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("projects:document_retry", args=[project.pk, doc.pk]), headers={"HX-Request": "true"}
        )
    assert response.status_code == 200 and "Versjon 1" in response.content.decode()
    doc.refresh_from_db()
    assert doc.status == GeneratedDocument.Status.DONE


def test_a_document_on_time_offers_no_retry(client, owner_project, broker_down):
    project, owner = owner_project
    document_request(project=project, kind="test-report", by=owner)
    client.force_login(owner)
    page = client.get(reverse("projects:documents", args=[project.pk, "test-report"])).content.decode()
    assert "genereres" in page and "Prøv igjen" not in page


def test_retry_checks_the_permission_and_a_failed_version_is_made_again(client, owner_project, monkeypatch):
    project, owner = owner_project
    viewer = MembershipFactory(project=project, role=Role.VIEWER).user
    calls = []

    def render(document):
        calls.append(document.pk)
        if len(calls) == 1:
            raise RuntimeError("template error")
        return b"%PDF-1.7 x"

    kind = documents.Kind("test-report", label="the test report", render=render, filename="t")
    with extensions.registered("document_kind", kind):
        with TestCase.captureOnCommitCallbacks(execute=True):
            doc = document_request(project=project, kind="test-report", by=owner)
        doc.refresh_from_db()
        assert doc.status == GeneratedDocument.Status.FAILED and "template error" in doc.error
        assert Job.objects.get().state == Job.State.FAILED  # a template error is not retried by itself
        with pytest.raises(PermissionDenied):
            document_retry(document=doc, by=viewer)
        client.force_login(viewer)
        assert client.post(reverse("projects:document_retry", args=[project.pk, doc.pk])).status_code == 403
        client.force_login(owner)
        page = client.get(reverse("projects:documents", args=[project.pk, "test-report"])).content.decode()
        assert "kunne ikke genereres" in page and "Prøv igjen" in page
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(reverse("projects:document_retry", args=[project.pk, doc.pk]))
        doc.refresh_from_db()
        assert doc.status == GeneratedDocument.Status.DONE and doc.version == 1 and len(calls) == 2


# Invitations and reminder e-mails -----------------------------------------------------------------------


def test_inviting_with_the_broker_down_saves_and_sends_once_it_is_back(
    client, owner_project, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    project, owner = owner_project
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:member_invite", args=[project.pk]),
            {"invite-full_name": "Vera Verneombud", "invite-email": "vera@example.no", "invite-role": Role.SAFETY_REP},
            follow=True,
        )
    assert response.status_code == 200 and "invitasjonen er på vei" in response.content.decode().lower()
    invited = User.objects.get(email="vera@example.no")
    assert Membership.objects.filter(project=project, user=invited).exists() and mail.outbox == []
    monkeypatch.undo()
    outbox.sweep()
    assert [m.to for m in mail.outbox] == [["vera@example.no"]]
    job = Job.objects.get(key=f"invitation:{invited.pk}")
    assert job.state == Job.State.DONE
    outbox.sweep()
    assert outbox.run(job.pk) == "skipped"  # a late duplicate wake-up
    assert len(mail.outbox) == 1


def test_the_scan_with_the_broker_down_keeps_the_digest_for_when_it_is_back(
    broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    user = UserFactory()
    project = ProjectFactory()
    source = reminders.Kind(
        "test_kind",
        "Test",
        lambda today: [reminders.Due("t:1", user.pk, "x", {"nb": "Frist i morgen"}, "/", project.pk, today)],
    )
    with extensions.registered("reminder_source", source, alone=True):
        when = timezone.make_aware(datetime.datetime(2027, 2, 2, 8, 0))
        with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
            result = reminders_scan()
        assert result.emails and mail.outbox == []
        with time_machine.travel(when + datetime.timedelta(minutes=15), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                reminders_scan()  # a later scan, still without the broker, loses nothing either
            monkeypatch.undo()
            outbox.sweep()
            outbox.sweep()
    assert len(mail.outbox) == 1 and "Frist i morgen" in mail.outbox[0].body
    assert ReminderEmail.objects.get().sent_at is not None


def test_a_version_tried_again_is_not_late_at_once(client, owner_project, broker_down):
    project, owner = owner_project
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=5)):
        doc = document_request(project=project, kind="test-report", by=owner)
    document_retry(document=doc, by=owner)  # the broker is still down: it waits again, from now
    client.force_login(owner)
    page = client.get(reverse("projects:documents", args=[project.pk, "test-report"])).content.decode()
    assert "genereres" in page and "tar lengre tid enn vanlig" not in page
