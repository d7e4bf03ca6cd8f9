"""The survey pages run the same number of queries at 6 and at 40 answers, comments and invitations: the results
page, the round page and the round form read their rows in bulk. (HR reads no survey page: the survey's
figures reach HR in the evaluation and its report.)"""

import datetime

import pytest
from django.urls import reverse

from evaluation import services as evaluation
from surveys import services


def _answer_all(survey, n):
    for i, invitation in enumerate(survey.invitations.order_by("pk")):
        values = {"noise": 1 + i % 5, "overall": 1 + (i + 2) % 5, "concentration": 0 if i % 4 == 0 else 3}
        services.survey_answer(
            link=services.Link(survey=survey, invitation=invitation), values=values, free_text=f"Svar {i}"
        )


@pytest.mark.parametrize("n", [6, 40])
def test_the_survey_pages_read_the_same_queries_at_two_sizes(
    client, project, owner, today, questionnaire, steps, n, django_assert_max_num_queries
):
    people = [(f"p{i}@example.no", f"Enhet {i % 3}") for i in range(n)]
    dates = {"opens_on": today, "closes_on": today + datetime.timedelta(days=14)}
    baseline = services.survey_start(
        project=project, kind="baseline", by=owner, addresses=people, questionnaire=questionnaire, **dates
    )
    _answer_all(baseline, n)
    services.survey_close(survey=baseline, by=owner)
    evaluation.movein_record(project=project, by=owner, move_in=today, early_confirmed=True)
    follow_up = services.survey_start(project=project, kind="follow_up", by=owner, addresses=people, **dates)
    _answer_all(follow_up, n)
    services.survey_close(survey=follow_up, by=owner)
    round_ = services.round_start(
        project=project, by=owner, title="Bruksregler", draft="Utkast", closes_on=dates["closes_on"], addresses=people,
        step=steps["house-rules-consultation"],
    )  # fmt: skip
    for recipient in round_.recipients.order_by("pk"):
        comment = services.round_comment(link=services.Link(round=round_, recipient=recipient), text="Innspill")
        services.comment_answer(comment=comment, by=owner, answer="Svar")
    pages = [
        (owner, reverse("surveys:detail", args=[project.pk, "follow-up"])),
        (owner, reverse("surveys:detail", args=[project.pk, "baseline"])),
        (project.safety_rep, reverse("surveys:detail", args=[project.pk, "follow-up"])),
        (owner, reverse("surveys:round", args=[project.pk, round_.pk])),
        (project.safety_rep, reverse("surveys:round", args=[project.pk, round_.pk])),
        (owner, reverse("surveys:round_create", args=[project.pk])),
    ]
    counts = []
    for user, url in pages:
        client.force_login(user)
        with django_assert_max_num_queries(40) as captured:
            response = client.get(url)
            assert response.status_code == 200, url
        counts.append(len(captured))
    assert counts == EXPECTED, counts


# The exact counts, the same at both sizes (session, user, project and roles, top bar, the survey, its answers in
# one query, the baseline's for the change; a round's comments in one query, the step it belongs to; the form's
# steps with their sign-offs). Follow-up / baseline as the owner, follow-up as the safety rep (who also reads the
# free text), the round as the owner and as the safety rep, the new round's form.
EXPECTED = [17, 14, 18, 15, 16, 16]
