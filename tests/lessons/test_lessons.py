"""Issue 28 point 5: lessons learned carried from one project to the next owner."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lessons import services
from lessons.models import Lesson
from phases.models import Phase
from phases.services import process_start
from projects.models import Role
from tests.factories import ProjectFactory, coordinator, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def coord():
    return coordinator()


def _project(template, name):
    project = ProjectFactory(name=name)
    project.owner = member(project, Role.OWNER)
    project.safety_rep = member(project, Role.SAFETY_REP)
    process_start(project=project, template=template, by=project.owner)
    return project


@pytest.fixture
def earlier(bergen_template):
    return _project(bergen_template, "Byarkivet")


@pytest.fixture
def new(bergen_template):
    return _project(bergen_template, "Sykehjemsetaten")


def _write(project, by, phase_key="goals-and-needs", next_time="Hold informasjonsmøtet tidlig"):
    phase = Phase.objects.get(project=project, key=phase_key)
    return services.lesson_write(
        project=project, by=by, phase=phase, what_happened="Ansatte hørte om flyttingen i avisen",
        next_time=next_time, tags="informasjon, Medvirkning, informasjon",
    )  # fmt: skip


def test_a_shared_lesson_reaches_the_new_owner_in_that_phase_and_not_before(client, earlier, new, coord):
    lesson = _write(earlier, earlier.owner)
    assert lesson.tags == "informasjon, Medvirkning"
    client.force_login(new.owner)
    overview = reverse("projects:detail", args=[new.pk])
    assert "Hold informasjonsmøtet tidlig" not in client.get(overview).content.decode()  # not shared yet
    assert "Hold informasjonsmøtet tidlig" not in client.get(reverse("lessons:project", args=[new.pk])).content.decode()
    services.lesson_share(lesson=lesson, by=coord, shared=True)
    page = client.get(overview).content.decode()
    assert "Erfaringer fra tidligere prosjekter" in page and "Hold informasjonsmøtet tidlig" in page
    assert "Hold informasjonsmøtet tidlig" in client.get(reverse("lessons:project", args=[new.pk])).content.decode()


def test_a_lesson_for_another_phase_waits_for_that_phase(client, earlier, new, coord):
    services.lesson_share(lesson=_write(earlier, earlier.owner, "execution", "Bestill utstyret tidlig"), by=coord,
                          shared=True)  # fmt: skip
    client.force_login(new.owner)
    assert "Bestill utstyret tidlig" not in client.get(reverse("projects:detail", args=[new.pk])).content.decode()
    for key in ("goals-and-needs", "develop-solution"):  # the new project reaches the execution phase
        Phase.objects.filter(project=new, key=key).update(completed_at="2027-01-01T10:00:00Z")
    assert "Bestill utstyret tidlig" in client.get(reverse("projects:detail", args=[new.pk])).content.decode()


def test_the_owner_writes_from_the_evaluation_phase_and_a_representative_may_not(client, earlier):
    client.force_login(earlier.owner)
    evaluation = Phase.objects.get(project=earlier, key="evaluate-adjust")
    response = client.post(
        reverse("lessons:create", args=[earlier.pk]),
        {"phase": evaluation.pk, "what_happened": "Bruksreglene var ukjente", "next_time": "Ta dem inn i opplæringen",
         "tags": "bruksregler"},
    )  # fmt: skip
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.phase_key, lesson.template_key, lesson.shared) == ("evaluate-adjust", "bergen-abw", False)
    client.force_login(earlier.safety_rep)
    assert client.get(reverse("lessons:create", args=[earlier.pk])).status_code == 403
    assert "Ta dem inn i opplæringen" in client.get(reverse("lessons:project", args=[earlier.pk])).content.decode()
    with pytest.raises(PermissionDenied):
        _write(earlier, earlier.safety_rep)


def test_only_a_coordinator_shares(client, earlier, coord):
    lesson = _write(earlier, earlier.owner)
    with pytest.raises(PermissionDenied):
        services.lesson_share(lesson=lesson, by=earlier.owner, shared=True)
    client.force_login(earlier.owner)
    assert client.post(reverse("lessons:share", args=[lesson.pk]), {"shared": "1"}).status_code == 403
    client.force_login(coord)
    assert client.post(reverse("lessons:share", args=[lesson.pk]), {"shared": "1"}).status_code == 302
    lesson.refresh_from_db()
    assert lesson.shared and lesson.shared_by == coord


def test_the_register_searches_accent_insensitively_and_hides_unshared_from_others(client, earlier, new, coord):
    shared = _write(earlier, earlier.owner, next_time="Prøv soneplanen med arbeidsgruppen før vedtak")
    services.lesson_share(lesson=shared, by=coord, shared=True)
    _write(earlier, earlier.owner, next_time="Intern merknad om støy")
    client.force_login(new.owner)
    page = client.get(reverse("lessons:register"), {"q": "PROV soneplanen"}).content.decode()
    assert "Prøv soneplanen" in page
    assert "Intern merknad" not in client.get(reverse("lessons:register"), {"q": "stoy"}).content.decode()
    client.force_login(coord)
    assert "Intern merknad" in client.get(reverse("lessons:register"), {"q": "stoy"}).content.decode()
