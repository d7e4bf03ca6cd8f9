import datetime

import pytest

from projects import documents, extensions
from projects.models import GeneratedDocument, Role
from projects.services import document_render, document_request
from tests.factories import ProjectFactory, member

# A small valid-looking PDF for the tests that are about sending, not rendering (rendering is tested with the
# real kinds in test_sensitive.py and test_demo.py).
FAKE_PDF = b"%PDF-1.4\n% fake archive test document\n%%EOF\n"


@pytest.fixture
def archive_dir(settings, tmp_path):
    """The directory transport, writing into a folder of this test's own."""
    folder = tmp_path / "arkiv"
    folder.mkdir()
    settings.ARCHIVE_TRANSPORT = "directory"
    settings.ARCHIVE_DIRECTORY = str(folder)
    settings.ARCHIVE_SYSTEM = "Prosessguiden"
    settings.ARCHIVE_PART = "PROSJEKT"
    settings.ARCHIVE_CLASS_SYSTEM = "FAGKLASSE"
    settings.ARCHIVE_CLASS_VALUE = "614"
    settings.ARCHIVE_SCREENING = {}
    settings.ARCHIVE_MAX_ATTEMPTS = 3
    return folder


@pytest.fixture
def project(db):
    project = ProjectFactory(name="Økonomi flytter", case_number="", start_date=datetime.date(2026, 1, 5))
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    project.manager = member(project, Role.MANAGER, full_name="Mons Leder")
    project.viewer = member(project, Role.VIEWER, full_name="Vera Leser")
    return project


@pytest.fixture
def fake_kind():
    kind = documents.Kind("test-note", label="the test note", render=lambda d: FAKE_PDF, filename="testnotat")
    with extensions.registered("document_kind", kind):
        yield kind


def rendered(project, kind="test-note", by=None) -> GeneratedDocument:
    """A finished version of a generated document, rendered as the worker would."""
    doc = document_request(project=project, kind=kind, by=by or project.owner)
    return document_render(document_id=doc.pk)
