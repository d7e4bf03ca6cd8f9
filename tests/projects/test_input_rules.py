"""One date rule and one-line fields, everywhere (issue 23): every date lies between 2000 and 2100 and every
one-line text holds no line break, checked by the model (so every service's full_clean refuses it) and shown at
the field with what was typed kept."""

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from evaluation import services as evaluation_services
from evaluation.models import Measure
from projects.models import Project, Role
from projects.validators import SensibleDate, SingleLine, single_line
from tests.factories import OrgUnitFactory, ProjectFactory, coordinator, member
from tests.projects.test_create_project import form_data


def _ours(config) -> bool:
    """The product's own apps (every app in the repository), not Django's or a library's."""
    root = str(settings.BASE_DIR)
    return config.path.startswith(root) and ".venv" not in config.path


def _fields(kind):
    ours = {c.label for c in apps.get_app_configs() if _ours(c)}
    assert {"projects", "phases", "workproducts", "space", "participation", "evaluation"} <= ours
    for model in apps.get_models():
        if model._meta.app_label not in ours or model.__name__.startswith("Historical"):
            continue
        for f in model._meta.get_fields():
            if type(f) is kind:
                yield model, f


def test_every_date_field_has_the_date_rule():
    missing = [f"{m._meta.label}.{f.name}" for m, f in _fields(models.DateField)]
    missing = [name for (m, f), name in zip(_fields(models.DateField), missing, strict=True)
               if not any(isinstance(v, SensibleDate) for v in f.validators)]  # fmt: skip
    assert missing == []
    assert len(list(_fields(models.DateField))) >= 27


def test_every_one_line_text_field_refuses_line_breaks():
    missing = [
        f"{m._meta.label}.{f.name}"
        for m, f in _fields(models.CharField)
        if not f.choices
        and not any(isinstance(v, SingleLine) for v in f.validators)
        and f.editable  # a value the code sets (an import's batch), never a person's text
        and f"{m._meta.label}.{f.name}" != "projects.User.password"  # Django's hash
    ]
    assert missing == []


@pytest.mark.parametrize("text", ["a\nb", "a\r\nb", "a\rb", "a\u2028b", "a\x0bb", "a\x85b"])
def test_a_line_break_of_any_kind_is_refused(text):
    with pytest.raises(ValidationError) as exc:
        single_line(text)
    assert exc.value.code == "single_line"
    single_line("Flytting til Rådhuset – 3. etasje\t(A)")  # tabs and dashes are not breaks


@pytest.mark.django_db
def test_a_project_name_with_a_line_break_is_refused_at_the_field_and_kept(client):
    unit = OrgUnitFactory(name="Økonomi")
    client.force_login(coordinator())
    response = client.post(reverse("projects:create"), form_data(unit, name="Flytting\r\nBcc: alle@example.no"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv dette på én linje, uten linjeskift." in html
    assert "Flytting\r\nBcc: alle@example.no" in html or "Flytting\nBcc: alle@example.no" in html
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_a_measure_due_9999_is_refused_by_the_service_and_at_the_field(client):
    project = ProjectFactory(start_date=datetime.date(2026, 1, 5))
    owner = member(project, Role.OWNER)
    fields = {
        "focus_area": "Støy",
        "goal": "Ro",
        "activity": "Stillerom",
        "responsible": "Kari",
        "source": "evaluation",
    }
    with pytest.raises(ValidationError) as exc:
        evaluation_services.measure_create(project=project, by=owner, due_date=datetime.date(9999, 12, 31), **fields)
    assert "due_date" in exc.value.message_dict
    client.force_login(owner)
    response = client.post(
        reverse("evaluation:measure_create", args=[project.pk]),
        {**fields, "due_date": "9999-12-31", "status": "planned"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Velg en dato mellom 01.01.2000 og 31.12.2100." in html
    assert 'value="9999-12-31"' in html and 'value="Stillerom"' not in html  # the activity is a textarea
    assert "Stillerom</textarea>" in html
    assert not Measure.objects.exists()


@pytest.mark.django_db
def test_a_measure_responsible_with_a_line_break_is_refused():
    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    with pytest.raises(ValidationError) as exc:
        evaluation_services.measure_create(
            project=project, by=owner, focus_area="Støy", goal="Ro", activity="Stillerom",
            responsible="Kari\nEier", source="evaluation",
        )  # fmt: skip
    assert list(exc.value.message_dict) == ["responsible"]
