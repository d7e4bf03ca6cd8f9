"""Issue 24 point 2: the AMU contact lands on *Til godkjenning* and sees the AMU treatments coming up in their
projects: being prepared, then sent and waiting, gone once the AMU has signed; and the AMU meetings planned."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from participation import services
from participation.models import Meeting, Step
from phases import services as phase_services
from projects.models import Membership, Role
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db
NAME = "AMU-behandling av byggeplaner og arbeidsprosesser"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2027, 3, 15, 10, tzinfo=datetime.UTC), tick=False):
        yield datetime.date(2027, 3, 15)


@pytest.fixture
def project(bergen_template):
    project = ProjectFactory(
        name="Arkivet flytter", start_date=datetime.date(2027, 1, 4), planned_move_in=datetime.date(2027, 12, 1)
    )
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    project.amu = member(project, Role.AMU, full_name="Arne Utvalg")
    project.safety_rep = member(project, Role.SAFETY_REP)
    phase_services.process_start(project=project, template=bergen_template, by=project.owner)
    return project


def _inbox(client, user):
    client.force_login(user)
    return client.get(reverse("participation:inbox")).content.decode()


def _amu_section(client, user):
    page = _inbox(client, user)
    return page.split("AMU-behandlinger som kommer")[1].split('id="signed-heading"')[0]


def test_the_amu_contact_lands_on_the_inbox_and_sees_what_is_coming(client, project):
    client.force_login(project.amu)
    assert client.get("/").url == reverse("participation:inbox")
    page = _inbox(client, project.amu)
    assert "AMU-behandlinger som kommer" in page
    section = page[page.index("AMU-behandlinger som kommer") :]
    assert NAME in section and "Arkivet flytter" in section
    assert "Forberedes av prosjektet" in section
    step = Step.objects.get(project=project, kind="amu")
    assert step.activity.due_date.strftime("%d.%m.%Y") in section


def test_sent_it_waits_and_signed_it_is_gone(client, project):
    step = Step.objects.get(project=project, kind="amu")
    services.step_update(step=step, by=project.owner, summary="Planene legges fram for AMU 20. april.", meetings=[])
    services.step_send(step=step, by=project.owner)
    section = _amu_section(client, project.amu)
    assert NAME in section and "Sendt: venter på din godkjenning" in section
    services.signoff_record(step=Step.objects.get(pk=step.pk), by=project.amu, decision="approved")
    section = _amu_section(client, project.amu)
    assert NAME not in section
    assert "Ingen AMU-behandling kommer" in section


def test_amu_meetings_planned_are_listed(client, project, today):
    Meeting.objects.create(project=project, type=Meeting.Type.AMU, title="AMU-møte om planløsningen",
                           held_on=datetime.date(2027, 4, 20), created_by=project.owner)  # fmt: skip
    Meeting.objects.create(project=project, type=Meeting.Type.AMU, title="Forrige AMU-møte",
                           held_on=datetime.date(2027, 2, 1), created_by=project.owner)  # fmt: skip
    page = _inbox(client, project.amu)
    assert "AMU-møte om planløsningen" in page and "20. april 2027" in page
    assert "Forrige AMU-møte" not in page


def test_only_the_amu_contact_of_the_project_sees_it(client, project, bergen_template):
    other = ProjectFactory(name="Annet prosjekt", start_date=datetime.date(2027, 1, 4))
    other_owner = member(other, Role.OWNER)
    phase_services.process_start(project=other, template=bergen_template, by=other_owner)
    page = _inbox(client, project.amu)
    assert "Annet prosjekt" not in page
    assert "AMU-behandlinger som kommer" not in _inbox(client, project.safety_rep)


def test_the_section_costs_a_fixed_number_of_queries(client, project, bergen_template):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        client.force_login(project.amu)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("participation:inbox"))
        return len(queries)

    few = count()
    for n in range(3):
        more = ProjectFactory(name=f"Prosjekt {n}", start_date=datetime.date(2027, 1, 4))
        phase_services.process_start(project=more, template=bergen_template, by=member(more, Role.OWNER))
        Membership.objects.create(project=more, user=project.amu, role=Role.AMU)
    assert count() == few
