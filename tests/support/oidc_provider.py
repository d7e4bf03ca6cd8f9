"""A tiny OpenID Connect provider on 127.0.0.1 for tests: discovery, JWKS, token and userinfo endpoints.

The test decides what the next ID token says (`claims`) and which key signs it (`signing_key`); the JWKS
always publishes `key`'s public half under `kid`.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class StubProvider:
    kid = "test-key-1"

    def __init__(self):
        self.key = new_key()
        self.signing_key = self.key
        self.claims = {}
        self.userinfo = {}  # what the userinfo endpoint answers (a strict provider keeps the e-mail and name there)
        self.token_requests = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    self._json(provider.discovery())
                elif self.path == "/userinfo":
                    if self.headers.get("Authorization") != "Bearer access":
                        self._json({"error": "invalid_token"}, 401)
                    else:
                        self._json(provider.userinfo)
                elif self.path == "/jwks":
                    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key(), as_dict=True)
                    self._json({"keys": [{**jwk, "kid": provider.kid, "alg": "RS256", "use": "sig"}]})
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                provider.token_requests.append(self.rfile.read(length).decode())
                if self.path != "/token":
                    self._json({"error": "not_found"}, 404)
                    return
                id_token = jwt.encode(
                    provider.claims, provider.signing_key, algorithm="RS256", headers={"kid": provider.kid}
                )
                self._json({"access_token": "access", "token_type": "Bearer", "expires_in": 3600, "id_token": id_token})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "end_session_endpoint": f"{self.url}/logout",
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
