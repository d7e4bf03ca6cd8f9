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
    "SITE_URL": "https://prosessguiden.kommune.no",
    "DEFAULT_FROM_EMAIL": "Prosessguiden <prosessguiden@kommune.no>",
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
            "SITE_URL",
            "DEFAULT_FROM_EMAIL",
            "FORWARDED_ALLOW_IPS",
        )  # fmt: skip
        and not k.startswith("OIDC_")
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
        ("SITE_URL", "SITE_URL (https://"),
        ("DEFAULT_FROM_EMAIL", "DEFAULT_FROM_EMAIL (e.g."),
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


@pytest.mark.parametrize(
    "site_url",
    ["http://prosessguiden.kommune.no", "https://prosessguiden.kommune.no/app", "https://", "prosessguiden.kommune.no"],
)
def test_production_refuses_a_site_url_that_is_not_the_https_address(site_url):
    result = run_manage("check", env={**PRODUCTION_ENV, "SITE_URL": site_url})
    assert result.returncode != 0
    assert "SITE_URL must be the https:// address people open" in result.stderr


def test_production_refuses_a_site_url_on_another_host():
    result = run_manage("check", env={**PRODUCTION_ENV, "SITE_URL": "https://elsewhere.example.org"})
    assert result.returncode != 0
    assert "SITE_URL's host 'elsewhere.example.org' is not one of ALLOWED_HOSTS" in result.stderr


SSO_ENV = {
    "OIDC_ENABLED": "1",
    "OIDC_OP_ISSUER": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0",
    "OIDC_RP_CLIENT_ID": "prosessguiden",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.microsoftonline.com/t/oauth2/v2.0/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.microsoftonline.com/t/oauth2/v2.0/token",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.microsoftonline.com/t/discovery/v2.0/keys",
}


def test_production_with_sso_starts_when_the_issuer_is_set():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, **SSO_ENV})
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_with_sso_refuses_to_start_without_an_issuer():
    env = {**PRODUCTION_ENV, **SSO_ENV, "OIDC_OP_ISSUER": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Single sign-on (OIDC_ENABLED) needs these in the environment: OIDC_OP_ISSUER." in result.stderr


def test_system_check_reports_sso_without_an_issuer():
    """Outside production (local settings) nothing refuses to start, but `manage.py check` fails."""
    env = {**SSO_ENV, "OIDC_OP_ISSUER": "", "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "prosessguiden.E001" in result.stderr and "tokens from any issuer would be accepted" in result.stderr
    assert run_manage("check", env={**SSO_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.local"}).returncode == 0


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
