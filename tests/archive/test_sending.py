"""A document version goes to the archive once, however often it is asked for; a failing transport is tried
again with a pause and then shown as failed; the first message creates the case folder, later ones refer to it;
a receipt sets the archive's numbers, an invalid one is refused with its error."""

import datetime

import pytest
from django.utils import timezone

from archive import message, services, transports
from archive.models import ArchiveCase, Archiving
from projects import outbox
from projects.models import Job
from tests.archive.conftest import rendered

pytestmark = pytest.mark.django_db


class Counting(transports.DirectoryTransport):
    def __init__(self, root):
        super().__init__(root)
        self.sent = []

    def send(self, msg):
        self.sent.append(msg.id)
        super().send(msg)


class Broken(transports.Transport):
    name = "broken"

    def send(self, msg):
        raise transports.TransportError("the drop folder is not mounted")


def _folders(root):
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != "receipts")


def test_a_version_is_archived_once_however_often_it_is_asked_for(archive_dir, project, fake_kind):
    doc = rendered(project)
    first = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    again = services.archiving_send_by_hand(document=doc, by=project.manager)
    assert again.pk == first.pk and Archiving.objects.count() == 1
    counting = Counting(archive_dir)
    for _ in range(3):
        services.archiving_send(archiving_id=first.pk, transport=counting)
    job = Job.objects.get(key=first.job_key)
    assert outbox.run(job.pk) == "done"  # the worker's run afterwards: nothing more
    assert counting.sent == [str(first.message_id)]
    assert _folders(archive_dir) == [str(first.message_id)]
    first.refresh_from_db()
    assert first.state == Archiving.State.SENT and first.attempts == 1


def test_a_message_already_in_the_folder_is_not_written_again(archive_dir, project, fake_kind):
    """A worker that died after the rename and before recording it: the folder is there, it counts as sent."""
    doc = rendered(project)
    archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    (archive_dir / str(archiving.message_id)).mkdir()
    services.archiving_send(archiving_id=archiving.pk)
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.SENT
    assert list((archive_dir / str(archiving.message_id)).iterdir()) == []  # left as it was
    assert not [p for p in archive_dir.iterdir() if p.name.startswith(".tmp")]


def test_a_failing_transport_is_tried_again_then_shown_as_failed(archive_dir, project, fake_kind, monkeypatch):
    monkeypatch.setattr(transports, "get", lambda: Broken())
    doc = rendered(project)
    archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    job = Job.objects.get(key=archiving.job_key)
    assert outbox.run(job.pk) == "retry"
    archiving.refresh_from_db()
    job.refresh_from_db()
    assert archiving.state == Archiving.State.QUEUED and archiving.attempts == 1
    assert "not mounted" in archiving.error
    assert job.run_after > timezone.now()  # a pause before the next attempt
    outcomes = []
    for _ in range(5):
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
        outcomes.append(outbox.run(job.pk))
    assert outcomes == ["retry", "failed", "skipped", "skipped", "skipped"]  # ARCHIVE_MAX_ATTEMPTS = 3
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.FAILED and archiving.attempts == 3
    assert "not mounted" in archiving.error
    assert _folders(archive_dir) == []

    monkeypatch.undo()  # the folder is mounted again: the coordinator (or the operator) sends it again
    services.archiving_resend(key=archiving.key)
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.QUEUED and archiving.attempts == 0
    assert outbox.run(Job.objects.get(key=archiving.job_key).pk) == "done"
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.SENT
    assert _folders(archive_dir) == [str(archiving.message_id)]


def test_the_first_message_creates_the_case_folder_and_later_ones_refer_to_it(archive_dir, project, fake_kind):
    kinds = []
    for _ in range(3):
        doc = rendered(project)
        archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
        services.archiving_send(archiving_id=archiving.pk)
        xml = (archive_dir / str(archiving.message_id) / "arkivmelding.xml").read_bytes()
        assert message.validate(xml) == []
        kinds.append((b"saksmappe" in xml, b"<n5mdk:noekkel>prosjekt-" in xml, b"<n5mdk:saksaar>" in xml))
        if len(kinds) == 2:  # the archive answers the first two: the case gets its number
            first = Archiving.objects.order_by("pk").first()
            services.receipt_record(
                message_id=str(first.message_id), content=message.receipt_xml(case=(2027, 4711), record=(2027, 17))
            )
    assert kinds == [(True, True, False), (False, True, False), (False, False, True)]
    project.refresh_from_db()
    assert project.case_number == "2027/4711"  # the archive's number is now the project's
    assert ArchiveCase.objects.get(project=project).case_number == "2027/4711"


