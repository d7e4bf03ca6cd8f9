"""The services CI runs against. Locally, without them, these skip; with REQUIRE_SERVICES=1 they fail."""

import os

import pytest
from django.db import connection


def test_database_is_the_one_configured(db):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("DATABASE_URL does not name PostgreSQL; the suite runs on SQLite")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        assert cursor.fetchone() == (1,)


def test_celery_broker_answers():
    from config.celery import app

    url = app.conf.broker_url
    if not url.startswith("redis"):
        pytest.skip("CELERY_BROKER_URL does not name Redis; the filesystem broker is used")
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2)
        assert conn.connected
