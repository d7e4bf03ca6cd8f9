"""Settings shared by every environment. What differs between machines comes from the environment."""

import datetime
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.client_ip import trusted_networks
from config.logging import logging_config
from config.sentry import init_sentry
from config.storage import default_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "projects",
    "phases",
    "workproducts",
    "space",
    "participation",
    "evaluation",
    "surveys",  # employee surveys and comment rounds: above evaluation (its figures and measures)
    "toolbox",  # issue 28: the coordinators' toolbox, above phases
    "lessons",  # issue 28: lessons learned across projects, above phases
    "archive",  # sends the records to the municipality's archive (Fiks Arkiv); above evaluation
    "dashboard",  # above the domain apps: the coordinators' overview reads them all
]

MIDDLEWARE = [
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "projects.middleware.UserLanguageMiddleware",
    "projects.middleware.StoredFileErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "projects.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (postgres://… in production and CI).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"].endswith("postgresql") and not env.bool("DB_JIT", default=False):
    # PostgreSQL compiles a query with LLVM when its estimated cost passes jit_above_cost (100 000). Our queries
    # are short, but a few with OR'd EXISTS or a long list of ids are costed high: the representative's inbox
    # count in the top bar at 20 000 projects ran 90 ms and compiled 920 ms. Off for the application's
    # connections (DB_JIT=true gives it back); behind PgBouncer, which refuses this start-up parameter, set it on
    # the database instead (docs/deploy.md §4, docs/decisions.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (calendar feeds and their projects' stamps): memory of one process locally; production shares one
# (CACHE_URL, else the Redis of CELERY_BROKER_URL), so that a change seen by one process reaches every feed.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # The calendar keeps a stamp per project (a representative of 20 000 projects has 20 000): with the default
    # 300 entries the stamps were culled on every request, each feed's version was new and the feed was built
    # again every time (make bench measured no kept feed). Redis, in production, has no such count.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1_000_000)

AUTH_USER_MODEL = "projects.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "projects.auth_backends.LocalPasswordBackend",
    "projects.oidc.OIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with OpenID Connect (e.g. Microsoft Entra ID); see the README. Off unless OIDC_ENABLED.
# With LOCAL_LOGIN_ENABLED off, e-mail and password log-in (and password reset) are refused everywhere.
LOCAL_LOGIN_ENABLED = env.bool("LOCAL_LOGIN_ENABLED", default=True)
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="")  # shown on the button, e.g. "Bergen kommune"
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
# Optional: the userinfo endpoint, for providers whose ID token lacks the e-mail address, name or groups.
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
# Optional: the provider's end-session endpoint; log-out then ends the provider's session too.
OIDC_OP_END_SESSION_ENDPOINT = env("OIDC_OP_END_SESSION_ENDPOINT", default="")
# Tokens must carry this tenant (`tid`); for an Entra ID issuer it is read from the issuer's address.
OIDC_OP_TENANT_ID = env("OIDC_OP_TENANT_ID", default="")
# The first log-in links an existing account by e-mail only when the provider vouches for the address: this
# claim is true, or the address is in one of these domains (the municipality's own; Entra ID sends no claim).
OIDC_EMAIL_VERIFIED_CLAIM = env("OIDC_EMAIL_VERIFIED_CLAIM", default="email_verified")
OIDC_TRUSTED_EMAIL_DOMAINS = env.list("OIDC_TRUSTED_EMAIL_DOMAINS", default=[])
OIDC_EMAIL_CLAIMS = env.list("OIDC_EMAIL_CLAIMS", default=["email", "preferred_username", "upn"])
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
# coordinator=<group id>,hr=<group id>,admin=<group id>: superuser status comes from single sign-on only
# through an admin group named here; without one, single sign-on never changes it.
OIDC_ROLE_GROUPS = env("OIDC_ROLE_GROUPS", default="")
OIDC_LEEWAY_SECONDS = env.int("OIDC_LEEWAY_SECONDS", default=60)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_USE_PKCE = True
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=False)  # off: only invited people may log in

