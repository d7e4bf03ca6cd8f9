"""A person's data export as the person gets it: the button on *Your data*, the worker's job (eager in tests),
then the download link on the same page."""

import re

from django.test import TestCase
from django.urls import reverse


def download_link(client) -> str | None:
    page = client.get(reverse("my_data")).content.decode()
    found = re.search(r'href="(/settings/my-data/\d+/)"', page)
    return found.group(1) if found else None


def my_data_file(client) -> bytes:
    """Ask for the file, let the worker make it, download it from the page's link: the file's bytes."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("my_data"))
    assert response.status_code == 302, response.status_code
    link = download_link(client)
    assert link is not None, "no download link on the page after the worker ran"
    response = client.get(link)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)
