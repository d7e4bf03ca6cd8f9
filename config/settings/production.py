"""Production: secrets and hosts must come from the environment; nothing insecure is defaulted."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, logging_config

DEBUG = False

try:
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(f"Production needs SECRET_KEY and ALLOWED_HOSTS in the environment: {exc}") from exc
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS in the environment.")
if SECRET_KEY.startswith("insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")

# No silent fallbacks: the local defaults (SQLite, the filesystem broker, e-mail printed to the console) would
# lose data, tasks or invitations without anybody noticing.
_missing = []
if not env("DATABASE_URL", default="") or DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    _missing.append("DATABASE_URL (a PostgreSQL URL)")
if not env("CELERY_BROKER_URL", default="") or CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    _missing.append("CELERY_BROKER_URL (a Redis URL)")
if not (EMAIL_URL or env("EMAIL_BACKEND", default="")) or EMAIL_BACKEND.endswith(  # noqa: F405
    ("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")
):
    _missing.append("EMAIL_URL (or EMAIL_BACKEND with its settings)")
if _missing:
    raise ImproperlyConfigured("Production needs these in the environment: " + ", ".join(_missing) + ".")

# Persistent database connections: each gunicorn worker (and each thread of it) keeps its connection for
# DB_CONN_MAX_AGE seconds instead of opening one per request, and checks it before reuse, so a connection that
# PostgreSQL or a proxy closed meanwhile is replaced instead of failing the request. Size max_connections for
# nodes × WEB_CONCURRENCY × GUNICORN_THREADS + the Celery workers' concurrency + beat (docs/deploy.md §4).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=600)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Structured logs on stdout for journald or a log collector (LOG_FORMAT=text for plain lines).
LOGGING = logging_config(level=LOG_LEVEL, fmt=env("LOG_FORMAT", default="json"))  # noqa: F405
