"""The project's single Celery app. Settings come from Django settings with the CELERY_ prefix."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

# Like wsgi.py and asgi.py: production unless told otherwise (`make run` starts the worker with local settings).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("prosessguiden")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _sweep_the_outbox_at_start(sender, **kwargs):
    """A worker that starts (after a crash, a deploy, a broker outage) wakes the outbox's waiting work at once
    instead of at beat's next sweep."""
    try:
        sender.app.send_task("projects.tasks.jobs_sweep", retry=False)
    except Exception:  # the broker went away again: beat's sweep follows
        logging.getLogger(__name__).warning("Could not queue the outbox sweep at worker start", exc_info=True)
