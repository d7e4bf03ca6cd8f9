"""Issue 28 point 2: the toolbox coordinators keep, shown on activity pages and searched by owners."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases.models import Activity
from phases.services import process_start, template_load
from projects.models import Role
from tests.factories import ProjectFactory, coordinator, member
from toolbox import services
from toolbox.models import Entry, EntryFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def coord():
    return coordinator()


@pytest.fixture
def project(bergen_template):
    project = ProjectFactory()
    project.owner = member(project, Role.OWNER)
    project.safety_rep = member(project, Role.SAFETY_REP)
    process_start(project=project, template=bergen_template, by=project.owner)
    return project


def _link(coord, title="Eksempel på mandat", activities=("bergen-abw:mandate",), **kw):
    data = {"kind": "example", "language": "nb", "url": "https://example.org/mandat", "description": "Fra Rådhuset"}
    data.update(kw)
    return services.entry_save(by=coord, title=title, activities=list(activities), **data)


def _activity_page(client, project, key):
    activity = Activity.objects.get(project=project, key=key)
    return client.get(reverse("phases:activity", args=[project.pk, activity.pk])).content.decode()


def test_the_activity_page_shows_the_entries_tied_to_it(client, project, coord):
    _link(coord)
    _link(coord, title="Sjekkliste for risiko", activities=["bergen-abw:risk-assessment"])
    client.force_login(project.owner)
    page = _activity_page(client, project, "mandate")
    assert "Fra verktøykassen" in page and "Eksempel på mandat" in page
    assert "Sjekkliste for risiko" not in page
    assert "Fra verktøykassen" not in _activity_page(client, project, "ict-plan")  # nothing tied: no card


def test_a_new_template_version_keeps_its_entries(client, project, coord, bergen_template):
    _link(coord)
    newer = bergen_template.source.replace(f"version = {bergen_template.version}", "version = 99", 1)
    v99, created = template_load(text=newer, source="bergen_abw.toml")
    assert created
    later = ProjectFactory()
    later_owner = member(later, Role.OWNER)
    process_start(project=later, template=v99, by=later_owner)
    client.force_login(later_owner)
    assert "Eksempel på mandat" in _activity_page(client, later, "mandate")


def test_a_file_is_stored_with_its_checksum_and_downloaded(client, project, coord):
    body = b"Sjekkliste\n- runde hver time\n"
    entry = services.entry_save(
        by=coord, title="Sjekkliste", kind="checklist", language="nb", url="", description="",
        activities=["bergen-abw:mapping"], upload=SimpleUploadedFile("sjekk.txt", body),
    )  # fmt: skip
    stored = EntryFile.objects.get(entry=entry)
    assert stored.sha256 == hashlib.sha256(body).hexdigest()
    client.force_login(project.owner)
    assert reverse("toolbox:file", args=[entry.pk]) in _activity_page(client, project, "mapping")
    response = client.get(reverse("toolbox:file", args=[entry.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == body


def test_an_entry_needs_a_link_or_a_file_and_an_activity(coord):
    with pytest.raises(ValidationError) as exc:
        _link(coord, url="")
    assert "url" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _link(coord, activities=[])
    assert "activities" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _link(coord, upload=SimpleUploadedFile("a.txt", b"hei"))  # both a link and a file
    assert not Entry.objects.exists()


def test_only_coordinators_keep_the_toolbox(client, project, coord):
    with pytest.raises(PermissionDenied):
        _link(project.owner)
    entry = _link(coord)
    client.force_login(project.owner)
    assert client.get(reverse("toolbox:create")).status_code == 403
    assert client.post(reverse("toolbox:delete", args=[entry.pk])).status_code == 403
    page = client.get(reverse("toolbox:list")).content.decode()
    assert "Eksempel på mandat" in page and reverse("toolbox:edit", args=[entry.pk]) not in page
    client.force_login(coord)
    form = client.get(reverse("toolbox:create")).content.decode()
    assert "bergen-abw:mandate" in form  # the activities of the template to tie an entry to
    response = client.post(
        reverse("toolbox:create"),
        {"title": "Bruksregler", "kind": "example", "language": "nn", "url": "https://example.org/b",
         "activities": ["bergen-abw:house-rules"]},
    )  # fmt: skip
    assert response.status_code == 302
    assert client.post(reverse("toolbox:delete", args=[entry.pk])).status_code == 302
    assert list(Entry.objects.values_list("title", flat=True)) == ["Bruksregler"]


def test_the_owner_searches_the_toolbox_accent_insensitively(client, project, coord):
    _link(coord, title="Bruksregler for sonene", description="Stillerom og rydding")
    _link(coord, title="Krav til ombyggingen", description="Akustikk og lys", kind="specification")
    client.force_login(project.owner)
    page = client.get(reverse("toolbox:list"), {"q": "BRUKSREGLER sone"}).content.decode()
    assert "Bruksregler for sonene" in page and "Krav til ombyggingen" not in page
    page = client.get(reverse("toolbox:list"), {"q": "stillerom"}).content.decode()
    assert "Bruksregler for sonene" in page
    page = client.get(reverse("toolbox:list"), {"q": "akustikk", "kind": "example"}).content.decode()
    assert "Krav til ombyggingen" not in page and "Ingenting i verktøykassen" in page


def test_owners_reach_the_toolbox_from_the_top_bar_and_coordinators_from_oversikt(client, project, coord):
    client.force_login(project.owner)
    page = client.get(reverse("projects:mine")).content.decode()
    assert f'href="{reverse("toolbox:list")}"' in page
    toolbox = client.get(reverse("toolbox:list")).content.decode()
    assert reverse("lessons:register") in toolbox  # the register of lessons learned, from the toolbox's page
    client.force_login(coord)
    overview = client.get(reverse("dashboard:overview")).content.decode()
    assert reverse("toolbox:list") in overview and reverse("lessons:register") in overview
