"""A real Celery worker and beat: beat triggers the reminder scan through the broker, the worker runs it and
sends the digest once.

The broker is Redis when CELERY_BROKER_URL names it, else the filesystem broker in a temporary folder. The
worker sees the database: on PostgreSQL the live test database (transactional_db), on SQLite a migrated
file database of its own. E-mail goes to the file backend. Every wait is bounded.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))

SETUP = """
import datetime
from django.utils import timezone
from phases.models import ChecklistItem
from phases.services import process_start, template_load_file
from projects.models import Membership, Project, User
owner = User.objects.create_user("worker-test@example.no", full_name="Wenche Worker")
project = Project.objects.create(name="Arbeiderprosjekt", created_by=owner)
Membership.objects.create(project=project, user=owner, role="owner")
template = template_load_file(path="tests/phases/mini.toml")[0]
process_start(project=project, template=template, by=owner)
ChecklistItem.objects.filter(project=project, key="vision").update(
    due_date=timezone.localdate() + datetime.timedelta(days=1)
)
print("ready")
"""


def _env(tmp_path, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    broker = os.environ.get("CELERY_BROKER_URL", "")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker if broker.startswith("redis") else "filesystem://",
        CELERY_FILESYSTEM_DIR=str(tmp_path / "celery"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        REMINDER_SCAN_MINUTES="0.05",  # beat every 3 seconds
        REMINDER_DIGEST_HOUR="0",  # the digest may go whatever the hour the test runs
        DEBUG="0",
    )
    return env


def _run(args, env, timeout):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _start(args, env, log):
    return subprocess.Popen(  # noqa: S603
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _messages(folder):
    return [p.read_text() for p in sorted(folder.glob("*.log"))] if folder.exists() else []


@pytest.mark.django_db(transaction=True)
def test_worker_and_beat_send_the_digest_once(tmp_path):
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        database_url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        if s.get("PASSWORD"):
            database_url = database_url.replace(f"{s['USER']}@", f"{s['USER']}:{s['PASSWORD']}@")
    else:
        database_url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    env = _env(tmp_path, database_url)
    python = sys.executable
    if connection.vendor != "postgresql":
        _run([python, "manage.py", "migrate", "--noinput", "-v0"], env, timeout=300)
    assert "ready" in _run([python, "manage.py", "shell", "-c", SETUP], env, timeout=120)

    if env["CELERY_BROKER_URL"].startswith("redis"):
        _run([CELERY, "-A", "config", "purge", "-f"], env, timeout=60)
    logs = tmp_path / "worker.log", tmp_path / "beat.log"
    with open(logs[0], "w") as worker_log, open(logs[1], "w") as beat_log:
        worker = _start(
            [CELERY, "-A", "config", "worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat"],
            env, worker_log,
        )  # fmt: skip
        beat = _start(
            [CELERY, "-A", "config", "beat", "--loglevel=INFO", f"--schedule={tmp_path / 'beat-schedule'}"],
            env, beat_log,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 180
            while not _messages(tmp_path / "mail") and time.monotonic() < deadline:
                assert worker.poll() is None, logs[0].read_text()[-3000:]
                time.sleep(1)
            messages = _messages(tmp_path / "mail")
            assert messages, f"no e-mail within the time limit\n{logs[0].read_text()[-3000:]}"
            # Let beat trigger a few more scans: nothing is sent again.
            scans = logs[0].read_text().count("projects.tasks.reminders_scan")
            deadline = time.monotonic() + 60
            while (
                logs[0].read_text().count("projects.tasks.reminders_scan") < scans + 6 and time.monotonic() < deadline
            ):
                time.sleep(1)
        finally:
            _stop(beat)
            _stop(worker)
    worker_text = logs[0].read_text()
    assert "projects.tasks.reminders_scan" in worker_text and "projects.tasks.job_run" in worker_text
    assert "Sending due task reminders-scan" in logs[1].read_text()
    messages = _messages(tmp_path / "mail")
    assert len(messages) == 1, messages
    assert "To: worker-test@example.no" in messages[0]
    assert "Skriv visjon" in messages[0] and "Arbeiderprosjekt" in messages[0]
