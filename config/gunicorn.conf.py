"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Each value can be changed from the environment; the defaults suit a small server behind a TLS proxy.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core plus one, at most 8: pages are short; PDFs and reminders run in the Celery worker.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows into an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = 100
# The proxies in front (nginx, a load balancer) set X-Forwarded-Proto and X-Forwarded-For; trust them only from
# these addresses or networks (the log-in lockout reads the same variable, see config/client_ip.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Logs to stdout/stderr (journald collects them); the access log as one JSON object per line, with calendar
# tokens hidden in every line (config/gunicorn_logging.py) and `client` the person's address behind the proxies.
logger_class = "config.gunicorn_logging.RedactingLogger"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "client": "%(client)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"user_agent": "%(a)s"}'
)
# Load the application before forking: a broken configuration stops the start at once, with its message.
preload_app = True
