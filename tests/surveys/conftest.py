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
    return project


@pytest.fixture
def owner(project):
    return project.owner


@pytest.fixture
def hr(db):
    return hr_adviser()


@pytest.fixture
def coord(db):
    return coordinator()


@pytest.fixture
def questionnaire(db):
    from surveys.services import questionnaires_load_shipped

    return questionnaires_load_shipped()[0]


def addresses(n, unit=""):
    return [(f"ansatt{i}@example.no", unit) for i in range(n)]


@pytest.fixture
def start(project, owner, questionnaire, today):
    """start(kind="baseline", people=[(address, unit)]) -> the survey, running from today for two weeks."""
    from surveys.services import survey_start

    def _start(kind="baseline", people=None, **kwargs):
        return survey_start(
            project=project, kind=kind, by=owner, opens_on=today, closes_on=today + datetime.timedelta(days=14),
            addresses=addresses(6) if people is None else people, questionnaire=questionnaire, **kwargs,
        )  # fmt: skip

    return _start


def link_of(invitation):
    from django.urls import reverse

    from surveys.tokens import token_for

    return reverse("surveys:answer", args=[token_for(invitation.nonce)])


def answer_all(client, survey, values_for, free_text=""):
    """Every invitation of `survey` answers through its link; values_for(i) gives the i-th person's answers."""
    for i, invitation in enumerate(survey.invitations.order_by("pk")):
        response = client.post(link_of(invitation), {**values_for(i), "free_text": free_text})
        assert response.status_code == 200, response.content
