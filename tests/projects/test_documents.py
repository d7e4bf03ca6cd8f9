"""Generated documents: requested in the request, rendered by the worker, stored once per version."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from projects import documents, extensions
from projects.models import GeneratedDocument
from projects.services import document_render, document_request
from tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

CALLS = []


def _render(document):
    CALLS.append(document.pk)
    if document.project.name == "Feiler":
        raise RuntimeError("template error")
    return b"%PDF-1.7 test " + str(document.version).encode()


@pytest.fixture(autouse=True)
def registered_test_kind():
    CALLS.clear()
    kind = documents.Kind("test-report", label="the test report", render=_render, filename="testrapport")
    with extensions.registered("document_kind", kind):
        yield


def requested(*, project, by):
    """Request a version and run what the request queued after commit (the worker's task; eager in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        doc = document_request(project=project, kind="test-report", by=by)
    doc.refresh_from_db()
    return doc


@pytest.fixture
def owner_project():
    project = ProjectFactory()
    owner = MembershipFactory(project=project, role="owner").user
    return project, owner


def test_request_renders_after_commit_and_stores_hash(owner_project, django_capture_on_commit_callbacks):
    project, owner = owner_project
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        doc = document_request(project=project, kind="test-report", by=owner)
    assert doc.status == GeneratedDocument.Status.PENDING and CALLS == []
    for callback in callbacks:
        callback()
    doc.refresh_from_db()
    assert doc.status == GeneratedDocument.Status.DONE
    data = doc.file.read()
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.size == len(data)


def test_rendering_twice_changes_nothing(owner_project):
    project, owner = owner_project
    doc = requested(project=project, by=owner)
    before = (doc.sha256, doc.file.name, doc.generated_at)
    document_render(document_id=doc.pk)
    doc.refresh_from_db()
    assert (doc.sha256, doc.file.name, doc.generated_at) == before
    assert [doc.pk] == CALLS


def test_new_generation_is_new_version_and_old_one_keeps_its_bytes(owner_project):
    project, owner = owner_project
    first = requested(project=project, by=owner)
    first_bytes = first.file.read()
    second = requested(project=project, by=owner)
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.file.read() == first_bytes and first.sha256 == hashlib.sha256(first_bytes).hexdigest()


def test_a_done_document_cannot_be_changed(owner_project):
    project, owner = owner_project
    doc = requested(project=project, by=owner)
    doc.sha256 = "0" * 64
    with pytest.raises(ValidationError):
        doc.save()


def test_a_failed_render_is_marked_failed_and_shown(client, owner_project):
    project, owner = owner_project
    project.name = "Feiler"
    project.save()
    requested(project=project, by=owner)  # the error is the worker's: the request is not disturbed
    doc = GeneratedDocument.objects.get()
    assert doc.status == GeneratedDocument.Status.FAILED and "template error" in doc.error
    client.force_login(owner)
    page = client.get(reverse("projects:documents", args=[project.pk, "test-report"]))
    assert "kunne ikke genereres" in page.content.decode()
    assert client.get(reverse("projects:document", args=[project.pk, doc.pk])).status_code == 404


def test_reader_may_not_request(owner_project):
    project, _owner = owner_project
    viewer = MembershipFactory(project=project, role="viewer").user
    with pytest.raises(PermissionDenied):
        document_request(project=project, kind="test-report", by=viewer)


def test_page_polls_while_a_version_is_made_and_stops_when_ready(client, owner_project):
    project, owner = owner_project
    pending = GeneratedDocument.objects.create(project=project, kind="test-report", version=1, requested_by=owner)
    client.force_login(owner)
    url = reverse("projects:documents", args=[project.pk, "test-report"])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in html and "genereres" in html
    document_render(document_id=pending.pk)
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' not in html and "Versjon 1" in html


def test_outsider_gets_404_for_the_versions_and_the_file(client, owner_project):
    project, owner = owner_project
    doc = requested(project=project, by=owner)
    client.force_login(MembershipFactory(role="owner").user)
    assert client.get(reverse("projects:documents", args=[project.pk, "test-report"])).status_code == 404
    assert client.get(reverse("projects:document", args=[project.pk, doc.pk])).status_code == 404
    assert client.get(reverse("projects:documents", args=[project.pk, "no-such-kind"])).status_code == 404


def test_render_pdf_counts_pages_and_sets_language_and_title(tmp_path):
    import io

    from django.template import engines
    from pypdf import PdfReader

    template = tmp_path / "two_pages.html"
    template.write_text(
        '{% extends "pdf/base.html" %}{% block title %}Rapport{% endblock %}'
        "{% block content %}<p>1</p><p style='page-break-before: always'>2</p>{% endblock %}"
    )
    engine = engines["django"].engine
    engine.dirs = [*engine.dirs, str(tmp_path)]
    try:
        pdf = documents.render_pdf("two_pages.html", {}, lang="nb")
    finally:
        engine.dirs = engine.dirs[:-1]
    reader = PdfReader(io.BytesIO(pdf))
    assert pdf.pages == len(reader.pages) == 2
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    assert reader.metadata.title == "Rapport"
    assert "Side 2 av 2" in reader.pages[1].extract_text()


# Asked for once, of something that exists (issue 23) -------------------------------------------------------------


def test_asking_twice_while_a_version_is_made_gives_the_same_pending_version(client, owner_project):
    project, owner = owner_project
    with TestCase.captureOnCommitCallbacks(execute=False):
        first = document_request(project=project, kind="test-report", by=owner)
        again = document_request(project=project, kind="test-report", by=owner)
    assert again.pk == first.pk and again.version == 1
    client.force_login(owner)
    url = reverse("projects:document_request", args=[project.pk, "test-report"])
    with TestCase.captureOnCommitCallbacks(execute=False):
        assert client.post(url).status_code == 302  # the button pressed twice more
        assert client.post(url, headers={"HX-Request": "true"}).status_code == 200
    assert list(GeneratedDocument.objects.values_list("version", "status")) == [(1, "pending")]
    document_render(document_id=first.pk)
    assert requested(project=project, by=owner).version == 2  # once it is ready, a new request is a new version


def test_a_pdf_is_asked_for_only_of_something_that_exists(client, owner_project):
    project, owner = owner_project
    kind = documents.Kind(
        "test-report", label="the test report", render=_render, filename="t", exists=lambda p: p.name == "Har"
    )
    with extensions.registered("document_kind", kind):
        with pytest.raises(ValidationError):
            document_request(project=project, kind="test-report", by=owner)
        client.force_login(owner)
        url = reverse("projects:document_request", args=[project.pk, "test-report"])
        assert client.post(url).status_code == 404
        assert not GeneratedDocument.objects.exists()
        project.name = "Har"
        project.save()
        assert client.post(url).status_code == 302
    assert GeneratedDocument.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_make_one_version(postgres, monkeypatch):
    """Two threads, two connections, both past the look for a version in progress before either inserts: one
    row, and both get it."""
    import threading

    from django.db import connection

    project = ProjectFactory()
    owner = MembershipFactory(project=project, role="owner").user
    barrier = threading.Barrier(2, timeout=10)
    from projects import services

    real = services._document_in_progress
    calls = []

    def look_then_wait(*args):
        found = real(*args)
        calls.append(found)
        if len(calls) <= 2:
            barrier.wait()
        return found

    monkeypatch.setattr(services, "_document_in_progress", look_then_wait)
    monkeypatch.setattr(services.outbox, "wake", lambda ids: 0)
    got = []

    def request():
        try:
            got.append(document_request(project=project, kind="test-report", by=owner).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 2 and got[0] == got[1]
    assert GeneratedDocument.objects.filter(project=project).count() == 1
