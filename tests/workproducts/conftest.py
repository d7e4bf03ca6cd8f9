import datetime

import pytest

from phases import services
from projects.models import Role
from tests.factories import ProjectFactory, member


@pytest.fixture
def doc_project(bergen_template):
    """A project on the Bergen process, with the owner, the manager and every representative."""
    project = ProjectFactory(
        name="Økonomi flytter", case_number="2027/42", start_date=datetime.date(2027, 1, 4),
        planned_move_in=datetime.date(2027, 10, 1),
    )  # fmt: skip
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    project.manager = member(project, Role.MANAGER, full_name="Ola Leder")
    project.safety_rep = member(project, Role.SAFETY_REP, full_name="Siri Verne")
    project.union_rep = member(project, Role.UNION_REP, full_name="Tor Tillit")
    project.oh = member(project, Role.OH_SERVICE, full_name="Berit Helse")
    services.process_start(project=project, template=bergen_template, by=project.owner)
    return project
