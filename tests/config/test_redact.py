"""Calendar tokens stay out of logs and error reports: gunicorn's access and error logs, Django's request
logging, the JSON log lines and Sentry events."""

import io
import json
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from gunicorn.config import Config
from gunicorn.glogging import SafeAtoms

from config.gunicorn_logging import RedactingLogger
from config.logging import JsonFormatter, logging_config
from config.redact import RedactFilter, redact, sentry_before_send

TOKEN = "sEcReT-t0ken_abcdefghijklmnopqrstuvwxyz0123456789"
ROOT = Path(__file__).resolve().parents[2]


def test_redact_hides_both_feed_addresses_and_nothing_else():
    assert redact(f"GET /calendar/{TOKEN}.ics HTTP/1.1") == "GET /calendar/***.ics HTTP/1.1"
    assert redact(f"https://x.no/calendar/{TOKEN}/17.ics?a=1") == "https://x.no/calendar/***/17.ics?a=1"
    assert redact("/calendar/new-address/") == "/calendar/new-address/"
    assert redact("/calendar/") == "/calendar/"
    assert redact(7) == 7


def access_line(environ):
    """The access log line gunicorn writes with our config file's format and logger class."""
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("forwarded_allow_ips", "127.0.0.1,10.0.0.5")
    logger = RedactingLogger(cfg)
    resp = SimpleNamespace(status="200 OK", sent=120, headers=[])
    req = SimpleNamespace(headers=[("USER-AGENT", "Outlook")])
    base = {"REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": "", "HTTP_USER_AGENT": "Outlook"}
    atoms = logger.atoms(resp, req, {**base, **environ}, timedelta(milliseconds=12))
    assert conf["logger_class"] == "config.gunicorn_logging.RedactingLogger"
    return conf["access_log_format"] % SafeAtoms(atoms), atoms


def test_gunicorn_access_log_hides_the_token_and_names_the_client_behind_the_proxies():
    path = f"/calendar/{TOKEN}/3.ics"
    line, atoms = access_line(
        {
            "PATH_INFO": path,
            "RAW_URI": path + "?x=1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.44, 10.0.0.5",
            "HTTP_REFERER": f"https://x.no{path}",
        }
    )
    entry = json.loads(line)
    assert entry["path"] == "/calendar/***/3.ics"
    assert entry["client"] == "192.0.2.44" and entry["remote"] == "127.0.0.1"
    assert TOKEN not in line and not any(TOKEN in str(v) for v in atoms.values())


def test_gunicorn_error_log_hides_the_token():
    logger = RedactingLogger(Config())
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.error_log.addHandler(handler)
    try:
        logger.error("Error handling request %s", f"/calendar/{TOKEN}.ics")
    finally:
        logger.error_log.removeHandler(handler)
    assert "/calendar/***.ics" in stream.getvalue() and TOKEN not in stream.getvalue()


@pytest.mark.django_db
def test_django_request_log_hides_the_token_of_a_feed_that_is_not_found(client):
    """Django logs every 404 ('Not Found: <path>') with the request; the console handler filters it."""
    config = logging_config(level="INFO", fmt="json")
    assert config["handlers"]["console"]["filters"] == ["redact"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        assert client.get(reverse("calendar_feed", args=[TOKEN])).status_code == 404
    finally:
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["message"] == "Not Found: /calendar/***.ics"
    assert entry["path"] == "/calendar/***.ics"
    assert TOKEN not in stream.getvalue()


def test_sentry_events_hide_the_token():
    event = {
        "request": {"url": f"https://x.no/calendar/{TOKEN}.ics", "headers": {"Referer": f"/calendar/{TOKEN}/2.ics"}},
        "transaction": "/calendar/{token}.ics",
        "breadcrumbs": {"values": [{"message": f"GET /calendar/{TOKEN}.ics"}]},
        "exception": {"values": [{"value": f"boom at /calendar/{TOKEN}.ics", "stacktrace": {"frames": []}}]},
    }
    assert TOKEN not in json.dumps(sentry_before_send(event, {}))
    assert sentry_before_send(event, {})["request"]["url"] == "https://x.no/calendar/***.ics"
