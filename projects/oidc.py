"""Single sign-on with OpenID Connect (mozilla-django-oidc), e.g. Microsoft Entra ID.

Everything is configured through the environment (see config/settings/base.py and the README). The ID token
must be RS256-signed with a key from the provider's JWKS, addressed to our client id, unexpired, from
OIDC_OP_ISSUER (no issuer configured: nothing is accepted) and, where the provider has tenants (Entra ID's
`tid`), from ours; anything else is refused and the person is sent back to the log-in page with a message.
Who the person is, is decided by services.user_sso_sync: the token's issuer and subject once linked, never
the e-mail claim; see there for the first link, creation, names and roles. Log-out ends the provider's
session too when it has an end-session endpoint (OIDC_OP_END_SESSION_ENDPOINT).
"""

import logging
import re
from urllib.parse import urlencode

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
ENTRA_ISSUER = re.compile(
    r"^https://(?:login\.microsoftonline\.com|sts\.windows\.net)/([0-9a-fA-F-]{36})(?:/v2\.0)?/?$"
)


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


def tenant_id() -> str:
    """The tenant a token must come from: OIDC_OP_TENANT_ID, or the one in an Entra ID issuer's address."""
    if settings.OIDC_OP_TENANT_ID:
        return settings.OIDC_OP_TENANT_ID
    match = ENTRA_ISSUER.match(settings.OIDC_OP_ISSUER or "")
    return match.group(1) if match else ""


def email_domain_trusted(email: str) -> bool:
    domain = email.rpartition("@")[2].lower()
    return bool(domain) and domain in {d.strip().lower() for d in settings.OIDC_TRUSTED_EMAIL_DOMAINS if d.strip()}


class OIDCBackend(OIDCAuthenticationBackend):
    def get_token(self, payload):
        return super().get_token({**payload, "redirect_uri": callback_url()})

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED:
            return None
        try:
            user = super().authenticate(request, **kwargs)
        except ValidationError as exc:  # a rule of user_sso_sync: the person is told why
            logger.warning("Single sign-on refused: %s", "; ".join(exc.messages))
            if request is not None:
                request.sso_refusal = exc.messages[0]
            return None
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.RequestException) as exc:
            logger.warning("Single sign-on refused: %s", exc)
            return None
        if user is not None and getattr(self, "_id_token", None):
            request.session["oidc_id_token"] = self._id_token  # for the provider's end-session request
        return user

    def store_tokens(self, access_token, id_token):
        """Kept only once the person is let in (authenticate), not for a refused log-in."""
        self._id_token = id_token

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO}")
        if not settings.OIDC_OP_ISSUER:  # fail safe: the system check and production refuse this configuration
            raise SuspiciousOperation("OIDC_OP_ISSUER is not set: no token is accepted")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=settings.OIDC_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "aud", "iss", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc
        tenant = tenant_id()
        if tenant and claims.get("tid") != tenant:
            raise SuspiciousOperation(f"ID token from tenant {claims.get('tid')!r}, not {tenant!r}")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The verified ID token's claims, completed by the userinfo endpoint when one is configured. The
        userinfo answer must be about the same subject, and never replaces the token's iss, sub, aud or tid."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if str(info.get("sub", "")) != str(payload.get("sub")):
                raise SuspiciousOperation("The userinfo endpoint answered for another subject")
            claims.update({k: v for k, v in info.items() if k not in ("iss", "sub", "aud", "tid")})
        return claims

    @staticmethod
    def email_from(claims) -> str:
        for name in settings.OIDC_EMAIL_CLAIMS:
            value = claims.get(name)
            if isinstance(value, str) and "@" in value:
                return value.strip().lower()
        return ""

    @staticmethod
    def email_vouched(claims, email: str) -> bool:
        """A verified-e-mail claim that is true, or (Entra ID, whose tokens carry none by default) an address in
        one of the municipality's own domains (OIDC_TRUSTED_EMAIL_DOMAINS)."""
        verified = claims.get(settings.OIDC_EMAIL_VERIFIED_CLAIM)
        if verified is True or (isinstance(verified, str) and verified.lower() == "true"):
            return True
        return bool(email) and email_domain_trusted(email)

    @staticmethod
    def name_from(claims) -> str:
        name = claims.get("name") or " ".join(filter(None, [claims.get("given_name"), claims.get("family_name")]))
        return str(name or "").strip()

    @staticmethod
    def roles_from(claims) -> set[str] | None:
        mapping = parse_role_groups(settings.OIDC_ROLE_GROUPS)
        groups = claims.get(settings.OIDC_GROUPS_CLAIM)
        if not mapping or not isinstance(groups, list):
            return None
        held = {str(g) for g in groups}
        return {role for role, ids in mapping.items() if ids & held}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = self.email_from(claims)
        login = services.SsoLogin(
            issuer=str(payload["iss"]),
            subject=str(payload["sub"]),
            email=email,
            email_vouched=self.email_vouched(claims, email),
            full_name=self.name_from(claims),
            roles=self.roles_from(claims),
            admin_group_configured=bool(parse_role_groups(settings.OIDC_ROLE_GROUPS).get("admin")),
        )
        return services.user_sso_sync(login=login, create=settings.OIDC_CREATE_USER)


def end_session_url(id_token: str) -> str:
    """The provider's end-session address (RP-initiated log-out), back to our log-in page afterwards."""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": settings.SITE_URL + reverse("login"),
        }
    )
    separator = "&" if "?" in settings.OIDC_OP_END_SESSION_ENDPOINT else "?"
    return f"{settings.OIDC_OP_END_SESSION_ENDPOINT}{separator}{query}"


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
            getattr(self.request, "sso_refusal", None)
            or _("Single sign-on did not succeed. Try again, or contact the service desk if it keeps failing."),
        )
        return redirect(settings.LOGIN_URL)
