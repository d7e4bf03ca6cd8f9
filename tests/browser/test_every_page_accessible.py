"""axe-core over every page as every role, on the demo data: zero WCAG 2.1 A/AA violations.

Each demo user (one per role) starts at their landing page and follows every link inside the application;
each kind of page (its URL with numbers taken out) is checked once per role, so the run stays within
minutes while every page a role can reach is seen. Downloads, the log-out and Django's own admin pages
are not pages of ours and are left out. Logged-out pages are checked too.
"""

import re
from urllib.parse import urldefrag, urlparse

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from projects.models import User

from .conftest import WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_USERS = [
    "eier@demo.kommune.no",
    "prosjektleder@demo.kommune.no",
    "verneombud@demo.kommune.no",
    "tillitsvalgt@demo.kommune.no",
    "bht@demo.kommune.no",
    "amu@demo.kommune.no",
    "medlem@demo.kommune.no",
    "koordinator@demo.kommune.no",
    "hr@demo.kommune.no",
    "admin@demo.kommune.no",
    "leder2@demo.kommune.no",
]
SKIP = re.compile(
    r"^/(admin/|account/logout|static/|media/|oidc/|healthz)|/file/|/download|/source/|my-data/\d|export|ical|\.(pdf|ics|csv|xlsx|json)$"
)
PUBLIC = ["/account/login/", "/account/password_reset/", "/accessibility/", "/privacy/"]


def _kind(path):
    return re.sub(r"/\d+", "/N", path)


def _axe(page, where, failures):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        failures.append(f"{where}: {results.generate_report()}")


def _session_cookie(user):
    from importlib import import_module

    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "projects.auth_backends.LocalPasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def _crawl(page, base, start, failures, label, limit=60):
    seen_kinds, queue, visited = set(), [start], 0
    while queue and visited < limit:
        path = queue.pop(0)
        kind = _kind(path)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        try:
            response = page.goto(path)
        except PlaywrightError as exc:  # a link that downloads a file is not a page
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or response.status >= 400 or urlparse(page.url).path.startswith("/account/login"):
            continue
        visited += 1
        _axe(page, f"{label} {path}", failures)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            href = urldefrag(href)[0]
            if href.startswith(base):
                href = href[len(base) :]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not parsed.path.startswith("/") or parsed.query:
                continue
            if SKIP.search(parsed.path) or _kind(parsed.path) in seen_kinds:
                continue
            queue.append(parsed.path)
    return seen_kinds


def test_every_page_as_every_role_has_no_wcag_violations(chromium, live_server):
    call_command("seed_demo", verbosity=0)
    failures, checked = [], {}
    context = chromium.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    for path in PUBLIC:
        page.goto(path)
        _axe(page, f"anonymous {path}", failures)
    context.close()

    for email in DEMO_USERS:
        user = User.objects.get(email=email)
        context = chromium.new_context(
            base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900}
        )
        host = urlparse(live_server.url).hostname
        context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": _session_cookie(user), "domain": host, "path": "/"}]
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        checked[email] = _crawl(page, live_server.url, "/", failures, email)
        context.close()

    # The crawl reached the pages each role works in, not just a landing page.
    assert len(checked["eier@demo.kommune.no"]) >= 10, checked["eier@demo.kommune.no"]
    assert any("/participation" in k or "medvirkning" in k for k in checked["verneombud@demo.kommune.no"])
    assert failures == [], "\n\n".join(failures)
