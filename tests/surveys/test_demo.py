"""The demo's surveys (issue 25, done when): a project with a baseline and a follow-up, each with enough answers
to show results and the change, one unit under 5; a comment round with answers in its one step."""

import pytest
from django.core.management import call_command

from participation.models import Step
from participation.services import step_content
from projects.models import Project
from surveys import selectors
from surveys.models import CommentRound, Survey

pytestmark = pytest.mark.django_db


def test_the_demo_has_before_and_after_with_results_a_hidden_unit_and_a_round_with_answers():
    call_command("seed_demo", verbosity=0)
    inside = Project.objects.get(case_number="2025/1500")
    surveys = {s.kind: s for s in Survey.objects.filter(project=inside)}
    baseline, follow_up = surveys[Survey.Kind.BASELINE], surveys[Survey.Kind.FOLLOW_UP]
    for survey in (baseline, follow_up):
        result = selectors.results(survey)
        assert result.closed and result.enough and result.answered >= 5
        assert all(q.total.shown for q in result.questions)
        assert any(q.hidden_units for q in result.questions)  # the unit of 4 is not shown
        shown = {unit for q in result.questions for unit, _figures in q.units}
        assert "Ledelse" not in shown and "Saksbehandling" in shown
    changes = selectors.comparison(baseline, follow_up)
    assert changes and all(c.difference is not None for c in changes)

    early = Project.objects.get(case_number="2026/1001")
    round_ = CommentRound.objects.get(project=early)
    assert round_.comments.count() == 3 and round_.comments.exclude(answer="").count() == 2 and round_.summary
    assert round_.step.key == "house-rules-consultation"
    for step in Step.objects.filter(project=early, kind="consultation"):
        assert (round_.summary in step_content(step)) == (step.pk == round_.step_id)
