"""Template uploads: problems in the interface's language, every stored length and character checked before
anything is written (PostgreSQL refuses what SQLite lets through), a size limit, and the TOML of any loaded
version to download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases.definition import TemplateError, parse_template
from phases.models import ProcessTemplate
from projects.models import Project, Role
from projects.services import project_create
from tests.conftest import MINI_TEMPLATE
from tests.factories import OrgUnitFactory, coordinator

pytestmark = pytest.mark.django_db

MINI = MINI_TEMPLATE.read_text(encoding="utf-8")


def _upload(client, text, name="mal.toml"):
    return client.post(reverse("phases:templates"), {"file": SimpleUploadedFile(name, text.encode())})


def test_problems_read_in_norwegian_on_a_norwegian_page(client):
    client.force_login(coordinator())
    html = _upload(client, MINI.replace('owner_role = "manager"', 'owner_role = "boss"')).content.decode()
    assert "phases[0].activities[1].owner_role: &#x27;boss&#x27; er ikke en av" in html
    assert "is not one of" not in html


def test_problems_read_in_english_on_an_english_page(client):
    client.force_login(coordinator(preferred_language="en"))
    client.cookies["django_language"] = "en"
    html = _upload(client, MINI.replace("mandatory = false", 'mandatory = "no"')).content.decode()
    assert "mandatory: must be true or false" in html


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('key = "goals"', 'key = "' + "g" * 81 + '"'), "phases[0].activities[0].key: is longer than 80"),
        (('key = "mini"', 'key = "' + "m" * 81 + '"'), "key: is longer than 80"),
        (
            ('name = { nb = "Første fase", en = "First phase" }', 'name = { nb = "' + "F" * 201 + '", en = "First" }'),
            "phases[0].name.nb: is longer than 200",
        ),
        (('name = { nb = "Mål", en = "Goals" }', 'name = { nb = "M\\u0000l", en = "Goals" }'), "NUL"),
        (("version = 1", "version = 99999999999"), "version: must be a whole number from 1 to 32767"),
    ],
)
def test_every_stored_length_and_character_is_checked(change, problem):
    from django.utils import translation

    with translation.override("en"), pytest.raises(TemplateError) as exc:
        parse_template(MINI.replace(*change, 1), source="mini.toml")
    assert problem in str(exc.value)


def test_a_long_key_gives_a_form_error_and_loads_nothing(client):
    client.force_login(coordinator())
    response = _upload(client, MINI.replace('key = "goals"', 'key = "' + "g" * 81 + '"', 1))
    assert response.status_code == 400
    assert "er lengre enn 80 tegn" in response.content.decode()
    assert not ProcessTemplate.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client):
    client.force_login(coordinator())
    response = _upload(client, MINI + "#" * (600 * 1024))
    assert response.status_code == 400
    assert "større enn 512 kB" in response.content.decode()
    assert not ProcessTemplate.objects.exists()


def test_a_template_at_every_limit_loads_and_starts_projects(postgres):
    from phases.services import template_load

    longest = (
        MINI.replace('key = "mini"', 'key = "' + "m" * 80 + '"', 1)
        .replace('key = "goals"', 'key = "' + "g" * 80 + '"', 1)
        .replace('name = { nb = "Første fase", en = "First phase" }', 'name = { nb = "' + "F" * 200 + '", en = "F" }')
    )
    template, _ = template_load(text=longest, source="lang.toml")
    boss = coordinator()
    project = project_create(by=boss, name="Grensetilfelle", units=[OrgUnitFactory()], options={"template": template})
    assert project.phases.get(order=1).name_nb == "F" * 200
    assert Project.objects.filter(memberships__role=Role.OWNER).exists()


def test_coordinator_downloads_the_toml_of_a_loaded_version(client, mini_template):
    client.force_login(coordinator())
    listing = client.get(reverse("phases:templates")).content.decode()
    url = reverse("phases:template_source", args=[mini_template.pk])
    assert f'href="{url}"' in listing
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode() == MINI
    assert 'filename="mini-v1.toml"' in response["Content-Disposition"]
