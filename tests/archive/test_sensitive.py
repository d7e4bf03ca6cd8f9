"""Sensitive HMS measures are never part of an archived document: every kind the events archive is rendered,
sent through the directory transport, and its PDF read back from the drop folder (and its arkivmelding.xml)."""

import datetime
import hashlib
import io
import shutil
import subprocess

import pytest
import time_machine
from lxml import etree
from pypdf import PdfReader

from archive import message, services
from archive.models import Archiving
from evaluation import services as evaluation_services
from phases.services import process_start
from projects.services import document_render
from workproducts import services as workproduct_services

pytestmark = pytest.mark.django_db
SECRET = "Konflikthemmelighet Brattvåg"
VISIBLE = "Bedre lyddemping Solsiden"


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext reads it (pypdf where poppler is not installed)."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2027, 3, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_sensitive_words_are_in_no_archived_file(archive_dir, project, bergen_template):
    owner = project.owner
    process_start(project=project, template=bergen_template, by=owner)
    workproduct_services.workproduct_start(project=project, kind="mandate", by=owner)
    moved_in = evaluation_services.movein_record(
        project=project, by=owner, move_in=datetime.date(2026, 8, 31), early_confirmed=True
    )
    for words, sensitive in ((SECRET, True), (VISIBLE, False)):
        evaluation_services.measure_create(
            project=project, by=owner, focus_area=words, goal=words, activity=words, responsible="Kari",
            source="evaluation", sensitive=sensitive,
        )  # fmt: skip
    from tests.evaluation.test_freeze import complete

    complete(moved_in, owner)  # archives the evaluation report
    for trigger in (Archiving.Trigger.PHASE, Archiving.Trigger.MANDATE, Archiving.Trigger.CLOSED):
        services.archive_event(project=project, trigger=trigger, by=owner)
    kinds = set()
    for archiving in Archiving.objects.filter(project=project).select_related("document"):
        document_render(document_id=archiving.document_id)
        services.archiving_send(archiving_id=archiving.pk)
        archiving.refresh_from_db()
        assert archiving.state == Archiving.State.SENT, archiving.error
        folder = archive_dir / str(archiving.message_id)
        xml = (folder / "arkivmelding.xml").read_bytes()
        assert message.validate(xml) == []
        ref = etree.fromstring(xml).find(f".//{{{message.NS}}}referanseDokumentfil").text
        pdf = (folder / ref).read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == archiving.document.sha256
        text = " ".join(pdf_text(pdf).split())
        for word in SECRET.split():
            assert word not in text, archiving.document.kind
            assert word.encode() not in xml
        kinds.add(archiving.document.kind)
        if archiving.document.kind in ("evaluation-report", "final-documentation"):
            assert "lyddemping" in text  # the check reads the measures it shows
    assert kinds == {"participation-protocol", "mandate", "evaluation-report", "final-documentation"}
