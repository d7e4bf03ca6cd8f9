"""A stored PDF whose bytes no longer match its SHA-256 is not sent: the owner sees an error page that says
why and what to do, in the layout of every page (axe, screenshots at 1280 and 390 px)."""

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase

from projects.models import Role
from projects.services import document_request
from tests.browser.conftest import SCREENSHOTS, check_accessibility, log_in
from tests.factories import PASSWORD, ProjectFactory, member
from tests.participation.conftest import prepare_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_changed_pdf_is_an_error_page_not_a_download(page, steps_template):
    from phases import services as phase_services

    project = ProjectFactory(name="Økonomiseksjonen flytter")
    owner = project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    member(project, Role.SAFETY_REP)
    member(project, Role.UNION_REP)
    phase_services.process_start(project=project, template=steps_template, by=owner)
    prepare_steps(project)
    with TestCase.captureOnCommitCallbacks(execute=True):
        document = document_request(project=project, kind="participation-protocol", by=owner)
    document.refresh_from_db()
    storage, name = document.file.storage, document.file.name
    storage.delete(name)
    storage.save(name, ContentFile(b"%PDF-1.7 not what was generated"))

    log_in(page, owner.email, PASSWORD)
    response = page.goto(f"/projects/{project.pk}/documents/file/{document.pk}/")
    assert response.status == 500
    assert page.get_by_role("heading", name="Filen kan ikke lastes ned").is_visible()
    assert page.get_by_role("alert").inner_text().startswith("Den lagrede filen mangler eller stemmer ikke")
    check_accessibility(page, "damaged-file")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "damaged-file-390.png"), full_page=True)
