"""Personal links: a link's token is HMAC(SECRET_KEY, nonce); the row keeps the nonce (to put the link in an
e-mail from the worker) and the token's SHA-256 (to find the row from the link), never the token itself. The
token travels only in the e-mail and in the link's path (`/answer/<token>/`), which config/redact.py hides in
every log line and error report."""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings


def new_nonce() -> str:
    return secrets.token_hex(16)


def token_for(nonce: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"surveys.link:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(nonce: str) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("surveys:answer", args=[token_for(nonce)])