# Sessions end after a period without activity (default 8 hours) and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie; kept default for clarity.
# The language switch's cookie: no script reads it; production marks it Secure like the others.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes, in the database: projects/throttling.py). A person is locked out from an address
# after AXES_FAILURE_LIMIT wrong passwords; an address after LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords across
# e-mail addresses; both for AXES_COOLOFF_TIME hours. Single sign-on attempts are not counted.
AXES_HANDLER = "projects.throttling.LoginThrottle"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "projects.auth_forms.axes_username"  # the e-mail, normalised as log-in matches it
AXES_USERNAME_FORM_FIELD = "username"  # the login form field; the user model's USERNAME_FIELD is email
AXES_CLIENT_IP_CALLABLE = "projects.throttling.axes_client_ip"
AXES_WHITELIST_CALLABLE = "projects.throttling.not_a_password_attempt"
# The proxies in front (a load balancer, nginx), by address or network: X-Forwarded-For is believed only from
# them, and the client is the right-most address in it that is not one of them (config/client_ip.py). gunicorn
# reads the same variable for X-Forwarded-Proto.
FORWARDED_ALLOW_IPS = env("FORWARDED_ALLOW_IPS", default="127.0.0.1,::1")
try:
    trusted_networks(FORWARDED_ALLOW_IPS)
except ValueError as exc:
    raise ImproperlyConfigured(f"FORWARDED_ALLOW_IPS: {exc}") from exc
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Password reset: at most PASSWORD_RESET_EMAIL_LIMIT e-mails an hour to one address, and at most
# PASSWORD_RESET_ADDRESS_LIMIT requests an hour from one client address (kept in the database for a day).
PASSWORD_RESET_EMAIL_LIMIT = env.int("PASSWORD_RESET_EMAIL_LIMIT", default=3)
PASSWORD_RESET_ADDRESS_LIMIT = env.int("PASSWORD_RESET_ADDRESS_LIMIT", default=10)

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
# Uploads live outside the static root and are served only through views that check access. They are kept
# in MEDIA_ROOT on this machine unless FILE_STORAGE=s3 or azure puts them in object storage (config/storage.py;
# needed as soon as more than one machine runs the web or the worker).
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": default_storage_from_env(env),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))  # for the file backend
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Prosessguiden <prosessguiden@localhost>")
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))

# Celery: a filesystem broker under var/ unless CELERY_BROKER_URL names Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _celery_dir = Path(env("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "celery")))
    _broker_dir = _celery_dir / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    (_celery_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
CELERY_TIMEZONE = "Europe/Oslo"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task's message is acknowledged when the task has finished, and given back to the broker when its worker
# process dies (the Celery documentation's advice for idempotent tasks); one message at a time per process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A web request sends at most a wake-up; when Redis does not answer it must give up within seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 0}
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
# The outbox (projects.outbox): a running job's lease (extended while it runs, so a dead worker's job is
# claimed again after at most this long), the pause before the first retry (doubling up to an hour), how
# long a woken job may wait before it is woken again, how often the sweep runs, and when a page calls a
# piece of work late.
OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS", default=60)
OUTBOX_RETRY_SECONDS = env.float("OUTBOX_RETRY_SECONDS", default=30)
OUTBOX_REWAKE_SECONDS = env.float("OUTBOX_REWAKE_SECONDS", default=120)
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=30)
OUTBOX_LATE_SECONDS = env.float("OUTBOX_LATE_SECONDS", default=60)
# The reminder scan (projects.tasks.reminders_scan) runs every REMINDER_SCAN_MINUTES; daily digests go out at
# the first scan from REMINDER_DIGEST_HOUR o'clock, Europe/Oslo. Every absolute link (e-mails, invitations, password
# reset, calendar addresses, the single sign-on redirect) starts with SITE_URL, never with a request's host;
# production requires it (https).
REMINDER_SCAN_MINUTES = env.float("REMINDER_SCAN_MINUTES", default=15)
REMINDER_DIGEST_HOUR = env.int("REMINDER_DIGEST_HOUR", default=7)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CELERY_BEAT_SCHEDULE = {
    "reminders-scan": {
        "task": "projects.tasks.reminders_scan",
        "schedule": timedelta(minutes=REMINDER_SCAN_MINUTES),
    },
    "outbox-sweep": {
        "task": "projects.tasks.jobs_sweep",
        "schedule": timedelta(seconds=OUTBOX_SWEEP_SECONDS),
    },
}

