"""Load test of issue 25: 500 respondents answer one survey within a minute against PostgreSQL, nothing lost.

    make survey-load        # = DEBUG=0 manage.py collectstatic, then:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python -m benchmarks.survey_load \
        [--people 500] [--spread 45] [--concurrency 50] [--port 8660] [--workers 3] [--database survey_load]

(collectstatic first: gunicorn runs with DEBUG off and the manifest storage.) DATABASE_URL names the PostgreSQL
server; the script uses the database `--database` on it (created when missing, kept after; each run adds one
project). It migrates the database, starts one survey with `--people` invitations through the service, starts gunicorn
(config/gunicorn.conf.py, production's logger) on the port, and lets the respondents arrive at a steady rate over
`--spread` seconds (at most `--concurrency` at once): each opens its personal link (GET, timed), answers all
questions (POST, timed) and checks the "thank you". Then it closes the survey and reads the tables: every link used
once, as many answers as people (and as many free texts as were written), none left in the pool, and no link
token in gunicorn's access log. It prints the load average before and after, the wall time, the p50/p90 of both
requests, and the verdict: FAILED (exit 1) on a lost answer, a wall time over 60 s or a p90 of the answer page
over the page budget (300 ms, benchmarks.PAGE_BUDGET_MAX_MS), else OK. Not part of `make test` or `make bench`: it
needs PostgreSQL and a free port, and its times mean something only on a quiet machine (hence the load average).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE_BUDGET_MS = 300  # benchmarks.PAGE_BUDGET_MAX_MS: a page's p90 budget
WALL_LIMIT_S = 60


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()


def _prepare(people):
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", "--noinput", verbosity=0)
    from projects.models import Role
    from surveys.services import questionnaires_load_shipped, survey_start
    from surveys.tokens import token_for
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    stamp = int(time.time())
    owner = UserFactory(email=f"eier.{stamp}@last.example.no")
    project = ProjectFactory(name=f"Lasttest {stamp}", case_number=f"LAST/{stamp}", created_by=owner)
    MembershipFactory(project=project, role=Role.OWNER, user=owner)
    questionnaire = questionnaires_load_shipped()[0]
    today = timezone.localdate()
    survey = survey_start(
        project=project, kind="baseline", by=owner, opens_on=today, closes_on=today + timedelta(days=7),
        addresses=[(f"ansatt{i}@last.example.no", f"Enhet {i % 10}") for i in range(people)],
        questionnaire=questionnaire,
    )  # fmt: skip
    links = [f"/answer/{token_for(n)}/" for n in survey.invitations.values_list("nonce", flat=True)]
    keys = [q["key"] for q in survey.questions["questions"]]
    return survey, owner, links, keys


def _respondent(base, path, keys, i):
    try:
        return _answer(base, path, keys, i)
    except Exception as exc:  # a failed respondent is counted, and its link is not printed
        print(f"respondent {i}: {type(exc).__name__}", file=sys.stderr)
        return False, 0.0, 0.0


def _free_text(i):
    return f"Svar nummer {i}" if i % 4 == 0 else ""


def _load():
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _answer(base, path, keys, i):
    import requests

    session = requests.Session()
    t0 = time.perf_counter()
    page = session.get(base + path, timeout=30)
    t1 = time.perf_counter()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    data = {"csrfmiddlewaretoken": token, "free_text": _free_text(i)}
    data.update({key: str(1 + (i + n) % 6 - (1 if (i + n) % 6 == 5 else 0)) for n, key in enumerate(keys)})
    t2 = time.perf_counter()
    done = session.post(base + path, data=data, headers={"Referer": base + path}, timeout=30)
    t3 = time.perf_counter()
    ok = page.status_code == 200 and done.status_code == 200 and "Takk!" in done.text
    return ok, (t1 - t0) * 1000, (t3 - t2) * 1000


def _p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50, help="at most this many respondents at once")
    parser.add_argument("--spread", type=float, default=45.0, help="seconds over which the respondents arrive")
    parser.add_argument("--port", type=int, default=8660)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database", default="survey_load", help="the database on DATABASE_URL's server")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432)")
    from benchmarks.database import kept_database

    with kept_database(args.database) as (where, _existed):
        print(f"database: {where}; load average (1, 5, 15 min) before: {_load()}")
        return run(args)


def run(args):
    _setup_django()
    survey, owner, links, keys = _prepare(args.people)
    log = tempfile.NamedTemporaryFile(prefix="survey-load-", suffix=".log", delete=False)  # noqa: SIM115
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{args.port}", "WEB_CONCURRENCY": str(args.workers),
           "DJANGO_SETTINGS_MODULE": "config.settings.local", "DEBUG": "0", "LOG_LEVEL": "INFO",
           "GUNICORN_ACCESS_LOG": "-"}  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn)
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.conf.py"], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        import requests

        for _ in range(100):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        lock = threading.Lock()
        results = []
        start = time.perf_counter()
        # Open loop: respondents arrive at a steady rate (all of them within `--spread` seconds), each answering
        # as soon as they arrive, as people clicking an e-mail's link do; at most `--concurrency` at once.
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            futures = []
            for i, path in enumerate(links):
                delay = start + i * args.spread / len(links) - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(_respondent, base, path, keys, i))
            for future in futures:
                with lock:
                    results.append(future.result())
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    from surveys.models import Answer, Invitation, PendingAnswer
    from surveys.services import survey_close

    used = Invitation.objects.filter(survey=survey, answered=True).count()
    pending = PendingAnswer.objects.filter(survey_id=survey.pk).count()
    stored_before_close = Answer.objects.filter(survey=survey).count()
    survey = survey_close(survey=survey, by=owner)
    answers = Answer.objects.filter(survey=survey).count()
    free_texts = Answer.objects.filter(survey=survey).exclude(free_text="").count()
    written = sum(1 for i in range(args.people) if _free_text(i))
    access_log = Path(log.name).read_text(errors="replace")
    leaked = sum(1 for link in links if link.split("/")[2] in access_log)
    gets = [g for _ok, g, _p in results]
    posts = [p for _ok, _g, p in results]
    ok = sum(1 for good, _g, _p in results if good)
    print(f"respondents: {args.people}, arriving over {args.spread:.0f} s (at most {args.concurrency} at once), "
          f"gunicorn workers {args.workers}")  # fmt: skip
    print(f"wall time: {wall:.1f} s ({args.people / wall:.1f} answers/s)")
    print(f"answer page GET: p50 {statistics.median(gets):.0f} ms, p90 {_p(gets, 0.9):.0f} ms, max {max(gets):.0f} ms")
    print(
        f"answer POST:     p50 {statistics.median(posts):.0f} ms, p90 {_p(posts, 0.9):.0f} ms, max {max(posts):.0f} ms"
    )
    print(f"thank-you pages: {ok}; links used: {used}; in the table before closing: {stored_before_close} "
          f"(+{pending} in the pool); answers after closing: {answers}; survey counts {survey.answered_count}/"
          f"{survey.invited_count}")  # fmt: skip
    print(f"free texts written: {written}, stored: {free_texts}")
    print(f"link tokens found in gunicorn's access log: {leaked} (log: {log.name})")
    print(f"load average (1, 5, 15 min) after: {_load()}")
    failed = (
        answers != args.people or ok != args.people or used != args.people or wall > WALL_LIMIT_S
        or _p(gets, 0.9) > PAGE_BUDGET_MS or leaked or free_texts != written
    )  # fmt: skip
    print(f"verdict: {'FAILED' if failed else 'OK'} (nothing lost, within {WALL_LIMIT_S} s, answer page p90 "
          f"within {PAGE_BUDGET_MS} ms, no link in the log)")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
