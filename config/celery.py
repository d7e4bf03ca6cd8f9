"""The project's single Celery app. Settings come from Django settings with the CELERY_ prefix."""

import os

from celery import Celery

# Like wsgi.py and asgi.py: production unless told otherwise (`make run` starts the worker with local settings).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("prosessguiden")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
