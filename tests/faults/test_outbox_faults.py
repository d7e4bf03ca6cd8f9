"""Fault tests of the outbox, with real processes: a Celery worker, Celery beat (the outbox's sweep), the web
app under gunicorn, and a Redis of their own (started here on a free port and killed here: never the Redis the
rest of the suite or anybody else uses), on the PostgreSQL test database.

- `kill -9` of the worker while it renders a PDF: after a restart the document is done.
- Redis stopped while an owner asks for a PDF, invites a member and the reminder scan runs: every page answers
  without a 500, and once Redis is back every document is made and every e-mail is sent exactly once.

Every wait is bounded; both tests take some 30–60 s. `pytest -m fault` runs only these, `-m "not fault"` all but
these. They need PostgreSQL (DATABASE_URL=postgres://…) and `redis-server`; without them they skip, which
REQUIRE_SERVICES=1 (CI) turns into a failure. FAULT_PORTS="8200-8249" picks the ports from a range (else any
free port).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import GeneratedDocument, Job, Membership, ReminderEmail, Role, User
from projects.services import calendar_feed_for
from tests.factories import PASSWORD, ProjectFactory, UserFactory

from .worker_app import SLOW_KIND

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CSRF = "faulttestcsrfsecret0123456789abc"  # 32 characters: Django accepts the secret itself as the token


def _port_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port(taken=()):
    wanted = os.environ.get("FAULT_PORTS", "")
    if wanted:
        low, high = (int(p) for p in wanted.split("-"))
        for port in range(low, high + 1):
            if port not in taken and _port_free(port):
                return port
        raise RuntimeError(f"no free port in FAULT_PORTS={wanted}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what, check, timeout, interval=0.25, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return time.monotonic()
        time.sleep(interval)
    tail = f"\n--- {log.name} ---\n{log.read_text()[-4000:]}" if log is not None and log.exists() else ""
    raise AssertionError(f"{what}: not within {timeout} s{tail}")


class Stack:
    """The processes of one test, each in its own process group; everything left is killed at the end."""

    def __init__(self, tmp_path, settings):
        s = connection.settings_dict
        auth = f"{s['USER']}:{s['PASSWORD']}" if s.get("PASSWORD") else s["USER"]
        self.tmp = tmp_path
        self.redis_port = int(os.environ.get("FAULT_REDIS_PORT", 0)) or _free_port()
        self.web_port = _free_port(taken={self.redis_port})
        self.mail = tmp_path / "mail"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_", "CELERY_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DEBUG="1",  # static files without a collected manifest; errors still answer 500
            DATABASE_URL=f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            # The cache on the same Redis, as production has it (it goes down with the broker).
            CACHE_URL=f"rediscache://127.0.0.1:{self.redis_port}/1",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail),
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            OUTBOX_LEASE_SECONDS="4",
            OUTBOX_SWEEP_SECONDS="1",
            OUTBOX_REWAKE_SECONDS="5",
            OUTBOX_RETRY_SECONDS="1",
            REMINDER_SCAN_MINUTES="600",  # the test runs the scan itself, at the moment it wants
            REMINDER_DIGEST_HOUR="0",
            FAULT_RENDER_SECONDS="3",
        )
        self.env = env
        self.processes = {}
        self.redis = None

    def log(self, name):
        return self.tmp / f"{name}.log"

    def start(self, name, args):
        log = open(self.log(name), "a")  # noqa: SIM115 (closed with the process)
        self.processes[name] = (
            subprocess.Popen(  # noqa: S603
                args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            ),
            log,
        )
        return self.processes[name][0]

    def kill(self, name, sig=signal.SIGKILL):
        process, log = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()

    def stop_all(self):
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM if name != "redis" else signal.SIGKILL)

    def start_redis(self):
        self.start(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--dir", str(self.tmp)],
        )  # fmt: skip
        _wait("Redis answers", lambda: self._redis_ping(), 15, log=self.log("redis"))

    def _redis_ping(self):
        with socket.socket() as s:
            s.settimeout(1)
            try:
                s.connect(("127.0.0.1", self.redis_port))
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

    def start_worker(self, name="worker", app="tests.faults.worker_app"):
        return self.start(
            name,
            [str(BIN / "celery"), "-A", app, "worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-n", f"{name}@fault"],
        )  # fmt: skip

    def start_beat(self):
        self.start(
            "beat",
            [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO", f"--schedule={self.tmp / 'beat'}"],
        )

    def start_web(self):
        self.start(
            "web",
            [str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{self.web_port}", "--workers", "1",
             "--threads", "4", "--timeout", "60"],
        )  # fmt: skip
        _wait("the web app answers", lambda: self._answers("/account/login/"), 60, log=self.log("web"))

    def _answers(self, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}{path}", timeout=5):  # noqa: S310
                return True
        except (urllib.error.URLError, OSError):
            return False

    def messages(self):
        return [p.read_text() for p in sorted(self.mail.glob("*.log"))] if self.mail.exists() else []


@pytest.fixture
def stack(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the fault tests need PostgreSQL (DATABASE_URL=postgres://…)")
    if shutil.which("redis-server") is None:
        pytest.skip("the fault tests need redis-server")
    stack = Stack(tmp_path, settings)
    yield stack
    stack.stop_all()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A logged-in person's requests to the running web app (cookies kept by hand, redirects not followed)."""

    def __init__(self, port, user):
        client = Client()
        client.force_login(user)  # a session row in the shared test database
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
        self.opener = urllib.request.build_opener(NoRedirect)
        self.timings = []

    def request(self, path, data=None):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        start = time.monotonic()
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        status, text = response.status, response.read().decode()
        self.timings.append((path, status, round(time.monotonic() - start, 2)))
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        return status, text


