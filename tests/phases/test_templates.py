import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from phases.definition import TemplateError, parse_template
from phases.models import ProcessTemplate
from phases.services import template_load
from tests.conftest import MINI_TEMPLATE, TEMPLATE_DIR
from tests.factories import UserFactory, coordinator

pytestmark = pytest.mark.django_db

MINI = MINI_TEMPLATE.read_text(encoding="utf-8")


@pytest.fixture
def english():
    """Problems are named in the active language; these tests read the English ones."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_bergen_template_has_the_four_phases_and_every_activity(bergen_template):
    phases = bergen_template.definition["phases"]
    assert [p["name"]["nb"] for p in phases] == [
        "Mål og behov",
        "Utvikle løsning",
        "Gjennomføring",
        "Evaluere og justere",
    ]
    names = " | ".join(a["name"]["nb"].lower() for p in phases for a in p["activities"])
    expected_names = [
        "mandat",
        "informasjonsplan",
        "ikt-plan",
        "kartlegge dagens praksis",
        "arealprogram",
        "anskaffelse",
        "soneprogram",
        "planløsning",
        "bruksregler",
        "innflytting",
        "evaluering",
    ]
    for expected in expected_names:
        assert expected in names, expected
    tracks = {a["track"] for a in phases[2]["activities"]}
    assert tracks == {"building", "internal"}
    assert all(a["guidance"]["nb"] and a["guidance"]["en"] for p in phases for a in p["activities"])


def test_seven_step_template_loads_as_data():
    template, created = template_load(text=(TEMPLATE_DIR / "aml_seven_steps.toml").read_text(), source="7")
    assert created
    assert len(template.definition["phases"]) == 7


@pytest.mark.usefixtures("english")
def test_malformed_toml_is_refused_with_line_and_nothing_written():
    broken = MINI.replace("version = 1", "version = = 1")
    with pytest.raises(TemplateError) as exc:
        template_load(text=broken, source="broken.toml")
    assert "broken.toml" in str(exc.value)
    assert "line 3" in str(exc.value)
    assert not ProcessTemplate.objects.exists()


@pytest.mark.usefixtures("english")
def test_unknown_role_is_refused_with_key_path():
    with pytest.raises(TemplateError) as exc:
        parse_template(MINI.replace('owner_role = "manager"', 'owner_role = "boss"'), source="mini.toml")
    assert "mini.toml" in str(exc.value)
    assert "phases[0].activities[1].owner_role: 'boss' is not one of" in str(exc.value)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ("mandatory = false", 'mandatory = "no"'),
            "phases[0].activities[0].items[2].mandatory: must be true or false",
        ),
        (('text = { nb = "Studietur", en = "Study visit" }', 'text = { nb = "Studietur" }'), "items[2].text"),
        (('key = "vision"', 'key = "workshop"'), "'workshop' is used twice"),
        (
            ('due = { from = "start", days = 10 }', 'due = { from = "lunch", days = 10 }'),
            "'lunch' is not one of",
        ),
        (('key = "mini"', 'key = "Mini Prosess"'), "key: 'Mini Prosess' is not a key"),
        (('track = "internal"', 'track = "internal"\n  colour = "red"'), "colour: is not a known key"),
    ],
)
@pytest.mark.usefixtures("english")
def test_invalid_values_are_named(change, problem):
    with pytest.raises(TemplateError) as exc:
        parse_template(MINI.replace(*change), source="mini.toml")
    assert problem in str(exc.value)


def test_loading_the_same_version_twice_changes_nothing():
    template_load(text=MINI, source="mini.toml")
    _, created = template_load(text=MINI, source="mini.toml")
    assert not created
    assert ProcessTemplate.objects.count() == 1


def test_same_version_with_other_content_is_refused():
    from django.core.exceptions import ValidationError

    template_load(text=MINI, source="mini.toml")
    with pytest.raises(ValidationError, match="Øk versjonsnummeret"):
        template_load(text=MINI.replace("Hold verksted", "Hold et verksted"), source="mini.toml")
    assert ProcessTemplate.objects.count() == 1


def test_a_new_version_is_a_new_row():
    template_load(text=MINI, source="mini.toml")
    template_load(text=MINI.replace("version = 1", "version = 2"), source="mini.toml")
    assert list(ProcessTemplate.objects.values_list("version", flat=True)) == [2, 1]


def test_command_loads_the_shipped_templates_and_is_idempotent():
    call_command("load_process_templates", verbosity=0)
    call_command("load_process_templates", verbosity=0)
    assert set(ProcessTemplate.objects.values_list("key", "version")) == {
        ("bergen-abw", 6),
        ("aml-seven-steps", 4),
    }


@pytest.mark.usefixtures("english")
def test_command_reports_file_and_reason_and_writes_nothing(tmp_path):
    good = tmp_path / "a_good.toml"
    good.write_text(MINI)
    bad = tmp_path / "b_bad.toml"
    bad.write_text(MINI.replace("version = 1", "version = 0").replace('key = "mini"', 'key = "other"'))
    with pytest.raises(CommandError) as exc:
        call_command("load_process_templates", str(bad), verbosity=0)
    assert "b_bad.toml" in str(exc.value)
    assert "version: must be a whole number from 1" in str(exc.value)
    assert not ProcessTemplate.objects.exists()


def test_coordinator_sees_templates_and_versions(client, mini_template):
    client.force_login(coordinator())
    html = client.get(reverse("phases:templates")).content.decode()
    assert "Minimal prosess" in html
    assert "<code>mini</code>" in html
    detail = client.get(reverse("phases:template", args=[mini_template.pk])).content.decode()
    assert "Hold verksted" in detail


def test_coordinator_uploads_a_new_version(client, mini_template):
    client.force_login(coordinator())
    upload = SimpleUploadedFile("mini.toml", MINI.replace("version = 1", "version = 2").encode())
    response = client.post(reverse("phases:templates"), {"file": upload})
    assert response.status_code == 302
    assert ProcessTemplate.objects.filter(key="mini", version=2).exists()


def test_upload_of_a_bad_file_shows_the_problem_and_loads_nothing(client):
    client.force_login(coordinator())
    upload = SimpleUploadedFile("feil.toml", MINI.replace('owner_role = "manager"', 'owner_role = "boss"').encode())
    response = client.post(reverse("phases:templates"), {"file": upload})
    assert response.status_code == 400
    assert "feil.toml" in response.content.decode()
    assert "owner_role" in response.content.decode()
    assert not ProcessTemplate.objects.exists()


def test_others_cannot_see_templates(client):
    client.force_login(UserFactory())
    assert client.get(reverse("phases:templates")).status_code == 403


@pytest.mark.usefixtures("english")
def test_a_step_may_only_require_signing_roles():
    text = (MINI_TEMPLATE.parent.parent / "participation" / "mini_steps.toml").read_text(encoding="utf-8")
    with pytest.raises(TemplateError) as exc:
        parse_template(text.replace('required_roles = ["union_rep"]', 'required_roles = ["owner"]'), source="s.toml")
    assert "phases[1].activities[0].participation_steps[0].required_roles[0]: 'owner' is not one of" in str(exc.value)
