"""Archived once however many workers run: on PostgreSQL, workers in threads of their own (each its own
connection) ask for, send and run the job of the same version at the same moment; and two versions of a project
without a case folder sent at the same moment create the folder once."""

import threading

import pytest
from django.db import connection

from archive import services, transports
from archive.models import Archiving
from projects import outbox
from projects.models import Job
from tests.archive.conftest import rendered


class Counting(transports.DirectoryTransport):
    def __init__(self, root):
        super().__init__(root)
        self.sent = []
        self.lock = threading.Lock()

    def send(self, msg):
        with self.lock:
            self.sent.append(msg.id)
        super().send(msg)


def _in_threads(n, fn):
    barrier = threading.Barrier(n, timeout=20)
    errors = []

    def run(i):
        try:
            barrier.wait()
            fn(i)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_many_workers_archive_a_version_once(postgres, archive_dir, project, fake_kind, monkeypatch):
    counting = Counting(archive_dir)
    monkeypatch.setattr(transports, "get", lambda: counting)
    for _trial in range(5):
        doc = rendered(project)

        def worker(i, doc=doc):
            if i % 3 == 0:
                archiving = services.archiving_send_by_hand(document=doc, by=project.owner)
            else:
                archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.PHASE, by=None)
            services.archiving_send(archiving_id=archiving.pk)
            job = Job.objects.filter(key=archiving.job_key).first()
            if job is not None:
                outbox.run(job.pk)

        _in_threads(6, worker)
        archiving = Archiving.objects.get(document=doc)
        assert archiving.state == Archiving.State.SENT and archiving.attempts == 1
    assert Archiving.objects.count() == 5
    assert len(counting.sent) == len(set(counting.sent)) == 5
    assert len([p for p in archive_dir.iterdir() if p.is_dir()]) == 5
    assert not [p for p in archive_dir.iterdir() if p.name.startswith(".")]


@pytest.mark.django_db(transaction=True)
def test_two_versions_sent_at_once_create_the_case_folder_once(postgres, archive_dir, project, fake_kind):
    for _trial in range(3):
        from archive.models import ArchiveCase

        ArchiveCase.objects.all().delete()
        archivings = [
            services.archiving_request(document=rendered(project), trigger=Archiving.Trigger.MANUAL, by=None)
            for _ in range(3)
        ]
        _in_threads(3, lambda i, archivings=archivings: services.archiving_send(archiving_id=archivings[i].pk))
        creating = [
            a for a in archivings if b"saksmappe" in (archive_dir / str(a.message_id) / "arkivmelding.xml").read_bytes()
        ]
        assert len(creating) == 1
        assert Archiving.objects.filter(pk__in=[a.pk for a in archivings], creates_case=True).count() == 1


def test_the_directory_transport_writes_a_message_once_when_two_write_it_at_once(tmp_path):
    transport = transports.DirectoryTransport(tmp_path)
    msg = transports.Message(id="8c1f4a52-5d0e-4a55-9d7e-2b1f0f3c9a10", xml=b"<x/>", files=[("a.pdf", b"%PDF")])
    barrier = threading.Barrier(8, timeout=10)
    errors = []

    def write():
        try:
            barrier.wait()
            transport.send(msg)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == [msg.id]
    assert sorted(p.name for p in (tmp_path / msg.id).iterdir()) == ["a.pdf", "arkivmelding.xml"]