# The archive (Fiks Arkiv, the `archive` app; docs/deploy.md "Archive"). ARCHIVE_TRANSPORT `none` sends nothing
# (archivings wait in the queue); `directory` writes each message as a folder in ARCHIVE_DIRECTORY and reads the
# receipts from its `receipts/`. The message names this system, the archive part (arkivdel) and the class
# (ordningsprinsipp/ordningsverdi) of the case folders it creates. ARCHIVE_SCREENING is the default screening per
# kind of document ({"evaluation-report": ["13", "Offl. § 13 jf. fvl. § 13"]}), which coordinators change on the
# archive's page. The worker reads receipts and sends what waits every ARCHIVE_POLL_SECONDS; an archiving still
# not sent ARCHIVE_OVERDUE_HOURS after it was queued is listed on Oversikt; a failing transport is tried
# ARCHIVE_MAX_ATTEMPTS times.
ARCHIVE_TRANSPORT = env("ARCHIVE_TRANSPORT", default="none")
ARCHIVE_DIRECTORY = env("ARCHIVE_DIRECTORY", default="")
ARCHIVE_SYSTEM = env("ARCHIVE_SYSTEM", default="Prosessguiden")
ARCHIVE_PART = env("ARCHIVE_PART", default="")
ARCHIVE_CLASS_SYSTEM = env("ARCHIVE_CLASS_SYSTEM", default="")
ARCHIVE_CLASS_VALUE = env("ARCHIVE_CLASS_VALUE", default="")
ARCHIVE_SCREENING = env.json("ARCHIVE_SCREENING", default={})
ARCHIVE_POLL_SECONDS = env.float("ARCHIVE_POLL_SECONDS", default=60)
ARCHIVE_OVERDUE_HOURS = env.float("ARCHIVE_OVERDUE_HOURS", default=24)
ARCHIVE_MAX_ATTEMPTS = env.int("ARCHIVE_MAX_ATTEMPTS", default=5)
CELERY_BEAT_SCHEDULE["archive-poll"] = {
    "task": "archive.tasks.archive_poll",
    "schedule": timedelta(seconds=ARCHIVE_POLL_SECONDS),
}

# Content Security Policy: scripts and styles from this host only, nothing inline for scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs go to stdout: plain lines locally, one JSON object per line in production (LOG_FORMAT=json|text).
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = logging_config(level=LOG_LEVEL, fmt=env("LOG_FORMAT", default="text"))

# Error reporting to Sentry or a Sentry-compatible service, only when SENTRY_DSN is set.
SENTRY_ENABLED = init_sentry(env)

PAGINATE_BY = 50

# Personal data: completed projects keep names, e-mail addresses and free text for this many years after
# completion; `manage.py anonymise_completed_projects` then removes them (sign-off facts stay).
RETENTION_YEARS = env.int("RETENTION_YEARS", default=10)
# Survey figures (counts included) are shown only for groups of at least this many answers; never below 5.
SURVEY_MIN_GROUP = max(5, env.int("SURVEY_MIN_GROUP", default=5))
# Shown on the privacy and accessibility pages: where people send requests and reports.
CONTACT_EMAIL = env("CONTACT_EMAIL", default="") or DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip()
ACCESSIBILITY_REVIEWED = datetime.date.fromisoformat(env("ACCESSIBILITY_REVIEWED", default="2026-11-30"))
