"""/healthz answers 200 when the database and the broker answer, 503 naming what fails when not."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django, json
django.setup()
from django.test import Client
r = Client(HTTP_HOST="not-an-allowed-host.example").get("/healthz")
print(json.dumps({"status": r.status_code, "body": json.loads(r.content)}))
"""


def probe(**env):
    """Ask /healthz from a fresh process whose services come from `env` (no test database involved)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthy_instance_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_database_down_answers_503(tmp_path):
    # Nothing listens on port 1: the connection is refused, as when PostgreSQL is stopped.
    result = probe(DATABASE_URL="postgres://postgres@127.0.0.1:1/prosessguiden", CELERY_BROKER_URL="filesystem://")
    assert result == {"status": 503, "body": {"database": "failing", "broker": "ok"}}


def test_broker_down_answers_503(tmp_path):
    result = probe(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    assert result == {"status": 503, "body": {"database": "ok", "broker": "failing"}}
