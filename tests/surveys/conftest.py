import datetime

import pytest

from tests.support import case

TODAY = case.TODAY
today, project, owner, hr, coord = case.today, case.project, case.owner, case.hr, case.coord  # the shared start


@pytest.fixture
def questionnaire(db):
    from surveys.services import questionnaires_load_shipped

    return questionnaires_load_shipped()[0]


@pytest.fixture
def steps(project, owner):
    """The project's participation steps by key, its process started from Bergen's template (a round needs one)."""
    from participation.models import Step
    from phases.services import process_start, template_load_file
    from tests.conftest import TEMPLATE_DIR

    template = template_load_file(path=TEMPLATE_DIR / "bergen_abw.toml")[0]
    process_start(project=project, template=template, by=owner)
    return {s.key: s for s in Step.objects.filter(project=project)}


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
