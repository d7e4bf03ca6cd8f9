"""The Nu HTML Checker that the browser tests run on every page they check is installed (`make vnu`)."""

import pytest

from tests.browser.conftest import VNU_JAR, html_checker_available


def test_the_html_checker_is_installed():
    if not html_checker_available():
        pytest.skip(f"Nu HTML Checker not found at {VNU_JAR} or no java (make vnu installs it from npm)")
    assert VNU_JAR.stat().st_size > 1_000_000
