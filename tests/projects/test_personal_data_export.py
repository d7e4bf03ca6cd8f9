"""A person's data export (issue 30): asked for on *Your data*, made by the worker as a file in the storage, told
about with a notification and a download link on the same page, downloaded only by its owner."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from projects import outbox
from projects.models import Job, Notification, PersonalDataExport, Role
from projects.services import personal_data_export_make, personal_data_export_request
from tests.factories import ProjectFactory, UserFactory, member
from tests.support.my_data import download_link, my_data_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    project = ProjectFactory(name="Flytting av Økonomi")
    return member(project, Role.SAFETY_REP, full_name="Siri Verne")


def asked(client, **extra):
    """The button on the page, with the worker's job run after the commit (eager in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("my_data"), **extra)


def test_the_person_reaches_it_from_settings_and_reads_the_file_back(client, person):
    client.force_login(person)
    assert reverse("my_data") in client.get(reverse("settings")).content.decode()
    page = client.get(reverse("my_data")).content.decode()
    assert "Lag en fil med dataene dine" in page and download_link(client) is None
    assert asked(client).url == reverse("my_data")
    export = PersonalDataExport.objects.get(user=person)
    assert export.status == PersonalDataExport.Status.DONE
    assert export.file.storage.exists(export.file.name)
    # Told with a notification that leads to the page with the link.
    notification = Notification.objects.get(recipient=person, kind="personal_data_export")
    assert notification.url == reverse("my_data") and notification.read_at is None
    assert "klar" in notification.message
    assert "klar" in client.get(reverse("notifications")).content.decode()
    link = download_link(client)
    assert link == reverse("my_data_download", args=[export.pk])
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(b"".join(response.streaming_content))
    assert data["person"]["email"] == person.email and data["person"]["full_name"] == "Siri Verne"
    assert [m["role"] for m in data["records"]["projects.Membership.user"]] == [Role.SAFETY_REP]


def test_nobody_else_downloads_it(client, person):
    client.force_login(person)
    asked(client)
    link = download_link(client)
    client.logout()
    assert client.get(link).status_code == 302  # to log in
    for other in (UserFactory(), UserFactory(is_staff=True, is_superuser=True)):
        client.force_login(other)
        assert client.get(link).status_code == 404
        assert download_link(client) is None  # their page lists only their own


def test_before_the_worker_runs_the_page_says_it_is_being_made_and_asking_again_gives_the_same(client, person):
    client.force_login(person)
    with TestCase.captureOnCommitCallbacks(execute=False):
        client.post(reverse("my_data"))
        client.post(reverse("my_data"))
    export = PersonalDataExport.objects.get(user=person)
    assert export.status == PersonalDataExport.Status.PENDING
    assert Job.objects.filter(kind="personal_data.export").count() == 1
    page = client.get(reverse("my_data")).content.decode()
    assert "Filen lages nå" in page and 'hx-trigger="every 2s"' in page
    assert client.get(reverse("my_data_download", args=[export.pk])).status_code == 404
    assert not Notification.objects.filter(recipient=person).exists()


def test_the_job_run_twice_does_nothing_more(client, person):
    client.force_login(person)
    asked(client)
    export = PersonalDataExport.objects.get(user=person)
    before = (export.file.name, export.sha256, export.generated_at)
    job = Job.objects.get(kind="personal_data.export")
    assert job.state == Job.State.DONE
    personal_data_export_make(export_id=export.pk)
    Job.objects.filter(pk=job.pk).update(state=Job.State.PENDING)  # as if the worker died before marking it done
    assert outbox.run(job.pk) == "done"
    export.refresh_from_db()
    assert (export.file.name, export.sha256, export.generated_at) == before
    assert Notification.objects.filter(recipient=person).count() == 1
    assert len(export.file.storage.listdir(export.file.name.rsplit("/", 2)[0])[0]) == 1


def test_a_new_file_replaces_the_earlier_one(client, person):
    client.force_login(person)
    first = json.loads(my_data_file(client))
    old = PersonalDataExport.objects.get(user=person)
    second = json.loads(my_data_file(client))
    assert first["person"] == second["person"]
    assert list(PersonalDataExport.objects.filter(user=person)) != [old]
    assert PersonalDataExport.objects.filter(user=person).count() == 1
    assert not old.file.storage.exists(old.file.name)
    assert client.get(reverse("my_data_download", args=[old.pk])).status_code == 404
    assert Notification.objects.filter(recipient=person, kind="personal_data_export").count() == 2


def test_a_failed_job_is_shown_and_the_person_asks_again(client, person, monkeypatch):
    client.force_login(person)

    def broken(*, user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("projects.personal_data.person_data", broken)
    asked(client)  # the first attempt, then the others after their pauses
    job = Job.objects.get(kind="personal_data.export")
    while Job.objects.get(pk=job.pk).state != Job.State.FAILED:
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
        outbox.run(job.pk)
    assert Job.objects.get(pk=job.pk).attempts == 3
    assert PersonalDataExport.objects.get(user=person).status == PersonalDataExport.Status.FAILED
    assert "Filen kunne ikke lages" in client.get(reverse("my_data")).content.decode()
    monkeypatch.undo()
    assert json.loads(my_data_file(client))["person"]["email"] == person.email


def test_htmx_asks_and_gets_the_part_of_the_page(client, person):
    client.force_login(person)
    response = asked(client, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    # The part of the page, polling: the worker takes the job after the request's commit.
    assert body.lstrip().startswith('<div id="my-data" hx-get=') and "<html" not in body
    assert "Filen lages nå" in body
    polled = client.get(reverse("my_data"), headers={"HX-Request": "true"}).content.decode()
    assert download_link(client) in polled and "hx-get" not in polled


def test_an_inactive_person_cannot_ask(person):
    person.is_active = False
    with pytest.raises(PermissionDenied):
        personal_data_export_request(by=person)


def test_the_file_is_stored_in_object_storage(client, person, s3_storage, settings):
    client.force_login(person)
    data = json.loads(my_data_file(client))
    assert data["person"]["email"] == person.email
    export = PersonalDataExport.objects.get(user=person)
    bucket = settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    prefix = settings.STORAGES["default"]["OPTIONS"]["location"]
    stored = s3_storage.client().get_object(Bucket=bucket, Key=f"{prefix}/{export.file.name}")["Body"].read()
    assert json.loads(stored) == data
