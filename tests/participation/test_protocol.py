import hashlib
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from participation import services
from projects.models import GeneratedDocument
from projects.services import document_request

pytestmark = pytest.mark.django_db


def protocol_generate(*, project, by):
    """Request a protocol version; the test settings run the worker's task at once (eager Celery)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        doc = document_request(project=project, kind="participation-protocol", by=by)
    doc.refresh_from_db()
    return doc


def pdf_text(doc):
    with doc.file.open("rb") as f:
        data = f.read()
    reader = PdfReader(io.BytesIO(data))
    return data, reader, "\n".join(page.extract_text() for page in reader.pages)


def test_protocol_contains_roles_signoffs_objection_meetings_and_hashes(project, step):
    services.meeting_save(
        project=project, by=project.owner, type="consultation", title="Drøftingsmøte om mandatet",
        held_on="2027-01-12", minutes="Partene drøftet rammen.", steps=[step],
    )  # fmt: skip
    step.refresh_from_db()
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    services.signoff_record(
        step=step, by=project.union_rep, decision="objection",
        text="Tillitsvalgte mener arealrammen er for knapp for enheten.",
    )  # fmt: skip
    doc = protocol_generate(project=project, by=project.owner)
    data, reader, text = pdf_text(doc)
    flat = " ".join(text.split())
    assert "Medvirkningsprotokoll" in flat
    assert "Økonomi flytter" in flat
    assert "Siri Verne" in flat and "Tor Tillit" in flat and "Kari Eier" in flat
    assert "Tillitsvalgte mener arealrammen er for knapp for enheten." in flat
    assert "Protokolltilførsel fra Tor Tillit" in flat
    assert "Drøftingsmøte om mandatet" in flat and "12. januar 2027" in flat
    assert step.content_hash[:32] in flat.replace(" ", "")
    assert "Side 1 av" in flat
    assert "Generert" in flat
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size == len(data)


def test_protocol_is_pdf_a_with_norwegian_language(project):
    doc = protocol_generate(project=project, by=project.owner)
    data, reader, _ = pdf_text(doc)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nb"
    assert "/MarkInfo" in root and root["/MarkInfo"]["/Marked"]
    assert b"pdfaid:part" in data or b"pdfaid:part" in root["/Metadata"].get_object().get_data()


def test_protocol_names_the_owner_as_author_and_carries_the_case_number(project):
    """Issue 24: the archive reads author and case number from the metadata; "Prosessguiden" said nothing."""
    doc = protocol_generate(project=project, by=project.owner)
    _data, reader, text = pdf_text(doc)
    assert reader.metadata.author == project.owner.full_name
    assert project.case_number in reader.metadata["/Keywords"]
    assert project.case_number in reader.metadata.subject
    assert f"(sak {project.case_number})" in " ".join(text.split())  # the running header of every page


def test_a_new_generation_is_a_new_version_and_old_ones_stay(client, project):
    first = protocol_generate(project=project, by=project.owner)
    second = protocol_generate(project=project, by=project.owner)
    assert (first.version, second.version) == (1, 2)
    assert GeneratedDocument.objects.filter(project=project, kind="participation-protocol").count() == 2
    client.force_login(project.safety_rep)
    for doc in (first, second):
        response = client.get(reverse("projects:document", args=[project.pk, doc.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"


def test_only_owner_or_manager_generates(client, project):
    url = reverse("projects:document_request", args=[project.pk, "participation-protocol"])
    client.force_login(project.safety_rep)
    assert client.post(url).status_code == 403
    assert GeneratedDocument.objects.count() == 0
    client.force_login(project.owner)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(url).status_code == 302
    assert GeneratedDocument.objects.get().status == GeneratedDocument.Status.DONE


def test_running_header_prints_special_characters_as_written(project):
    project.name = 'A-B & C\'s "kontor"'
    project.save()
    _, _, text = pdf_text(protocol_generate(project=project, by=project.owner))
    assert 'Medvirkningsprotokoll – A-B & C\'s "kontor"' in text
    assert "u0026" not in text and "u0027" not in text


def test_protocol_prints_participants_and_agenda_condenses_later_phases_and_groups_hashes(steps_template):
    import datetime

    from phases import services as phase_services
    from projects.models import Role
    from tests.factories import ProjectFactory, member

    project = ProjectFactory(name="Kultur flytter", start_date=datetime.date(2027, 1, 4))
    owner = member(project, Role.OWNER, full_name="Kari Eier")
    rep = member(project, Role.SAFETY_REP, full_name="Siri Verne")
    phase_services.process_start(project=project, template=steps_template, by=owner)
    consultation = project.participation_steps.get(key="mandate-consultation")
    services.meeting_save(
        project=project, by=owner, type="consultation", title="Drøftingsmøte om mandatet", held_on="2027-01-12",
        agenda="1. Økonomisk ramme\n2. Milepæler", participants=[rep], other_participants="Ola Gjest",
        steps=[consultation],
    )  # fmt: skip
    consultation = services.step_send(step=consultation, by=owner)

    doc = protocol_generate(project=project, by=owner)
    _data, _reader, text = pdf_text(doc)
    from pathlib import Path

    Path("var").mkdir(exist_ok=True)
    with doc.file.open("rb") as f:
        Path("var/protocol-test.pdf").write_bytes(f.read())  # to look at (var/ is ignored by git)
    flat = " ".join(text.split())
    assert "Deltakere: Siri Verne, Ola Gjest" in flat
    assert "Saksliste: 1. Økonomisk ramme 2. Milepæler" in flat
    # Phase 2's step is neither prepared nor signed: one line in the table of steps not reached yet.
    later_name = project.participation_steps.get(key="house-rules").name_nb
    assert later_name in flat.split("Steg i faser som ikke er nådd ennå")[1]
    assert flat.count(later_name) == 1
    # The hash prints in groups of eight, so it wraps between groups.
    h = consultation.content_hash
    assert f"{h[:8]} {h[8:16]} {h[16:24]}" in flat


def test_protocol_marks_a_step_with_an_objection_med_protokolltilforsel_and_prints_the_sent_summary(project, step):
    risk = project.participation_steps.get(key="risk")
    for person, role in ((project.safety_rep, "safety_rep"), (project.oh, "oh_service")):
        services.signoff_record(step=risk, by=person, role=role, decision="approved")
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    services.signoff_record(step=step, by=project.union_rep, decision="objection", text="Rammen er for knapp.")
    services.step_update(step=step, by=project.owner, summary="Et utkast som ikke er sendt.", meetings=[])
    doc = protocol_generate(project=project, by=project.owner)
    flat = " ".join(pdf_text(doc)[2].split())
    assert f"{step.name_nb} – med protokolltilførsel" in flat
    assert "alle påkrevde godkjenninger foreligger, med protokolltilførsel" in flat
    assert f"{risk.name_nb} – med protokolltilførsel" not in flat
    assert flat.count("med protokolltilførsel") == 2  # the objected step only
    assert "Et utkast som ikke er sendt." not in flat  # the protocol prints what was sent and signed
    assert f"Legges fram: {step.name_nb}." in flat
