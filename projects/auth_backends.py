"""E-mail and password log-in, which an installation with single sign-on can switch off."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    """Django's password check, refused while LOCAL_LOGIN_ENABLED is off (the admin's log-in included).

    Permissions still come from this backend either way: only `authenticate` is switched.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
