"""On the demo data, `ARCHIVE_TRANSPORT=directory ARCHIVE_DIRECTORY=<dir> python manage.py archive_send` writes at
least one folder per archived kind of document, each with an arkivmelding.xml that validates and a file whose
SHA-256 and size are what the message says."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from lxml import etree

from archive import message
from archive.models import Archiving
from archive.services import EVENT_KINDS

pytestmark = pytest.mark.django_db
NS = {"a": message.NS}


def test_archive_send_on_the_demo_data_writes_a_valid_folder_per_kind(settings, tmp_path):
    tmp_path = tmp_path / "arkiv"
    tmp_path.mkdir()
    settings.ARCHIVE_TRANSPORT = "none"  # as `make run` seeds it
    call_command("seed_demo", verbosity=0)
    assert set(EVENT_KINDS.values()) <= set(Archiving.objects.values_list("document__kind", flat=True))
    settings.ARCHIVE_TRANSPORT, settings.ARCHIVE_DIRECTORY = "directory", str(tmp_path)
    settings.ARCHIVE_PART, settings.ARCHIVE_CLASS_VALUE = "PROSJEKT", "614"
    out = StringIO()
    call_command("archive_send", stdout=out)
    assert "failed 0" in out.getvalue()
    kinds = {}
    for folder in sorted(p for p in tmp_path.iterdir() if p.is_dir()):
        archiving = Archiving.objects.select_related("document").get(message_id=folder.name)
        xml = (folder / "arkivmelding.xml").read_bytes()
        assert message.validate(xml) == [], folder.name
        obj = etree.fromstring(xml).find("a:registrering/a:dokumentbeskrivelse/a:dokumentobjekt", NS)
        pdf = (folder / obj.find("a:referanseDokumentfil", NS).text).read_bytes()
        assert pdf.startswith(b"%PDF")
        assert obj.find("a:sjekksum", NS).text == hashlib.sha256(pdf).hexdigest()
        assert int(obj.find("a:filstoerrelse", NS).text) == len(pdf)
        kinds.setdefault(archiving.document.kind, 0)
        kinds[archiving.document.kind] += 1
    assert set(EVENT_KINDS.values()) <= set(kinds), kinds
    assert Archiving.objects.exclude(state=Archiving.State.SENT).count() == 0
    out = StringIO()
    call_command("archive_send", stdout=out)  # again: nothing more
    assert "Sent 0" in out.getvalue()
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == sum(kinds.values())
