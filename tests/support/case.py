"""The project most app tests start from (surveys, evaluation): a clock fixed at 15 March 2027, a project started
5 January 2026 with one person in each of its roles, and an HR adviser and a coordinator outside it.

A conftest takes them by name: `today, project, owner, hr, coord = case.today, case.project, …`."""

import datetime

import pytest
import time_machine

from projects.models import Role
from tests.factories import ProjectFactory, coordinator, hr_adviser, member

TODAY = datetime.date(2027, 3, 15)


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2027, 3, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def project(db, today):
    project = ProjectFactory(start_date=datetime.date(2026, 1, 5), planned_move_in=datetime.date(2026, 9, 1))
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    project.manager = member(project, Role.MANAGER)
    project.safety_rep = member(project, Role.SAFETY_REP)
    project.union_rep = member(project, Role.UNION_REP)
    project.viewer = member(project, Role.VIEWER)
    project.oh_service = member(project, Role.OH_SERVICE)
    return project


@pytest.fixture
def owner(project):
    return project.owner


@pytest.fixture
def coord(db):
    return coordinator()


@pytest.fixture
def hr(db):
    return hr_adviser()
