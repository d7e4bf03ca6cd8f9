"""Secrets that travel in URLs, kept out of logs and error reports.

A calendar feed's address is its key (`/calendar/<token>.ics`, `/calendar/<token>/<project>.ics`): whoever reads
an access log, an error log or an error report could otherwise subscribe to someone's calendar. Every log line
(gunicorn's access and error logs, Django's request logging, the application's own) and every Sentry event is
passed through `redact`, which replaces the token with `***`. Plain Python only: gunicorn's logger uses it
before Django is loaded.
"""

import logging
import re

CALENDAR_TOKEN = re.compile(r"(/calendar/)[^/\s?#\"']+(?=(?:/\d+)?\.ics)")
# A survey's or comment round's personal link (`/answer/<token>/`): whoever reads a log must not be able to
# answer in somebody's name, nor tell whose link made a request.
ANSWER_TOKEN = re.compile(r"(/answer/)[^/\s?#\"']+")
HIDDEN = r"\1***"


def redact(value):
    """`value` with every calendar token and personal survey link hidden; anything but a string is returned as it
    is."""
    if isinstance(value, str):
        if "/calendar/" in value:
            value = CALENDAR_TOKEN.sub(HIDDEN, value)
        if "/answer/" in value:
            value = ANSWER_TOKEN.sub(HIDDEN, value)
    return value


def redact_deep(value):
    """Strings inside dicts, lists and tuples redacted (for Sentry events)."""
    if isinstance(value, dict):
        return {key: redact_deep(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_deep(item) for item in value)
    return redact(value)


class RedactFilter(logging.Filter):
    """A logging filter for handlers: the record's message and arguments with calendar tokens hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: redact(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(str(a)) if _looks_like_request(a) else redact(a) for a in record.args)
        return True


def _looks_like_request(value) -> bool:
    return hasattr(value, "path") and hasattr(value, "method")  # a Django request passed as an argument


def sentry_before_send(event, hint):
    """Sentry's before_send: the whole event (request URL, breadcrumbs, messages, exception values) redacted."""
    return redact_deep(event)
