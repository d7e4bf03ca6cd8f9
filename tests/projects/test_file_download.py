"""Downloads stream through the view after the access check, and only bytes that match the SHA-256 recorded
when the file was stored are sent: a changed or missing file is an error page. The same with files in S3."""

import hashlib
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases import services as phase_services
from projects.models import Role
from tests.factories import ProjectFactory, member
from tests.projects.test_documents import registered_test_kind, requested  # noqa: F401  (the test kind)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(mini_template):
    project = ProjectFactory(name="Byrådsavdelingen flytter")
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    phase_services.process_start(project=project, template=mini_template, by=project.owner)
    return project


REFERAT = "%PDF-1.7 referat fra drøftingsmøtet".encode()


def attach(project, name="referat.pdf", content=REFERAT):
    it = project.phases.get(order=1).items.first()
    return phase_services.attachment_add(item=it, by=project.owner, upload=SimpleUploadedFile(name, content))


def body(response):
    return b"".join(response.streaming_content)


def overwrite(file, content):
    """Change a stored file's bytes behind the application's back (a damaged disk, a tampered bucket)."""
    name = file.name
    file.storage.delete(name)
    assert file.storage.save(name, ContentFile(content)) == name


def test_a_generated_pdf_downloads_with_its_name_type_and_bytes(client, project):
    doc = requested(project=project, by=project.owner)
    client.force_login(project.owner)
    response = client.get(reverse("projects:document", args=[project.pk, doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="testrapport-v1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(body(response)).hexdigest() == doc.sha256


def test_an_attachment_downloads_as_an_attachment_with_its_own_name(client, project):
    attachment = attach(project)
    client.force_login(project.owner)
    response = client.get(reverse("phases:attachment", args=[project.pk, attachment.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="referat.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == "%PDF-1.7 referat fra drøftingsmøtet".encode()


def test_a_person_without_access_is_refused_before_the_storage_is_read(client, project):
    doc = requested(project=project, by=project.owner)
    attachment = attach(project)
    client.force_login(member(ProjectFactory(), Role.OWNER))
    refuse = AssertionError("the storage was read")
    with mock.patch.object(type(storages["default"]), "open", side_effect=refuse) as opened:
        assert client.get(reverse("projects:document", args=[project.pk, doc.pk])).status_code == 404
        assert client.get(reverse("phases:attachment", args=[project.pk, attachment.pk])).status_code == 404
        client.logout()
        assert client.get(reverse("projects:document", args=[project.pk, doc.pk])).status_code == 302
    opened.assert_not_called()


def test_a_changed_pdf_is_shown_as_an_error_and_not_sent(client, project, caplog):
    doc = requested(project=project, by=project.owner)
    overwrite(doc.file, b"%PDF-1.7 another text entirely")
    client.force_login(project.owner)
    response = client.get(reverse("projects:document", args=[project.pk, doc.pk]))
    assert response.status_code == 500
    assert not response.streaming
    html = response.content.decode()
    assert "Filen kan ikke lastes ned" in html and "kontrollsummen" in html
    assert "another text" not in html and "Content-Disposition" not in response
    assert f"Document {doc.pk}" in caplog.text and doc.sha256 in caplog.text


def test_a_missing_attachment_is_shown_as_an_error(client, project):
    attachment = attach(project)
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(project.owner)
    response = client.get(reverse("phases:attachment", args=[project.pk, attachment.pk]))
    assert response.status_code == 500
    assert "Filen kan ikke lastes ned" in response.content.decode()


def test_files_in_s3_are_stored_there_and_checked_on_the_way_out(client, project, s3_storage, settings):
    doc = requested(project=project, by=project.owner)
    attachment = attach(project)
    bucket = settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    prefix = settings.STORAGES["default"]["OPTIONS"]["location"]
    keys = [o["Key"] for o in s3_storage.client().list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"]]
    assert f"{prefix}/{doc.file.name}" in keys and f"{prefix}/{attachment.file.name}" in keys
    client.force_login(project.owner)
    response = client.get(reverse("projects:document", args=[project.pk, doc.pk]))
    assert hashlib.sha256(body(response)).hexdigest() == doc.sha256
    assert body(client.get(reverse("phases:attachment", args=[project.pk, attachment.pk]))).startswith(b"%PDF")

    s3_storage.client().put_object(Bucket=bucket, Key=f"{prefix}/{doc.file.name}", Body=b"%PDF-1.7 tampered")
    response = client.get(reverse("projects:document", args=[project.pk, doc.pk]))
    assert response.status_code == 500 and "Filen kan ikke lastes ned" in response.content.decode()
