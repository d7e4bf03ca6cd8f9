import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 20 + "-production-secret-for-the-check-only-0123456789",
    "ALLOWED_HOSTS": "prosessguiden.kommune.no",
    "DATABASE_URL": "postgres://prosessguiden@db.kommune.no:5432/prosessguiden",
    "CELERY_BROKER_URL": "redis://redis.kommune.no:6379/0",
    "EMAIL_URL": "smtp+tls://prosessguiden:secret@smtp.kommune.no:587",
}


def run_manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "EMAIL_URL",
            "EMAIL_BACKEND",
        )  # fmt: skip
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_keeps_database_connections_and_checks_them():
    code = "from django.conf import settings; d = settings.DATABASES['default']; "
    code += "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = run_manage("shell", "-v", "0", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "True"]
    result = run_manage("shell", "-v", "0", "-c", code, env={**PRODUCTION_ENV, "DB_CONN_MAX_AGE": "0"})
    assert result.stdout.split() == ["0", "True"]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Production needs SECRET_KEY and ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("DATABASE_URL", "DATABASE_URL"),
        ("CELERY_BROKER_URL", "CELERY_BROKER_URL"),
        ("EMAIL_URL", "EMAIL_URL"),
    ],
)
def test_production_refuses_to_fall_back_silently(missing, named):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Production needs these in the environment" in result.stderr and named in result.stderr


def test_production_refuses_sqlite_and_the_console_backend():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///var/prod.sqlite3", "EMAIL_URL": "", "EMAIL_BACKEND": ""}
    env["EMAIL_BACKEND"] = "django.core.mail.backends.console.EmailBackend"
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL (a PostgreSQL URL)" in result.stderr and "EMAIL_URL" in result.stderr


def test_celery_and_wsgi_default_to_the_same_settings():
    for module in ("config/celery.py", "config/wsgi.py", "config/asgi.py"):
        text = (ROOT / module).read_text()
        assert 'setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")' in text, module


def test_sessions_expire_after_inactivity_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_time_zone_is_oslo():
    from config.celery import app

    assert settings.TIME_ZONE == "Europe/Oslo"
    assert app.conf.timezone == "Europe/Oslo"


def test_uploads_live_outside_the_static_root():
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [
        Path(settings.STATIC_ROOT).resolve(),
        *[Path(d).resolve() for d in settings.STATICFILES_DIRS],
    ]:
        assert static not in media.parents and media != static
