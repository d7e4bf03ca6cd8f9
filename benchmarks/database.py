"""A database made for one benchmark run and dropped after it, whatever happens.

PostgreSQL when DATABASE_URL points at it (a new database `bench_<pid>` on that server), else an SQLite file
under var/. `kept_database(name)` instead keeps the database, so the 2 000 projects are built once. Imported
before Django is set up: it only sets DATABASE_URL for the settings to read.
"""

import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

VAR = Path(__file__).resolve().parents[1] / "var"


@contextlib.contextmanager
def kept_database(name):
    """A PostgreSQL database `name` (or SQLite file var/<name>.sqlite3) kept between runs: built once, timed
    many times. Yields (description, exists_before)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        parts = urlsplit(url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as connection:
            existed = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not existed:
                connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        yield f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{name} (kept)", bool(existed)
    else:
        VAR.mkdir(exist_ok=True)
        path = VAR / f"{name}.sqlite3"
        existed = path.exists()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        yield f"SQLite {path.relative_to(VAR.parent)} (kept)", existed
    _close_django_connections()


@contextlib.contextmanager
def throwaway_database():
    url = os.environ.get("DATABASE_URL", "")
    name = f"bench_{os.getpid()}"
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        parts = urlsplit(url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        bench_url = urlunsplit(parts._replace(path=f"/{name}"))
        _pg(admin_url, f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = bench_url
        try:
            yield f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{name} (dropped afterwards)"
        finally:
            _close_django_connections()
            _pg(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            os.environ["DATABASE_URL"] = url
    else:
        VAR.mkdir(exist_ok=True)
        path = VAR / f"{name}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        try:
            yield f"SQLite {path.relative_to(VAR.parent)} (deleted afterwards)"
        finally:
            _close_django_connections()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            if url:
                os.environ["DATABASE_URL"] = url
            else:
                os.environ.pop("DATABASE_URL", None)


def _pg(admin_url, sql):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql)


def _close_django_connections():
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: S110  (Django was never set up: nothing to close)
        pass
