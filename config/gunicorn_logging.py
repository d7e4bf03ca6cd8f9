"""gunicorn's logger with calendar tokens hidden and the client's real address (`client`) in the access log.

`remote` is the address the request came from (nginx: 127.0.0.1); `client` is the person's address, the
right-most X-Forwarded-For address that is not a trusted proxy (FORWARDED_ALLOW_IPS), as the log-in lockout
counts it (config/client_ip.py).
"""

from gunicorn.glogging import Logger

from config.client_ip import client_ip, trusted_networks
from config.redact import RedactFilter, redact


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        self._trusted = trusted_networks(cfg.forwarded_allow_ips)
        if not any(isinstance(f, RedactFilter) for f in self.error_log.filters):
            self.error_log.addFilter(RedactFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = {key: redact(value) for key, value in super().atoms(resp, req, environ, request_time).items()}
        atoms["client"] = client_ip(environ.get("REMOTE_ADDR"), environ.get("HTTP_X_FORWARDED_FOR"), self._trusted)
        return atoms
