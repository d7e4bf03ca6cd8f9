"""/healthz answers 200 when the database and the file storage answer, 503 naming what fails when not; a broker
that does not answer is named but keeps the node in (work waits in the database)."""

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
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT")
        and not k.startswith(("FILE_STORAGE", "S3_"))
    }  # fmt: skip
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
    assert response.json() == {"database": "ok", "storage": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_database_down_answers_503(tmp_path):
    # Nothing listens on port 1: the connection is refused, as when PostgreSQL is stopped.
    result = probe(
        DATABASE_URL="postgres://postgres@127.0.0.1:1/prosessguiden", CELERY_BROKER_URL="filesystem://",
        MEDIA_ROOT=str(tmp_path / "media"),
    )  # fmt: skip
    assert result == {"status": 503, "body": {"database": "failing", "storage": "ok", "broker": "ok"}}


def test_broker_down_is_reported_but_keeps_the_node_in(tmp_path):
    result = probe(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        MEDIA_ROOT=str(tmp_path / "media"),
    )  # fmt: skip
    assert result == {"status": 200, "body": {"database": "ok", "storage": "ok", "broker": "failing"}}


def test_storage_that_cannot_be_written_answers_503(tmp_path):
    (tmp_path / "media").write_text("a file where the folder should be")
    result = probe(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CELERY_BROKER_URL="filesystem://",
        MEDIA_ROOT=str(tmp_path / "media" / "uploads"),
    )  # fmt: skip
    assert result == {"status": 503, "body": {"database": "ok", "storage": "failing", "broker": "ok"}}


def test_object_storage_that_does_not_answer_answers_503(tmp_path):
    result = probe(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CELERY_BROKER_URL="filesystem://",
        FILE_STORAGE="s3", S3_BUCKET="prosessguiden", S3_ENDPOINT_URL="http://127.0.0.1:1",
        S3_ACCESS_KEY_ID="key", S3_SECRET_ACCESS_KEY="secret",
    )  # fmt: skip
    assert result == {"status": 503, "body": {"database": "ok", "storage": "failing", "broker": "ok"}}


def test_object_storage_that_answers_is_ok(tmp_path, seaweed):
    result = probe(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CELERY_BROKER_URL="filesystem://", **seaweed.env()
    )
    assert result == {"status": 200, "body": {"database": "ok", "storage": "ok", "broker": "ok"}}
    wrong_key = {**seaweed.env(), "S3_SECRET_ACCESS_KEY": "not-the-secret"}
    result = probe(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CELERY_BROKER_URL="filesystem://", **wrong_key)
    assert result["status"] == 503 and result["body"]["storage"] == "failing"
