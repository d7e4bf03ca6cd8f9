"""Log-in throttling behind proxies: the lockout counts the client's address, which is the right-most
X-Forwarded-For address that is not a trusted proxy, and only when the request comes from one."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from config.client_ip import client_ip, trusted_networks
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NGINX = "127.0.0.1"


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        ("192.0.2.7", None, "127.0.0.1", "192.0.2.7"),  # no proxy
        ("192.0.2.7", "203.0.113.1", "127.0.0.1", "192.0.2.7"),  # not from a proxy: the header is ignored
        ("127.0.0.1", "192.0.2.7", "127.0.0.1", "192.0.2.7"),  # nginx
        ("127.0.0.1", "203.0.113.1, 192.0.2.7", "127.0.0.1", "192.0.2.7"),  # a forged left-most is ignored
        ("127.0.0.1", "203.0.113.1, 192.0.2.7, 10.0.0.5", "127.0.0.1,10.0.0.0/24", "192.0.2.7"),  # balancer + nginx
        ("127.0.0.1", "203.0.113.1, 192.0.2.7, 10.0.0.5", "127.0.0.1", "10.0.0.5"),  # the balancer not trusted
        ("::1", "2001:db8::9", "127.0.0.1,::1", "2001:db8::9"),
        ("127.0.0.1", "10.0.0.5, 127.0.0.1", "127.0.0.1,10.0.0.0/24", "10.0.0.5"),  # all hops trusted
        ("127.0.0.1", "192.0.2.7, not-an-address", "127.0.0.1", "127.0.0.1"),
        ("127.0.0.1", "[2001:db8::9]:4431, 192.0.2.7:5000", "127.0.0.1", "192.0.2.7"),
    ],
)
def test_client_is_the_rightmost_address_that_is_not_a_trusted_proxy(remote, forwarded, trusted, client):
    assert client_ip(remote, forwarded, trusted_networks(trusted)) == client


def test_a_wildcard_for_trusted_proxies_is_refused():
    with pytest.raises(ValueError, match="not '\\*'"):
        trusted_networks("*")


def fail(client, email, **via):
    return client.post(reverse("login"), {"username": email, "password": "feil"}, **via)


def log_in(client, email, **via):
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD}, **via)
    ok = "_auth_user_id" in client.session
    client.logout()
    return response.status_code, ok


def via_proxy(address, forged=""):
    """A request through nginx on this machine: nginx appends the address it saw to what the client sent."""
    return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": f"{forged}, {address}" if forged else address}


def test_behind_nginx_a_lockout_hits_the_address_that_failed_not_everyone(client, settings):
    UserFactory(email="kari@example.no")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "kari@example.no", **via_proxy("192.0.2.66"))
    assert log_in(client, "kari@example.no", **via_proxy("192.0.2.66")) == (429, False)
    assert log_in(client, "kari@example.no", **via_proxy("192.0.2.10")) == (302, True)  # Kari at her desk
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.66"}


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, settings):
    UserFactory(email="kari@example.no")
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "kari@example.no", **via_proxy("192.0.2.66", forged=f"203.0.113.{n}"))
    assert log_in(client, "kari@example.no", **via_proxy("192.0.2.66", forged="203.0.113.200")) == (429, False)


def test_the_forwarded_address_counts_only_from_the_trusted_proxy(client, settings):
    """A client that reaches gunicorn directly cannot choose its address by writing the header."""
    UserFactory(email="kari@example.no")
    direct = {"REMOTE_ADDR": "198.51.100.5"}
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "kari@example.no", **direct, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.5"}
    assert log_in(client, "kari@example.no", **direct, HTTP_X_FORWARDED_FOR="203.0.113.99") == (429, False)


def test_two_hops_balancer_and_nginx(client, settings):
    settings.FORWARDED_ALLOW_IPS = "127.0.0.1,::1,10.0.0.0/24"
    UserFactory(email="kari@example.no")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "kari@example.no", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.1, 192.0.2.66, 10.0.0.5")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["192.0.2.66"]
    assert log_in(client, "kari@example.no", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="192.0.2.10, 10.0.0.6") == (
        302,
        True,
    )


def test_many_user_names_from_one_address_lock_that_address(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    UserFactory(email="kari@example.no")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):  # never the same name twice: the per-person rule sleeps
        fail(client, f"person{n}@example.no", **via_proxy("192.0.2.66"))
    response = fail(client, "person99@example.no", **via_proxy("192.0.2.66"))
    assert response.status_code == 429
    assert "sperret fra din adresse" in response.content.decode()
    assert log_in(client, "kari@example.no", **via_proxy("192.0.2.66")) == (429, False)
    assert log_in(client, "kari@example.no", **via_proxy("192.0.2.10")) == (302, True)


def test_a_success_does_not_clear_the_address_count(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    UserFactory(email="kari@example.no")
    for n in range(5):
        fail(client, f"person{n}@example.no", **via_proxy("192.0.2.66"))
    assert log_in(client, "kari@example.no", **via_proxy("192.0.2.66")) == (302, True)
    fail(client, "person9@example.no", **via_proxy("192.0.2.66"))
    assert log_in(client, "kari@example.no", **via_proxy("192.0.2.66")) == (429, False)
