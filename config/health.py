"""GET /healthz: is this instance able to serve? The database and the Celery broker must both answer.

200 with {"database": "ok", "broker": "ok"} when they do; 503 naming what failed when not. Meant for a
load balancer, a monitor or systemd; it needs no log-in and shows no data.
"""

import logging

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


def broker_ok() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("Health check: the Celery broker does not answer")
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_ok(), "broker": broker_ok()}
    body = {name: "ok" if ok else "failing" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


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
