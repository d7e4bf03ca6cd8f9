"""System checks for settings that must not be wrong in any environment (`manage.py check`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def sso_settings(app_configs, **kwargs):
    """Single sign-on without an issuer would accept tokens from any provider signed by an accepted key."""
    if not settings.OIDC_ENABLED:
        return []
    errors = []
    if not settings.OIDC_OP_ISSUER:
        errors.append(
            Error(
                "Single sign-on is on (OIDC_ENABLED) but OIDC_OP_ISSUER is empty: tokens from any issuer would be "
                "accepted.",
                hint="Set OIDC_OP_ISSUER to the provider's issuer (`manage.py oidc_settings <discovery URL>`).",
                id="prosessguiden.E001",
            )
        )
    missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_ID",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not getattr(settings, name)
    ]
    if missing:
        errors.append(
            Error(
                "Single sign-on is on (OIDC_ENABLED) but these are empty: " + ", ".join(missing) + ".",
                hint="`manage.py oidc_settings <discovery URL>` prints the provider's endpoints.",
                id="prosessguiden.E002",
            )
        )
    return errors
