"""Sign-in keeps working with Redis down (issue 27): sessions, the log-in lockout and its limits live in the
database, never in the cache, a process or a disk. The cache is pointed at a Redis port nobody listens on."""

import socket

import pytest
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from projects.throttling import LoginThrottle
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{dead_port()}/6"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = url
    with pytest.raises(Exception, match="(?i)connect"):
        cache.get("anything")  # the cache really is down
    return url


def test_sessions_and_the_lockout_are_kept_in_the_database():
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert django_settings.AXES_HANDLER == "projects.throttling.LoginThrottle"
    assert issubclass(LoginThrottle, AxesDatabaseHandler)


def test_password_log_in_works_with_redis_down(client, redis_down):
    user = UserFactory(email="kari@example.no")
    response = client.post(reverse("login"), {"username": "kari@example.no", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("projects:mine"))
    assert page.status_code == 200 and page.wsgi_request.user == user
    assert client.post(reverse("logout")).status_code == 302
    assert not client.get(reverse("projects:mine")).wsgi_request.user.is_authenticated


def test_the_lockout_works_with_redis_down(client, redis_down, settings):
    UserFactory(email="kari@example.no")
    statuses = [
        client.post(reverse("login"), {"username": "kari@example.no", "password": "feil"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the last wrong one locks
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT
    response = client.post(reverse("login"), {"username": "kari@example.no", "password": PASSWORD})
    assert response.status_code == 429


def test_single_sign_on_works_with_redis_down(client, redis_down, settings):
    from tests.projects.test_oidc import logged_in_user, sso_login, sso_turn_on
    from tests.support.oidc_provider import StubProvider

    with StubProvider() as provider:
        sso_turn_on(settings, provider)
        settings.OIDC_CREATE_USER = True
        response = sso_login(client, provider)
        assert response["Location"] == reverse("home")
        assert logged_in_user(client).email == "kari.nordmann@kommune.no"


def test_password_reset_is_saved_with_redis_down_and_waits_for_the_worker(
    client, redis_down, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from config.celery import app
    from projects.models import Job

    def use_broker(url):
        monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery reads it before its configuration
        app.conf.broker_url = url
        app._pool = None  # the connection pools were made for the broker of earlier tests
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    settings.CELERY_TASK_ALWAYS_EAGER = False
    broker = app.conf.broker_url
    app.conf.task_always_eager = False
    use_broker(redis_down)
    try:
        UserFactory(email="kari@example.no")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": "kari@example.no"})
    finally:
        app.conf.task_always_eager = True
        use_broker(broker)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    job = Job.objects.get(kind="auth.password_reset")
    assert job.woken_at is None  # the broker really did not take the wake-up
    assert job.state == Job.State.PENDING  # the sweep wakes it once Redis is back
