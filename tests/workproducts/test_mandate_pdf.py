"""The mandate PDF: what it prints, its metadata, and versions that never change once made."""

import hashlib
import io

import pytest
from django.test import TestCase
from pypdf import PdfReader

from participation import services as participation
from projects.models import GeneratedDocument, OrgUnit
from projects.services import document_request
from tests.workproducts.test_mandate import MANDATE, fill_mandate
from workproducts.services import workproduct_save, workproduct_set_state

pytestmark = pytest.mark.django_db

OBJECTION = "Verneombudet mener rammen ikke gir rom for støyskjerming i sonene for konsentrasjonsarbeid."


def generate(project, by):
    with TestCase.captureOnCommitCallbacks(execute=True):
        doc = document_request(project=project, kind="mandate", by=by)
    doc.refresh_from_db()
    return doc


def read(doc):
    with doc.file.open("rb") as f:
        data = f.read()
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return data, reader, text


@pytest.fixture
def mandate(doc_project):
    municipality = OrgUnit.objects.create(name="Bergen kommune", kind=OrgUnit.Kind.MUNICIPALITY)
    department = OrgUnit.objects.create(name="Byrådsavdeling for finans", kind="department", parent=municipality)
    unit = OrgUnit.objects.create(name="Økonomiseksjonen", kind="unit", parent=department)
    doc_project.project_units.create(unit=unit)
    wp = fill_mandate(doc_project)
    workproduct_set_state(work_product=wp, by=doc_project.owner, state="consultation")
    step = participation.step_send(
        step=doc_project.participation_steps.get(key="mandate-consultation"), by=doc_project.owner
    )
    participation.signoff_record(step=step, by=doc_project.union_rep, decision="approved")
    participation.signoff_record(step=step, by=doc_project.safety_rep, decision="objection", text=OBJECTION)
    # The last sign-off asked for the mandate's PDF for the archive (tests/archive covers that); these tests ask
    # for their own versions, so that one is taken away again.
    GeneratedDocument.objects.filter(project=doc_project, kind="mandate").delete()
    return wp


def test_mandate_pdf_holds_frame_milestones_roles_and_the_objection(mandate, doc_project):
    doc = generate(doc_project, doc_project.owner)
    assert doc.status == GeneratedDocument.Status.DONE, doc.error
    data, reader, text = read(doc)
    assert "Bergen kommune" in text and "Økonomi flytter" in text and "2027/42" in text
    assert "2 500 000 kr" in text.replace("\u00a0", " ")
    assert MANDATE["frame_covers"] in text
    for milestone, date in (("Valg av lokaler", "1. mars 2027"), ("Innflytting", "1. oktober 2027")):
        assert milestone in text and date in text
    for person, role in (
        ("Kari Eier", "Prosjekteier"), ("Ola Leder", "Prosjektleder"), ("Siri Verne", "Verneombud"),
        ("Tor Tillit", "Tillitsvalgt"), ("Berit Helse", "Bedriftshelsetjeneste"),
    ):  # fmt: skip
        assert person in text and role in text
    assert OBJECTION in text
    assert "Protokolltilførsel fra Siri Verne" in text
    assert "Side 1 av" in text
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_mandate_pdf_metadata_title_author_subject_and_case_number(mandate, doc_project):
    data, reader, _ = read(generate(doc_project, doc_project.owner))
    meta = reader.metadata
    assert meta.title == "Mandat – Økonomi flytter (sak 2027/42)"
    assert meta.author == "Kari Eier"
    assert "2027/42" in meta.subject
    assert "2027/42" in meta["/Keywords"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nb" and root["/MarkInfo"]["/Marked"]
    assert b"pdfaid:part" in root["/Metadata"].get_object().get_data()


def test_second_generation_is_version_2_and_version_1_keeps_its_bytes_and_hash(mandate, doc_project):
    first = generate(doc_project, doc_project.owner)
    first_bytes, _, first_text = read(first)
    workproduct_save(work_product=mandate, by=doc_project.owner, data={"frame_amount": 3_100_000})
    second = generate(doc_project, doc_project.manager)
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert read(first)[0] == first_bytes and first.sha256 == hashlib.sha256(first_bytes).hexdigest()
    assert "2 500 000 kr" in first_text.replace("\u00a0", " ")
    assert "3 100 000 kr" in read(second)[2].replace("\u00a0", " ")
    assert second.sha256 != first.sha256


def test_representative_cannot_generate(client, mandate, doc_project):
    from django.urls import reverse

    client.force_login(doc_project.safety_rep)
    assert client.post(reverse("projects:document_request", args=[doc_project.pk, "mandate"])).status_code == 403
    assert not GeneratedDocument.objects.filter(kind="mandate").exists()


def test_the_mandates_pdf_is_asked_for_only_once_the_mandate_exists(client, doc_project):
    """Of a project without a mandate: 404 and no row (it once made a document that failed)."""
    from django.urls import reverse

    from workproducts.services import workproduct_start

    owner = doc_project.owner
    client.force_login(owner)
    url = reverse("projects:document_request", args=[doc_project.pk, "mandate"])
    assert client.post(url).status_code == 404
    assert not GeneratedDocument.objects.exists()
    workproduct_start(project=doc_project, kind="mandate", by=owner)
    with TestCase.captureOnCommitCallbacks(execute=False):
        assert client.post(url).status_code == 302
        assert client.post(url).status_code == 302  # pressed twice: the same version
    assert list(GeneratedDocument.objects.values_list("kind", "version")) == [("mandate", 1)]
