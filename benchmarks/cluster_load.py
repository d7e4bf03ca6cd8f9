"""Load through the balancer (`make load`): the two-node cluster of .ci/cluster-smoke on PostgreSQL with the
2 000-project benchmark data, and Locust's virtual people (owners, the representative, the coordinator, HR)
opening their pages, 40 at once for 60 s (issue 30), on production settings with persistent database connections
(CONN_MAX_AGE and CONN_HEALTH_CHECKS, read back from a node and printed). Prints, per page kind, for all pages and
for a bare page in the same run, requests per second, median (p50), p90, p95, p99 and errors, and the load average.

python -m benchmarks.cluster_load [--users 40] [--seconds 60] [--projects 2000] [--database cluster_load]
    [--base 8450] [--redis-port 8491] [--storage s3|local]
The data are built once into the kept database (as `python -m benchmarks --keep`) and reused after that.
Everything listens on 127.0.0.1:8450-8467 and a Redis of its own on :8491 (or from --base, with --redis-port;
--storage local needs no S3 gateway, so base … base + 2 and Redis are all); nothing else is reached.
"""

# ruff: noqa: S603  (this virtualenv's programs)

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.cluster import ROOT, VENV_BIN, Cluster

LOCUSTFILE = Path(__file__).resolve().parent / "load" / "locustfile.py"
OUT = ROOT / "var" / "load"

# Who opens what: each virtual person holds a session of their own and opens these pages (by weight), with the
# bare page among them. The weights of the roles set how many of the virtual people hold each role.
PLAN = """
import json, sys
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from projects.models import Membership, Project, Role, User

per_role = int(sys.argv[-1])

def session(user):
    store = SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "projects.auth_backends.LocalPasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

def project_pages(who, project):
    return [
        (f"{who}: project overview", reverse("projects:detail", args=[project.pk]), 3),
        (f"{who}: phases", reverse("phases:overview", args=[project.pk]), 2),
        (f"{who}: participation plan", reverse("participation:plan", args=[project.pk]), 1),
    ]

bare = ("bare page (accessibility statement)", reverse("accessibility"), 1)
plan = {"owner": [], "representative": [], "coordinator": [], "hr": []}
owners = (
    Membership.objects.filter(role=Role.OWNER, user__email__regex=r"^person[0-9]+@bench[.]kommune[.]no$")
    .select_related("user", "project").order_by("user_id", "project_id").distinct("user_id")[:per_role]
)
for m in owners:
    plan["owner"].append({"session": session(m.user), "pages": [
        ("owner: my projects", reverse("projects:mine"), 2), *project_pages("owner", m.project), bare]})
rep = User.objects.get(email="tillitsvalgt@bench.kommune.no")
coordinator = User.objects.get(email="koordinator@bench.kommune.no")
hr = User.objects.get(email="hr@bench.kommune.no")
some = list(Project.objects.filter(memberships__user=rep).order_by("pk")[:per_role])
for n in range(per_role):
    plan["representative"].append({"session": session(rep), "pages": [
        ("representative: for approval", reverse("participation:inbox"), 3),
        ("representative: my projects", reverse("projects:mine"), 1),
        ("representative: project overview", reverse("projects:detail", args=[some[n % len(some)].pk]), 2), bare]})
    plan["coordinator"].append({"session": session(coordinator), "pages": [
        ("coordinator: overview of all projects", reverse("dashboard:overview"), 3),
        ("coordinator: risk matrix", reverse("dashboard:risks"), 1),
        ("coordinator: project overview", reverse("projects:detail", args=[some[-1 - n % len(some)].pk]), 2), bare]})
    plan["hr"].append({"session": session(hr), "pages": [("HR: evaluations", reverse("evaluation:hr"), 3), bare]})
print(json.dumps(plan))
"""

CONNECTIONS = (
    "from django.conf import settings; d = settings.DATABASES['default']; "
    "print(f\"CONN_MAX_AGE={d['CONN_MAX_AGE']}, CONN_HEALTH_CHECKS={d['CONN_HEALTH_CHECKS']}\")"
)
COLUMNS = ("page kind", "requests", "req/s", "median ms", "p90 ms", "p95 ms", "p99 ms", "errors")


