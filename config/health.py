"""GET /healthz: can this node serve? The database and the file storage must answer; the broker is reported.

200 with {"database": "ok", "storage": "ok", "broker": "ok"} when all answer; 503 naming what failed when the
database or the storage does not. A broker (Redis) that does not answer is shown as "failing" but keeps the
answer 200: requests never need the broker (deferred work is a row in the database, and the worker picks it up
when the broker is back), so a load balancer must not take every node out because Redis restarts.
Meant for a load balancer, a monitor or systemd; it needs no log-in and shows no data.
"""

import logging
import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False


def storage_ok() -> bool:
    """The local folder can be written to (or created), or the object storage answers a look-up in the bucket."""
    try:
        storage = storages["default"]
        if isinstance(storage, FileSystemStorage):
            folder = Path(storage.location)
            while not folder.exists():
                folder = folder.parent
            if not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
                raise PermissionError(f"{storage.location} cannot be written to")
        else:
            storage.exists("healthz")  # an authenticated request to the bucket; a missing key is an answer too
        return True
    except Exception:
        logger.exception("Health check: the file storage does not answer")
        return False


def broker_ok() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.warning("Health check: the Celery broker does not answer; work waits in the database", exc_info=True)
        return False


@never_cache
@require_GET
def healthz(request):
    required = {"database": database_ok(), "storage": storage_ok()}
    checks = {**required, "broker": broker_ok()}
    body = {name: "ok" if ok else "failing" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if all(required.values()) else 503)


class HealthCheckMiddleware:
    """Answers /healthz before host validation, HTTPS redirect and sessions.

    A monitor on the server itself can then ask http://127.0.0.1:8000/healthz without the public host name.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)
