import datetime

import pytest

from phases import services
from projects.models import Role
from tests.factories import ProjectFactory, member


@pytest.fixture
def project(mini_template):
    project = ProjectFactory(start_date=datetime.date(2027, 1, 4), planned_move_in=datetime.date(2027, 10, 1))
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    services.process_start(project=project, template=mini_template, by=project.owner)
    return project


@pytest.fixture
def owner(project):
    return project.owner


def item(project, key):
    return project.phases.get(order=1).items.get(key=key) if key != "moved" else project.phases.get(order=2).items.get()
