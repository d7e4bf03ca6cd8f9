"""Print the OIDC_* environment lines for a provider, read from its discovery document.

    python manage.py oidc_settings https://login.microsoftonline.com/<tenant id>/v2.0/.well-known/openid-configuration

Run it once when setting up; paste the lines into the environment file. The application itself never
fetches the discovery document, so a provider outage cannot stop it from starting. Besides the four endpoints
every provider has, it prints the userinfo endpoint (needed when the ID token lacks the e-mail address or name)
and the end-session endpoint (log-out ends the provider's session) when the provider has them.
"""

import requests
from django.core.management.base import BaseCommand, CommandError

FIELDS = {
    "OIDC_OP_ISSUER": "issuer",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
OPTIONAL = {
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_END_SESSION_ENDPOINT": "end_session_endpoint",
}


class Command(BaseCommand):
    help = "Print OIDC_* environment lines from a provider's discovery document (.well-known/openid-configuration)."

    def add_arguments(self, parser):
        parser.add_argument("discovery_url")

    def handle(self, discovery_url, **options):
        try:
            response = requests.get(discovery_url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise CommandError(f"Could not read {discovery_url}: {exc}") from exc
        missing = [key for key in FIELDS.values() if not document.get(key)]
        if missing:
            raise CommandError(f"The discovery document lacks {', '.join(missing)}.")
        if "RS256" not in document.get("id_token_signing_alg_values_supported", ["RS256"]):
            raise CommandError("The provider does not sign ID tokens with RS256.")
        for name, key in FIELDS.items():
            self.stdout.write(f"{name}={document[key]}")
        for name, key in OPTIONAL.items():
            if document.get(key):
                self.stdout.write(f"{name}={document[key]}")
            else:
                self.stdout.write(f"# {name}: the provider has none ({key} is not in its discovery document)")