def build_data(database, projects):
    """The benchmark data in the kept database (built on the first run, reused after): `python -m benchmarks`
    with `--keep`, timing only its bare page."""
    pg = os.environ.get("CLUSTER_PG", "postgres://postgres@127.0.0.1:5432")
    env = {**os.environ, "DATABASE_URL": f"{pg}/{database}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "benchmarks", "--keep", database, "--projects", str(projects),
         "--only", "bare page", "--requests", "3"], cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"building the benchmark data failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    for line in result.stdout.splitlines():
        if line.startswith(("Database:", "Data:")):
            print(f"  {line}")


def run_locust(cluster, plan_file, users, seconds, prefix):
    env = {**os.environ, "LOAD_PLAN": str(plan_file)}
    started = time.monotonic()
    result = subprocess.run(
        [str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary", "-u", str(users),
         "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--stop-timeout", "30", "--host", cluster.balancer_url,
         "--csv", str(prefix), "--exit-code-on-error", "0", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 180, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"locust failed:\n{result.stderr[-3000:]}")
    return time.monotonic() - started


def table(prefix, users, seconds, load):
    with open(f"{prefix}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    out = [f"{users} concurrent users, {seconds} s through the balancer (load average before: {load})"]
    lines = []
    for row in rows:
        name = "all pages" if row["Name"] == "Aggregated" else row["Name"]
        lines.append((
            name, row["Request Count"], f"{float(row['Requests/s']):.1f}", row["50%"], row["90%"], row["95%"],
            row["99%"], row["Failure Count"],
        ))  # fmt: skip
    widths = [max(len(str(x)) for x in col) for col in zip(COLUMNS, *lines, strict=False)]
    out.append("  ".join(str(c).ljust(w) for c, w in zip(COLUMNS, widths, strict=False)))
    out.extend("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)) for line in lines)
    bare = next((r for r in rows if r["Name"].startswith("bare page")), None)
    if bare:
        worst = max((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: float(r["50%"]))
        ratio = float(worst["50%"]) / max(float(bare["50%"]), 1)
        errors = sum(int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated")
        out.append(
            f"slowest median: {worst['Name']} {worst['50%']} ms = {ratio:.1f}x the bare page's {bare['50%']} ms; "
            f"errors: {errors}"
        )
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cluster_load", description=__doc__)
    parser.add_argument("--users", default="40", help="concurrent virtual people, one run each (40; 20,50: two runs)")
    parser.add_argument("--seconds", type=int, default=60, help="length of each run")
    parser.add_argument("--projects", type=int, default=2000, help="projects in the kept database when built")
    parser.add_argument("--database", default="cluster_load", help="the kept PostgreSQL database")
    parser.add_argument("--web-concurrency", type=int, default=3, help="gunicorn workers per node")
    parser.add_argument("--base", type=int, default=8450, help="the balancer's port; the nodes' follow it")
    parser.add_argument("--redis-port", type=int, default=8491, help="the cluster's own Redis")
    parser.add_argument(
        "--storage", choices=("s3", "local"), default="s3",
        help="s3: a SeaweedFS gateway on base+10 … base+17; local: a folder the nodes share (no more ports)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)

    print(f"Benchmark data in PostgreSQL database {args.database} ({args.projects} projects when built)")
    build_data(args.database, args.projects)
    cluster = Cluster(
        "load", base=args.base, redis_port=args.redis_port, database=args.database,
        web_concurrency=args.web_concurrency, keep_database=True, storage=args.storage,
    )  # fmt: skip
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    reports = []
    try:
        cluster.start(people=False, say=print)
        users = [int(u) for u in args.users.split(",")]
        plan_file = OUT / "plan.json"
        made = cluster.manage("worker", "shell", "-v", "0", "-c", PLAN.replace("sys.argv[-1]", str(max(users))))
        plan_file.write_text(made.strip().splitlines()[-1])
        conn = cluster.manage("worker", "shell", "-v", "0", "-c", CONNECTIONS).strip().splitlines()[-1]
        print(f"Database connections of the nodes' settings: {conn}")
        roles = json.loads(plan_file.read_text())
        print("Sessions: " + ", ".join(f"{len(v)} {k}" for k, v in roles.items()))
        for n in users:
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            took = run_locust(cluster, plan_file, n, args.seconds, OUT / f"users{n}")
            reports.append(table(OUT / f"users{n}", n, args.seconds, load))
            reports[-1] += f"\nload average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({took:.0f} s)"
            print("\n" + reports[-1], flush=True)
    finally:
        cluster.stop()
    (OUT / "report.txt").write_text("\n\n".join(reports) + "\n")
    print(f"\nThe tables are also in {(OUT / 'report.txt').relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
