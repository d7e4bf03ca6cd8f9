"""Every message validates against KS's vendored XSD (lxml), whatever the kind of document and however it finds
its case folder; a broken one is refused before it leaves and shown as failed with the schema's error."""

import datetime
import hashlib

import pytest
from lxml import etree

from archive import message, services
from archive.models import Archiving
from projects import documents
from tests.archive.conftest import FAKE_PDF, rendered

NS = {"a": message.NS, "m": message.NS_MDK}


def _record(kind, screening=None):
    return message.Record(
        title="Medvirkningsprotokoll, versjon 2 – Økonomi flytter", kind=kind, key="dokument-7",
        document_date=datetime.date(2027, 3, 1), author="Kari Eier", file_name="medvirkningsprotokoll-1-v2.pdf",
        file_ref="medvirkningsprotokoll-1-v2.pdf", sha256="0" * 64, size=1234, version=2,
        created=datetime.datetime(2027, 3, 1, 9, 30, tzinfo=datetime.UTC), screening=screening,
    )  # fmt: skip


FOLDERS = [
    message.CaseFolder(message.Folder.CREATE, "prosjekt-1", title="Økonomi flytter", unit="Økonomi",
                       responsible="Kari Eier", opened=datetime.date(2027, 1, 4)),
    message.CaseFolder(message.Folder.KEY, "prosjekt-1"),
    message.CaseFolder(message.Folder.NUMBER, "prosjekt-1", year=2027, sequence=123),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.mode)
@pytest.mark.parametrize("screening", [None, ("13", "Offl. § 13 jf. fvl. § 13 første ledd nr. 1")])
def test_every_kind_of_message_validates(folder, screening):
    config = message.Config("Prosessguiden", "PROSJEKT", "FAGKLASSE", "614")
    for kind in [*documents.kinds(), "something-else"]:
        xml = message.build(config=config, folder=folder, record=_record(kind, screening))
        assert message.validate(xml) == [], kind
        root = etree.fromstring(xml)
        assert root.find("a:registrering/a:journalposttype/m:kode", NS).text == "X"
        assert (root.find("a:mappe", NS) is not None) == (folder.mode == message.Folder.CREATE)


def test_a_broken_message_is_refused_with_the_schemas_error():
    config = message.Config("Prosessguiden")
    xml = message.build(config=config, folder=FOLDERS[0], record=_record("participation-protocol"))
    root = etree.fromstring(xml)
    reg = root.find("a:registrering", NS)
    reg.remove(reg.find("a:tittel", NS))  # a record without its title
    errors = message.validate(etree.tostring(root))
    assert errors and "tittel" in errors[0]  # expected where the forfatter came
    assert message.validate(b"<arkivmelding>") and message.validate(b"<nope/>")


def test_an_invalid_message_is_never_sent_and_shows_as_failed(archive_dir, project, fake_kind, monkeypatch):
    doc = rendered(project)
    archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    real = message.build
    monkeypatch.setattr(message, "build", lambda **kw: real(**kw).replace(b"system>", b"systemet>"))
    services.archiving_send(archiving_id=archiving.pk)
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.FAILED
    assert "ikke gyldig etter arkivets skjema" in archiving.error  # the schema's own words follow
    assert "systemet': This element is not expected. Expected is ( {" in archiving.error
    assert list(archive_dir.iterdir()) == []  # nothing left


def test_the_message_describes_the_file_and_its_case_folder(archive_dir, project, fake_kind):
    doc = rendered(project)
    archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    services.archiving_send(archiving_id=archiving.pk)
    folder = archive_dir / str(archiving.message_id)
    xml = (folder / "arkivmelding.xml").read_bytes()
    assert message.validate(xml) == []
    root = etree.fromstring(xml)
    obj = root.find("a:registrering/a:dokumentbeskrivelse/a:dokumentobjekt", NS)
    pdf = (folder / obj.find("a:referanseDokumentfil", NS).text).read_bytes()
    assert pdf == FAKE_PDF
    assert obj.find("a:sjekksum", NS).text == hashlib.sha256(pdf).hexdigest() == doc.sha256
    assert obj.find("a:sjekksumAlgoritme", NS).text == "SHA-256"
    assert int(obj.find("a:filstoerrelse", NS).text) == len(pdf)
    assert obj.find("a:variantformat/m:kode", NS).text == "A"
    mappe = root.find("a:mappe", NS)  # the project had no archive case number: this message creates its folder
    assert mappe.get(f"{{{message.XSI}}}type") == "saksmappe"
    assert mappe.find("a:tittel", NS).text == "Økonomi flytter"
    assert mappe.find("a:saksansvarlig/m:navn", NS).text == "Kari Eier"
    assert mappe.find("a:klassifikasjon/a:klasseID", NS).text == "614"
    assert root.find("a:registrering/a:tittel", NS).text.startswith("The test note, versjon 1")
