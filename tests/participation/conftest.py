import datetime

import pytest

from phases import services as phase_services
from projects.models import Role
from tests.factories import ProjectFactory, member


@pytest.fixture
def unsent_project(steps_template):
    """A project with its owner, the three representatives and the process started; no step sent yet."""
    project = ProjectFactory(name="Økonomi flytter", start_date=datetime.date(2027, 1, 4))
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    project.safety_rep = member(project, Role.SAFETY_REP, full_name="Siri Verne")
    project.union_rep = member(project, Role.UNION_REP, full_name="Tor Tillit")
    project.oh = member(project, Role.OH_SERVICE, full_name="Berit Helse")
    phase_services.process_start(project=project, template=steps_template, by=project.owner)
    return project


@pytest.fixture
def project(unsent_project):
    """The same project with every step sent for sign-off."""
    prepare_steps(unsent_project)
    return unsent_project


def prepare_steps(project):
    """The owner writes a summary on every step and sends it for sign-off."""
    from participation import services

    for step in project.participation_steps.all():
        services.step_update(step=step, by=project.owner, summary=f"Legges fram: {step.name_nb}.", meetings=[])
        services.step_send(step=step, by=project.owner)


def revise(step, by, summary, meetings=()):
    """The owner changes the draft and sends it for sign-off as the next version."""
    from participation import services

    services.step_update(step=step, by=by, summary=summary, meetings=list(meetings))
    return services.step_send(step=step, by=by)


@pytest.fixture
def step(project):
    return project.participation_steps.get(key="mandate-consultation")
