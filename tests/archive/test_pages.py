"""Where people see the archive: the coordinators' *Arkiv* page (screening per kind with its legal basis, what
waits or failed, send again), *Oversikt*'s queue, the project's history, `archive_send --resend`, and the
settings production checks at start."""

import subprocess
import sys
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from archive import checks, message, services
from archive.models import Archiving
from projects.models import Job
from tests.archive.conftest import rendered
from tests.factories import coordinator

pytestmark = pytest.mark.django_db


def test_a_coordinator_sets_the_screening_of_a_kind_with_its_legal_basis(client, archive_dir, project, fake_kind):
    coord = coordinator()
    client.force_login(coord)
    overview = client.get(reverse("dashboard:overview")).content.decode()
    assert reverse("archive:settings") in overview  # the top bar's *Arkiv*
    url = reverse("archive:settings")
    page = client.get(url).content.decode()
    assert "Skjerming per dokumenttype" in page and "directory" in page
    response = client.post(url, {"kind": "test-note", "test-note-code": "13", "test-note-legal_basis": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "Skjerming krever hjemmel" in html
    assert 'value="13"' in html  # what was typed is kept
    response = client.post(
        url, {"kind": "test-note", "test-note-code": "13", "test-note-legal_basis": "Offl. § 13 jf. fvl. § 13"}
    )
    assert response.status_code == 302
    assert services.screening_for("test-note") == ("13", "Offl. § 13 jf. fvl. § 13")
    archiving = services.archiving_request(document=rendered(project), trigger="manual", by=project.owner)
    services.archiving_send(archiving_id=archiving.pk)
    xml = (archive_dir / str(archiving.message_id) / "arkivmelding.xml").read_bytes()
    assert message.validate(xml) == []
    assert "<skjermingshjemmel>Offl. § 13 jf. fvl. § 13</skjermingshjemmel>".encode() in xml
    client.force_login(project.owner)
    assert client.post(url, {"kind": "test-note", "test-note-code": ""}).status_code == 403


def test_failed_and_late_archivings_wait_on_the_overview_and_are_sent_again(client, archive_dir, project, fake_kind):
    failed = services.archiving_request(document=rendered(project), trigger="manual", by=project.owner)
    Archiving.objects.filter(pk=failed.pk).update(state=Archiving.State.FAILED, error="Disken er full")
    late = services.archiving_request(document=rendered(project), trigger="manual", by=project.owner)
    Archiving.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=30))
    services.archiving_request(document=rendered(project), trigger="manual", by=project.owner)  # just queued
    client.force_login(coordinator())
    overview = client.get(reverse("dashboard:overview")).content.decode()
    assert "Arkiveringer som feilet eller er forsinket" in overview
    assert "Feilet: se hvorfor og send på nytt" in overview and "Ikke sendt ennå: se hvorfor" in overview
    assert overview.count(f"{reverse('archive:settings')}#archiving-") == 2
    page = client.get(reverse("archive:settings")).content.decode()
    assert "Disken er full" in page
    assert client.post(reverse("archive:resend", args=[failed.pk])).status_code == 302
    failed.refresh_from_db()
    assert failed.state == Archiving.State.QUEUED and Job.objects.filter(key=failed.job_key).exists()


def test_the_projects_history_records_each_archiving(client, archive_dir, project, fake_kind):
    archiving = services.archiving_request(document=rendered(project), trigger="manual", by=project.owner)
    services.archiving_send(archiving_id=archiving.pk)
    client.force_login(project.owner)
    html = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert f"Arkivering: document:{archiving.document_id}" in html


def test_archive_send_resend_queues_a_failed_one_again(archive_dir, project, fake_kind):
    archiving = services.archiving_request(document=rendered(project), trigger="manual", by=project.owner)
    Archiving.objects.filter(pk=archiving.pk).update(state=Archiving.State.FAILED, error="Nede")
    with pytest.raises(CommandError):
        call_command("archive_send", "--resend", "document:999999", stdout=StringIO())
    out = StringIO()
    call_command("archive_send", "--resend", archiving.key, stdout=out)
    assert "queued again" in out.getvalue() and "Sent 1" in out.getvalue()
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.SENT
    assert (archive_dir / str(archiving.message_id) / "arkivmelding.xml").exists()


def test_the_check_names_what_a_transport_lacks(settings, tmp_path):
    settings.ARCHIVE_TRANSPORT = "none"
    assert checks.problems() == []
    settings.ARCHIVE_TRANSPORT, settings.ARCHIVE_DIRECTORY = "directory", str(tmp_path / "missing")
    settings.ARCHIVE_PART, settings.ARCHIVE_CLASS_VALUE = "", ""
    found = " ".join(checks.problems())
    assert "not a folder" in found and "ARCHIVE_PART" in found and "ARCHIVE_CLASS_VALUE" in found
    settings.ARCHIVE_TRANSPORT = "fiks-io"
    assert "unknown" in checks.problems()[0]


def test_production_refuses_to_start_with_a_transport_and_no_drop_folder(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "prosessguiden.kommune.no",
        "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "SITE_URL": "https://prosessguiden.kommune.no",
        "DEFAULT_FROM_EMAIL": "Prosessguiden <p@kommune.no>",
        "ARCHIVE_TRANSPORT": "directory",
    }
    code = "import django; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "ARCHIVE_DIRECTORY" in result.stderr and "ARCHIVE_PART" in result.stderr
    env |= {"ARCHIVE_DIRECTORY": str(tmp_path), "ARCHIVE_PART": "PROSJEKT", "ARCHIVE_CLASS_VALUE": "614"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
