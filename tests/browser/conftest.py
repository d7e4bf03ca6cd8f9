"""Playwright on Debian's Chromium against the live test server, with axe-core on every page visited."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--lang=nb-NO",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "var" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HTML_DIR = Path(__file__).resolve().parents[2] / "var" / "html"
_visited: list[Path] = []


def html_checker_available() -> bool:
    return VNU_JAR.exists() and shutil.which("java") is not None


@pytest.fixture(autouse=True)
def _valid_html():
    """After each browser test, the Nu HTML Checker (vnu.jar, installed by `make vnu`) reads every page the
    test checked, in one run; any error fails the test. htmx's hx-* attributes are its own, not HTML's."""
    _visited.clear()
    yield
    pages, _visited[:] = list(_visited), []
    if not pages or not html_checker_available():
        return
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" and not re.search(r"“hx-[a-z-]+”", m["message"])
    ]
    assert not errors, "Nu HTML Checker:\n" + "\n".join(errors)


def check_accessibility(page, name: str):
    """Run axe-core on the page, save a screenshot and its HTML (checked by the Nu HTML Checker after the
    test), and fail on any WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    HTML_DIR.mkdir(parents=True, exist_ok=True)
    html = HTML_DIR / f"{name}.html"
    html.write_text(page.content(), encoding="utf-8")
    _visited.append(html)
    # The pointer may still rest on the button just clicked (an htmx swap puts its successor under it): axe
    # would read the colours halfway through Bootstrap's 0.15 s hover transition. Move it off and let it settle.
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def log_in(page, email, password):
    page.goto("/account/login/")
    check_accessibility(page, "login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/account/login/" not in url)  # each role has its own landing page


def log_out(page):
    page.locator("header .dropdown-toggle").click()
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/account/login/")
