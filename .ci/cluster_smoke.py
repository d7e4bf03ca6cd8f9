# ruff: noqa: S608  (the SQL's values are this script's integers and constants)
"""The cluster smoke test (run by .ci/cluster-smoke): two web nodes, one worker and a balancer share nothing but
PostgreSQL, Redis and an S3 bucket, and a person working through the balancer notices none of it.

Each step prints its result; the first that does not hold stops the run (exit 1) with the processes' logs.
"""

import hashlib
import os
import re
import signal
import sys
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.cluster import SMOKE_CASE, SMOKE_OWNER, SMOKE_PASSWORD, Cluster, wait_until  # noqa: E402

LIMIT_SECONDS = int(os.environ.get("CLUSTER_SMOKE_LIMIT", 420))
STARTED = time.monotonic()


class StepFailed(Exception):
    pass


def say(text):
    print(f"cluster-smoke [{time.monotonic() - STARTED:5.1f} s] {text}", flush=True)


def check(condition, message):
    if not condition:
        raise StepFailed(message)


class Browser:
    """A person's browser behind the balancer: one cookie jar, and the header the TLS proxy would add when a
    request goes straight to one node."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.session = requests.Session()

    def url(self, via, path):
        return (self.cluster.balancer_url if via == "balancer" else self.cluster.node_url(via)) + path

    def headers(self, via, path):
        port = self.cluster.ports.balancer if via == "balancer" else self.cluster.ports.node(via)
        # The cookies by hand: requests sends Secure cookies over https only, and the hop here is plain http.
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        headers = {"Referer": f"https://127.0.0.1:{port}{path}", "Cookie": cookies}
        if via != "balancer":
            headers["X-Forwarded-Proto"] = "https"
        return headers

    def get(self, path, via="balancer", allow_redirects=True):
        """GET, following redirects here (requests would follow them with its own cookie handling)."""
        for _hop in range(5):
            response = self.session.get(
                self.url(via, path), headers=self.headers(via, path), timeout=60, allow_redirects=False
            )
            if not (allow_redirects and response.is_redirect):
                return response
            path = response.headers["Location"]
        raise StepFailed(f"too many redirects, the last to {path}")

    def post(self, path, data=None, via="balancer", files=None):
        if not self.session.cookies.get("csrftoken"):
            self.get("/account/login/", via=via)  # the CSRF cookie, as a browser has it from an earlier page
        token = self.session.cookies.get("csrftoken")
        return self.session.post(
            self.url(via, path), data={**(data or {}), "csrfmiddlewaretoken": token}, files=files,
            headers=self.headers(via, path), timeout=60, allow_redirects=False,
        )  # fmt: skip


def ids(cluster):
    row = cluster.psql(
        cluster.database,
        "SELECT p.id, i.id FROM projects_project p JOIN phases_checklistitem i ON i.project_id = p.id "
        f"WHERE p.case_number = '{SMOKE_CASE}' ORDER BY i.id LIMIT 1",
    )
    project, item = row.split("|")
    return int(project), int(item)


def document_row(cluster, document_id):
    row = cluster.psql(
        cluster.database, f"SELECT status, sha256 FROM projects_generateddocument WHERE id = {int(document_id)}"
    )
    return tuple(row.split("|")) if row else (None, None)


def latest_document(cluster, project_id, kind):
    return int(
        cluster.psql(
            cluster.database,
            f"SELECT max(id) FROM projects_generateddocument WHERE project_id = {project_id} AND kind = '{kind}'",
        )
        or 0
    )


def steps(cluster: Cluster):
    browser = Browser(cluster)
    project_id, item_id = ids(cluster)
    kind = "participation-protocol"

    say("1. /healthz through the balancer reports database, storage and broker")
    health = browser.get("/healthz").json()
    check(health == {"database": "ok", "storage": "ok", "broker": "ok"}, f"/healthz said {health}")
    say(f"   ok: {health}")

    say("2. log in through the balancer")
    login = browser.post("/account/login/", {"username": SMOKE_OWNER, "password": SMOKE_PASSWORD})
    check(login.status_code == 302 and "/account/login/" not in login.headers.get("Location", ""),
          f"log-in answered {login.status_code} {login.headers.get('Location')}")  # fmt: skip
    home = browser.get("/")
    check(home.status_code == 200 and "Kari Nordmann" in home.text, f"the landing page answered {home.status_code}")
    say(f"   ok: 302 to {login.headers['Location']}, landing page shows Kari Nordmann")

    say("3. upload an attachment through node 1, download it through node 2")
    content = b"%PDF-1.7\n% cluster smoke " + os.urandom(2048).hex().encode() + b"\n%%EOF\n"
    upload = browser.post(
        f"/projects/{project_id}/items/{item_id}/attachments/", via=1,
        files={"file-file": ("klyngetest.pdf", content, "application/pdf")},
    )  # fmt: skip
    check(upload.status_code == 302, f"the upload through node 1 answered {upload.status_code}")
    item_page = browser.get(f"/projects/{project_id}/items/{item_id}/", via=2).text
    links = re.findall(rf"/projects/{project_id}/attachments/(\d+)/\"", item_page)
    check(links, "node 2's item page shows no attachment")
    download = browser.get(f"/projects/{project_id}/attachments/{max(map(int, links))}/", via=2)
    check(download.status_code == 200 and download.content == content,
          f"node 2 answered {download.status_code} with {len(download.content)} bytes")  # fmt: skip
    check('filename="klyngetest.pdf"' in download.headers.get("Content-Disposition", ""), "no file name")
    local = list((cluster.copy("node1") / "var" / "media").rglob("*.pdf"))
    check(not local, f"node 1 kept the upload on its own disk: {local}")
    say(f"   ok: {len(content)} bytes back from node 2, same SHA-256; nothing in node 1's local folder")

    say("4. ask for a PDF through node 2, download it through node 1 once the worker made it")
    before = latest_document(cluster, project_id, kind)
    asked = browser.post(f"/projects/{project_id}/documents/{kind}/new/", via=2)
    check(asked.status_code in (200, 302), f"the request through node 2 answered {asked.status_code}")
    document_id = latest_document(cluster, project_id, kind)
    check(document_id > before, "no document was recorded")
    wait_until("the worker's PDF", lambda: document_row(cluster, document_id)[0] == "done", 120)
    pdf = browser.get(f"/projects/{project_id}/documents/file/{document_id}/", via=1)
    stored = document_row(cluster, document_id)[1]
    check(pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), f"node 1 answered {pdf.status_code}")
    check(hashlib.sha256(pdf.content).hexdigest() == stored, "the PDF from node 1 does not match its SHA-256")
    say(f"   ok: document {document_id}, {len(pdf.content)} bytes from node 1, SHA-256 {stored[:12]}… matches")

    say("5. stop node 1; keep working through the balancer without logging in again")
    cluster.stop_process("node1")
    pages = [f"/projects/{project_id}/", f"/projects/{project_id}/items/{item_id}/", "/"] * 3
    answers = [browser.get(p) for p in pages]
    check(all(a.status_code == 200 for a in answers), f"answers: {[a.status_code for a in answers]}")
    check(all("Kari Nordmann" in a.text for a in answers), "a page no longer showed the logged-in person")
    again = browser.get(f"/projects/{project_id}/documents/file/{document_id}/")
    check(again.status_code == 200 and again.content == pdf.content, "the PDF through the balancer differs")
    say(f"   ok: {len(answers)} pages and the PDF through the balancer, all 200, still logged in")

    say("6. stop the worker in the middle of a render and start it again: the document still completes")
    with psycopg.connect(cluster.database_url, autocommit=True) as db:

        def status(document_id):
            row = db.execute("SELECT status FROM projects_generateddocument WHERE id = %s", [document_id]).fetchone()
            return row[0] if row else None

        for attempt in range(1, 6):  # a render may finish before the kill lands: then ask again
            before = latest_document(cluster, project_id, kind)
            asked = browser.post(f"/projects/{project_id}/documents/{kind}/new/")
            check(asked.status_code in (200, 302), f"the request answered {asked.status_code}")
            document_id = latest_document(cluster, project_id, kind)
            check(document_id > before, "no document was recorded")
            # "done" too: a short render can start and finish between two looks; then the kill comes too late
            # and the loop asks again.
            wait_until("the render to start", lambda d=document_id: status(d) in ("running", "done"), 60, interval=0.01)
            cluster.stop_process("worker", sig=signal.SIGKILL)
            killed_while = status(document_id)
            say(f"   worker killed (SIGKILL) while document {document_id} was {killed_while} (try {attempt})")
            cluster.start_worker()
            if killed_while != "done":
                break
            wait_until("the worker after its restart", lambda: cluster.worker_ready(), 60)
        check(killed_while != "done", "every render finished before the worker could be killed")
    wait_until("the document after the restart", lambda: document_row(cluster, document_id)[0] == "done", 180)
    pdf = browser.get(f"/projects/{project_id}/documents/file/{document_id}/")
    check(pdf.status_code == 200, f"the download answered {pdf.status_code}")
    check(hashlib.sha256(pdf.content).hexdigest() == document_row(cluster, document_id)[1], "SHA-256 differs")
    attempts = cluster.psql(cluster.database, f"SELECT attempts FROM projects_job WHERE key = 'document:{document_id}'")
    check(int(attempts or 0) >= 2, f"the job ran {attempts} times: the render was not taken up again")
    say(f"   ok: document {document_id} done by the restarted worker (attempt {attempts}), SHA-256 matches")


def main():
    cluster = Cluster(
        "smoke", base=8400, redis_port=int(os.environ.get("CLUSTER_REDIS_PORT", 8490)), database="cluster_smoke"
    )

    def out_of_time(*_):
        raise StepFailed(f"the smoke test took longer than {LIMIT_SECONDS} s")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.alarm(LIMIT_SECONDS)
    try:
        say("starting PostgreSQL database, Redis, SeaweedFS S3, 2 nodes, worker, beat and HAProxy")
        cluster.start(say=say)
        say(f"   ok: balancer {cluster.balancer_url}, nodes {cluster.node_url(1)} and {cluster.node_url(2)}")
        steps(cluster)
    except Exception as exc:  # a step that does not hold, or a service that did not start
        say(f"FAILED: {exc}")
        print(cluster.tail(), file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
        cluster.stop()
    say(f"passed in {time.monotonic() - STARTED:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
