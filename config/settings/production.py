"""Production: secrets and hosts must come from the environment; nothing insecure is defaulted."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

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
# Every absolute link (e-mails, invitations, calendar addresses, the provider's redirect) starts with SITE_URL,
# and every e-mail comes from DEFAULT_FROM_EMAIL: the local defaults would send http://127.0.0.1:8000 links from
# prosessguiden@localhost.
if not env("SITE_URL", default=""):
    _missing.append("SITE_URL (https://<the public host name>)")
if not env("DEFAULT_FROM_EMAIL", default=""):
    _missing.append("DEFAULT_FROM_EMAIL (e.g. Prosessguiden <prosessguiden@kommune.no>)")
if _missing:
    raise ImproperlyConfigured("Production needs these in the environment: " + ", ".join(_missing) + ".")

# Persistent database connections: each gunicorn worker (and each thread of it) keeps its connection for
# DB_CONN_MAX_AGE seconds instead of opening one per request, and checks it before reuse, so a connection that
# PostgreSQL or a proxy closed meanwhile is replaced instead of failing the request. Size max_connections for
# nodes × WEB_CONCURRENCY × GUNICORN_THREADS + the Celery workers' concurrency + beat (docs/deploy.md §4).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=600)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

_site = urlsplit(SITE_URL)  # noqa: F405
if _site.scheme != "https" or not _site.hostname or _site.path or _site.query or _site.fragment:
    raise ImproperlyConfigured(
        f"SITE_URL must be the https:// address people open, without a path (e.g. https://prosessguiden.kommune.no),"
        f" not {SITE_URL!r}."  # noqa: F405
    )
if not validate_host(_site.hostname, ALLOWED_HOSTS):
    raise ImproperlyConfigured(f"SITE_URL's host {_site.hostname!r} is not one of ALLOWED_HOSTS.")

# Single sign-on fails safe: without the issuer, any provider's tokens signed by an accepted key would do.
if OIDC_ENABLED:  # noqa: F405
    _sso_missing = [
        name
        for name in (
            "OIDC_OP_ISSUER",
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _sso_missing:
        raise ImproperlyConfigured(
            "Single sign-on (OIDC_ENABLED) needs these in the environment: " + ", ".join(_sso_missing) + "."
            " `manage.py oidc_settings <discovery URL>` prints them."
        )

# One cache for every web process and node (docs/decisions.md: calendar feeds cached under a version).
if not env("CACHE_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CELERY_BROKER_URL,  # noqa: F405
            "KEY_PREFIX": "prosessguiden-cache",
        }
    }

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

# The archive (docs/deploy.md, "Archive"): with a transport set, what it needs must be there at start, not
# discovered by the first protocol that fails to leave. `manage.py check` says the same (archive/checks.py).
if ARCHIVE_TRANSPORT != "none":  # noqa: F405
    _archive_missing = []
    if ARCHIVE_TRANSPORT not in ("directory",):  # noqa: F405
        _archive_missing.append(f"ARCHIVE_TRANSPORT {ARCHIVE_TRANSPORT!r} is unknown (none, directory)")  # noqa: F405
    if ARCHIVE_TRANSPORT == "directory" and not ARCHIVE_DIRECTORY:  # noqa: F405
        _archive_missing.append("ARCHIVE_DIRECTORY (the drop folder)")
    for _name in ("ARCHIVE_SYSTEM", "ARCHIVE_PART", "ARCHIVE_CLASS_VALUE"):
        if not str(globals()[_name]).strip():
            _archive_missing.append(_name)
    if _archive_missing:
        raise ImproperlyConfigured(
            "ARCHIVE_TRANSPORT is set; the archive needs these in the environment: " + ", ".join(_archive_missing) + "."
        )
