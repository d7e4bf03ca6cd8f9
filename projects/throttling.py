"""Log-in throttling with django-axes, kept in PostgreSQL (axes' database handler), right behind proxies.

- The client's address is the right-most X-Forwarded-For address that is not a trusted proxy
  (`FORWARDED_ALLOW_IPS`), and only when the request comes from one (config/client_ip.py); axes reads it
  through AXES_CLIENT_IP_CALLABLE.
- A person is locked out from an address after AXES_FAILURE_LIMIT wrong passwords (axes' own rule, per
  e-mail and address); an address is locked out of password log-in after LOGIN_ADDRESS_FAILURE_LIMIT wrong
  passwords across all e-mail addresses (guessing many accounts from one place).
- Only password attempts count: a failed single sign-on callback is not a guessed password, and behind a
  municipal NAT counting it would lock everyone out of single sign-on (AXES_WHITELIST_CALLABLE).
"""

import functools

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

from config.client_ip import client_ip, trusted_networks


@functools.cache
def _networks(value: str):
    return trusted_networks(value)


def axes_client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address the lockout counts."""
    return client_ip(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        _networks(settings.FORWARDED_ALLOW_IPS),
    )


def not_a_password_attempt(request, credentials) -> bool:
    """AXES_WHITELIST_CALLABLE: single sign-on (no password in the credentials) is neither counted nor locked."""
    return not (credentials or {}).get("password")


class LoginThrottle(AxesDatabaseHandler):
    """axes' database handler, with a second limit per address across e-mail addresses."""

    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def get_failures(self, request, credentials=None) -> int:
        per_person = super().get_failures(request, credentials)
        if request.axes_ip_address and self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(per_person, get_failure_limit(request, credentials))  # the address is locked out
        return per_person