def test_a_project_with_an_archive_case_number_refers_to_it_from_the_first_message(archive_dir, project, fake_kind):
    project.case_number = "2026/1234"
    project.save()
    doc = rendered(project)
    archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    services.archiving_send(archiving_id=archiving.pk)
    xml = (archive_dir / str(archiving.message_id) / "arkivmelding.xml").read_bytes()
    assert b"saksmappe" not in xml
    assert b"<n5mdk:saksaar>2026</n5mdk:saksaar>" in xml and b"<n5mdk:sakssekvensnummer>1234<" in xml


def test_a_receipt_sets_the_numbers_and_an_invalid_one_is_refused(archive_dir, project, fake_kind, client):
    doc = rendered(project)
    archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    services.archiving_send(archiving_id=archiving.pk)
    receipts = archive_dir / "receipts"
    receipts.mkdir()
    (receipts / f"{archiving.message_id}.xml").write_bytes(b"<arkivmeldingKvittering>nei</arkivmeldingKvittering>")
    assert services.receipts_read() == {"accepted": 0, "refused": 1}
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.SENT and "ikke gyldig" in archiving.receipt_error
    assert (receipts / "refused" / f"{archiving.message_id}.xml").exists()
    assert "ikke gyldig" in (receipts / "refused" / f"{archiving.message_id}.xml.error.txt").read_text()

    (receipts / f"{archiving.message_id}.kvittering.xml").write_bytes(
        message.receipt_xml(case=(2027, 55), record=(2027, 1234))
    )
    (receipts / "00000000-0000-0000-0000-000000000000.xml").write_bytes(message.receipt_xml(record=(2027, 1)))
    assert services.receipts_read() == {"accepted": 1, "refused": 1}  # the second answers nothing sent from here
    assert services.receipts_read() == {"accepted": 0, "refused": 0}  # read once
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.RECEIPT
    assert archiving.record_number == "2027/1234" and archiving.receipt_error == ""
    project.refresh_from_db()
    assert project.case_number == "2027/55"


def test_an_archive_that_refuses_the_record_fails_the_archiving(archive_dir, project, fake_kind):
    doc = rendered(project)
    archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    services.archiving_send(archiving_id=archiving.pk)
    services.receipt_record(message_id=str(archiving.message_id), content=message.receipt_xml(failed="Ukjent arkivdel"))
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.FAILED and "Ukjent arkivdel" in archiving.error


def test_without_a_transport_archivings_wait_in_the_queue(settings, project, fake_kind, tmp_path):
    settings.ARCHIVE_TRANSPORT = "none"
    doc = rendered(project)
    archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    assert not Job.objects.filter(key=archiving.job_key).exists()
    services.archiving_send(archiving_id=archiving.pk)
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.QUEUED
    settings.ARCHIVE_TRANSPORT, settings.ARCHIVE_DIRECTORY = "directory", str(tmp_path)
    assert services.waiting_enqueue() == 1  # the worker's poll gives it a send job once a transport is set
    assert services.waiting_enqueue() == 0
    assert outbox.run(Job.objects.get(key=archiving.job_key).pk) == "done"
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.SENT


def test_a_version_being_rendered_is_sent_once_its_file_exists(archive_dir, project, fake_kind):
    from projects.services import document_render, document_request

    doc = document_request(project=project, kind="test-note", by=project.owner)
    archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
    assert not Job.objects.filter(key=archiving.job_key).exists()  # nothing to send yet
    document_render(document_id=doc.pk)  # the hook `document_rendered` gives it its job
    assert outbox.run(Job.objects.get(key=archiving.job_key).pk) == "done"
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.SENT
    assert archiving.created_at <= timezone.now() < archiving.created_at + datetime.timedelta(minutes=1)
