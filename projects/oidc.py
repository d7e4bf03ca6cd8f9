"""Single sign-on with OpenID Connect (mozilla-django-oidc), e.g. Microsoft Entra ID.

Everything is configured through the environment (see config/settings/base.py and the README). The ID token
must be RS256-signed with a key from the provider's JWKS, addressed to our client id, unexpired and, when
OIDC_OP_ISSUER is set, from that issuer; anything else is refused and the person is sent back to the log-in
page with a message. People are matched by e-mail (case-insensitive) or created; name and e-mail are
refreshed at every log-in; global roles follow the group claim when a mapping is configured.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import services

logger = logging.getLogger(__name__)


def parse_role_groups(value: str) -> dict[str, set[str]]:
    """'coordinator=<group id>,hr=<id>;<id>,admin=<id>' -> {'coordinator': {...}, ...}. Unknown roles refused."""
    mapping: dict[str, set[str]] = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        role, sep, ids = part.partition("=")
        role = role.strip()
        if not sep or role not in services.SSO_ROLES:
            raise ValueError(f"OIDC_ROLE_GROUPS: {part!r} is not <role>=<group id> with a role in {services.SSO_ROLES}")
        mapping.setdefault(role, set()).update(i.strip() for i in ids.split(";") if i.strip())
    return mapping


def callback_url() -> str:
    """The address the provider sends people back to: SITE_URL's, whatever host the log-in started on."""
    return settings.SITE_URL + reverse("oidc_authentication_callback")


class OIDCBackend(OIDCAuthenticationBackend):
    def get_token(self, payload):
        return super().get_token({**payload, "redirect_uri": callback_url()})

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.RequestException, ValidationError) as exc:
            logger.warning("Single sign-on refused: %s", exc)
            return None

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER or None,
                leeway=settings.OIDC_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_userinfo(self, access_token, id_token, payload):
        """The verified ID token's claims, completed by the userinfo endpoint when one is configured."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        return claims

    @staticmethod
    def email_from(claims) -> str:
        for name in settings.OIDC_EMAIL_CLAIMS:
            value = claims.get(name)
            if isinstance(value, str) and "@" in value:
                return value.strip().lower()
        return ""

    @staticmethod
    def name_from(claims) -> str:
        name = claims.get("name") or " ".join(filter(None, [claims.get("given_name"), claims.get("family_name")]))
        return str(name or "")

    @staticmethod
    def roles_from(claims) -> set[str] | None:
        mapping = parse_role_groups(settings.OIDC_ROLE_GROUPS)
        groups = claims.get(settings.OIDC_GROUPS_CLAIM)
        if not mapping or not isinstance(groups, list):
            return None
        held = {str(g) for g in groups}
        return {role for role, ids in mapping.items() if ids & held}

    def verify_claims(self, claims):
        return bool(self.email_from(claims))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=self.email_from(claims))

    def _sync(self, claims):
        return services.user_sso_sync(
            email=self.email_from(claims), full_name=self.name_from(claims), roles=self.roles_from(claims)
        )

    def create_user(self, claims):
        return self._sync(claims)

    def update_user(self, user, claims):
        return self._sync(claims)


def _require_enabled():
    if not settings.OIDC_ENABLED:
        raise Http404


class LoginStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's log-in page (404 while single sign-on is off)."""

    def get(self, request):
        _require_enabled()
        return super().get(request)

    def get_extra_params(self, request):
        return {**super().get_extra_params(request), "redirect_uri": callback_url()}


class LoginCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here; a refused log-in returns to our log-in page with a message."""

    def get(self, request):
        _require_enabled()
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # an unknown or replayed state
            logger.warning("Single sign-on refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _("Single sign-on did not succeed. Try again, or contact the service desk if it keeps failing."),
        )
        return redirect(settings.LOGIN_URL)
