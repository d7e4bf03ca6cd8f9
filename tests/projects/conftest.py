import pytest

from projects.models import Role
from tests.factories import ProjectFactory, member


# A project and its owner, for the tests of the members page (a test file with its own `project` keeps it).
@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def owner(project):
    return member(project, Role.OWNER)
