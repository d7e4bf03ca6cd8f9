import datetime

import pytest

from tests.support import case

TODAY = case.TODAY
today, project, owner, hr, coord = case.today, case.project, case.owner, case.hr, case.coord  # the shared start


@pytest.fixture
def moved_in(project, owner):
    """The project moved in on 31 August 2026: window 31 May 2027 – 30 November 2027, freeze until 31 May 2027."""
    from evaluation import services

    return services.movein_record(early_confirmed=True, project=project, by=owner, move_in=datetime.date(2026, 8, 31))
