"""The project's Celery app for the fault tests' worker, with one more kind of document whose render takes
FAULT_RENDER_SECONDS (so that a test can kill the worker while it renders). Run as
`celery -A tests.faults.worker_app worker`."""

import os
import time

from config.celery import app  # noqa: F401  (what `celery -A` looks for)
from projects import documents, extensions

SLOW_KIND = "fault-slow"


def _render_slowly(document):
    time.sleep(float(os.environ.get("FAULT_RENDER_SECONDS", "3")))
    return b"%PDF-1.7\n% rendered by the fault test's worker\n%%EOF\n"


extensions.register(
    "document_kind", documents.Kind(SLOW_KIND, label="slow test document", render=_render_slowly, filename="slow")
)