def test_kill_9_of_the_worker_while_it_renders_and_the_document_is_done_after_a_restart(stack):
    owner = UserFactory()
    project = ProjectFactory()
    doc = GeneratedDocument.objects.create(project=project, kind=SLOW_KIND, version=1, requested_by=owner)
    job = Job.objects.create(kind="documents.render", key=f"document:{doc.pk}", payload={"document_id": doc.pk})
    stack.start_redis()
    stack.start_beat()  # its sweep wakes the job (nothing here talks to the broker)
    stack.start_worker("worker")

    def status():
        doc.refresh_from_db()
        return doc.status

    _wait(
        "the worker starts rendering", lambda: status() == GeneratedDocument.Status.RUNNING, 90, log=stack.log("worker")
    )
    time.sleep(0.5)
    stack.kill("worker")  # kill -9 mid-render (the render takes 3 s)
    killed = time.monotonic()
    job.refresh_from_db()
    assert status() == GeneratedDocument.Status.RUNNING and job.state == Job.State.RUNNING and job.attempts == 1

    stack.start_worker("worker2")
    done = _wait(
        "the document is done", lambda: status() == GeneratedDocument.Status.DONE, 90, log=stack.log("worker2")
    )
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 2  # claimed again once its lease had run out
    assert doc.file.read().startswith(b"%PDF") and doc.sha256 and doc.generated_at is not None
    print(f"kill -9 to done after a restart: {done - killed:.1f} s (lease 4 s, sweep every 1 s)")


def test_redis_stopped_while_working_and_everything_follows_exactly_once_when_it_is_back(stack):
    from phases.models import ChecklistItem
    from phases.services import process_start, template_load_file

    owner = User.objects.create_user("eva.eier@example.no", password=PASSWORD, full_name="Eva Eier")
    project = ProjectFactory(name="Feilprosjektet", created_by=owner)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    template = template_load_file(path=ROOT / "tests" / "phases" / "mini.toml")[0]
    process_start(project=project, template=template, by=owner)
    ChecklistItem.objects.filter(project=project, key="vision").update(
        due_date=timezone.localdate() + timezone.timedelta(days=1)
    )
    stack.start_redis()
    stack.start_worker("worker", app="config")
    stack.start_beat()
    stack.start_web()
    browser = Browser(stack.web_port, owner)
    assert browser.request(f"/projects/{project.pk}/")[0] == 200

    stack.kill("redis")  # Redis is gone
    detail = reverse("projects:detail", args=[project.pk])
    status, _ = browser.request(
        reverse("projects:document_request", args=[project.pk, "participation-protocol"]), {"next": detail}
    )
    assert status == 302
    status, page = browser.request(detail)
    assert status == 200 and "genereres" in page
    status, _ = browser.request(
        reverse("projects:member_invite", args=[project.pk]),
        {"invite-full_name": "Vera Verneombud", "invite-email": "vera@example.no", "invite-role": Role.SAFETY_REP},
    )
    assert status == 302
    status, page = browser.request(reverse("projects:members", args=[project.pk]))
    assert status == 200 and "Invitasjonen er på vei" in page and "vera@example.no" in page
    scan = subprocess.run(  # noqa: S603  (the scan as the worker runs it, with the broker away)
        [sys.executable, "manage.py", "shell", "-c",
         "from projects.services import reminders_scan; print('emails', len(reminders_scan().emails))"],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert scan.returncode == 0 and "emails 1" in scan.stdout, scan.stderr[-3000:]
    for path in (
        detail,
        reverse("projects:documents", args=[project.pk, "participation-protocol"]),
        reverse("notifications"),
        reverse("calendar"),
        reverse("calendar_feed", args=[calendar_feed_for(user=owner).token]),  # read through the cache
    ):
        assert browser.request(path)[0] == 200, path
    print("requests with Redis down (path, status, seconds):", browser.timings)
    assert all(seconds < 10 for _path, _status, seconds in browser.timings)
    assert stack.messages() == []
    assert Job.objects.filter(state=Job.State.PENDING).count() == 3  # document, invitation, digest: all kept

    stack.start_redis()  # back, empty: whatever the broker held is gone, the outbox is not
    back = time.monotonic()
    doc = GeneratedDocument.objects.get(project=project)

    def all_done():
        doc.refresh_from_db()
        return doc.status == GeneratedDocument.Status.DONE and len(stack.messages()) >= 2

    done = _wait("the document and both e-mails", all_done, 120, log=stack.log("worker"))
    time.sleep(6)  # several sweeps more: nothing is sent again
    messages = stack.messages()
    assert len(messages) == 2, messages
    assert sum("To: vera@example.no" in m for m in messages) == 1
    assert sum("To: eva.eier@example.no" in m and "Skriv visjon" in m for m in messages) == 1
    assert ReminderEmail.objects.get().sent_at is not None
    assert set(Job.objects.values_list("state", flat=True)) == {Job.State.DONE}
    print(f"Redis back to everything done: {done - back:.1f} s")
