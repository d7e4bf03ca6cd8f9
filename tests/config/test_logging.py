"""Production logs are one JSON object per line on stdout; Sentry reporting starts only with SENTRY_DSN."""

import json
import logging

import environ

from config.logging import JsonFormatter, logging_config
from config.sentry import init_sentry


def test_json_formatter_writes_one_object_per_record():
    record = logging.makeLogRecord(
        {
            "name": "projects",
            "levelno": logging.WARNING,
            "levelname": "WARNING",
            "msg": "Kari %s",
            "args": ("logget inn",),
        }
    )
    record.project_id = 7
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "projects"
    assert entry["message"] == "Kari logget inn"
    assert entry["project_id"] == 7
    assert "\\n" not in line and "\n" not in line


def test_exceptions_stay_inside_the_json_line():
    try:
        raise ValueError("brudd")
    except ValueError:
        import sys

        record = logging.makeLogRecord({"msg": "feil", "levelname": "ERROR", "exc_info": sys.exc_info()})
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: brudd" in entry["exception"]


def test_production_config_logs_json_to_stdout():
    config = logging_config(level="INFO", fmt="json")
    assert config["handlers"]["console"]["stream"] == "ext://sys.stdout"
    assert config["formatters"]["default"] == {"()": "config.logging.JsonFormatter"}


def test_sentry_is_off_without_a_dsn(monkeypatch):
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    assert init_sentry(environ.Env()) is False


def test_errors_reach_a_sentry_compatible_service_when_configured(tmp_path):
    """A stub ingest endpoint on 127.0.0.1 receives the error an unhandled exception produces."""
    import os
    import subprocess
    import sys
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path

    received = []

    class Ingest(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                import gzip

                body = gzip.decompress(body)
            elif encoding == "br":
                import brotli

                body = brotli.decompress(body)
            received.append((self.path, body))
            self.send_response(200)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    script = (
        "import django, sentry_sdk\n"
        "django.setup()\n"
        "try:\n"
        "    raise RuntimeError('prosessguiden-sentry-probe')\n"
        "except RuntimeError as exc:\n"
        "    sentry_sdk.capture_exception(exc)\n"
        "sentry_sdk.flush(10)\n"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=Path(__file__).resolve().parents[2],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_address[1]}/42",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert any(path.startswith("/api/42/") and b"prosessguiden-sentry-probe" in body for path, body in received)


def test_rendering_a_pdf_logs_no_weasyprint_progress(caplog):
    """The worker's log holds what happened to documents, not WeasyPrint's steps for each page."""
    from projects.documents import render_pdf

    with caplog.at_level(logging.INFO):
        pdf = render_pdf("pdf/base.html", {})
    assert pdf.startswith(b"%PDF")
    assert not [r for r in caplog.records if r.name.startswith(("weasyprint", "fontTools"))]
