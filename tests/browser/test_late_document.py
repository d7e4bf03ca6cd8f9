"""A protocol asked for while the worker was away: the Medvirkning page says it is late and that the request
is kept, and *Prøv igjen* has it made (axe, the HTML checker and screenshots at 1280 and 390 px)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from phases import services
from projects.models import GeneratedDocument, Job, Role
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_late_protocol_says_so_and_is_made_on_try_again(page, live_server, steps_template):
    project = ProjectFactory(name="Økonomi flytter", case_number="2027/42")
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    services.process_start(project=project, template=steps_template, by=owner)
    asked = timezone.now() - datetime.timedelta(minutes=5)  # the broker was down: never woken since
    doc = GeneratedDocument.objects.create(
        project=project, kind="participation-protocol", version=1, requested_by=owner, requested_at=asked
    )
    Job.objects.create(
        kind="documents.render",
        key=f"document:{doc.pk}",
        payload={"document_id": doc.pk},
        created_at=asked,
        run_after=asked,
    )

    log_in(page, "kari@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/participation/")
    late = page.get_by_text("Versjon 1 tar lengre tid enn vanlig.")
    expect(late).to_be_visible()
    expect(page.get_by_text("Bestillingen er tatt vare på")).to_be_visible()
    late.scroll_into_view_if_needed()
    check_accessibility(page, "document-late")
    page.set_viewport_size({"width": 390, "height": 844})
    late.scroll_into_view_if_needed()
    check_accessibility(page, "document-late-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Prøv igjen (versjon 1)").click()
    expect(page.get_by_role("link", name="Versjon 1")).to_be_visible(timeout=60_000)
    doc.refresh_from_db()
    assert doc.status == GeneratedDocument.Status.DONE and doc.version == 1
