"""Log records as one JSON object per line on stdout (LOG_FORMAT=json, the production default).

journald, Docker and most log collectors read this as it is; no extra package is needed.
"""

import json
import logging
from datetime import UTC, datetime

from config.redact import redact

# Attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request", "server_time"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", "")
            entry["path"] = redact(request.path)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = redact(value if isinstance(value, str | int | float | bool | type(None)) else repr(value))
        return json.dumps(entry, ensure_ascii=False)


def logging_config(*, level: str, fmt: str) -> dict:
    formatter = (
        {"()": "config.logging.JsonFormatter"} if fmt == "json" else {"format": "%(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        # Calendar tokens are hidden in every line (config/redact.py), whichever logger wrote it.
        "filters": {"redact": {"()": "config.redact.RedactFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "default",
                "filters": ["redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # WeasyPrint reports each layout step of every PDF at INFO ("Step 5 - Creating layout - Page 3"), and
        # fontTools each font it subsets: noise in the worker's log, and time spent formatting it.
        "loggers": {
            "axes": {"level": "WARNING"},
            "celery": {"level": level},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
