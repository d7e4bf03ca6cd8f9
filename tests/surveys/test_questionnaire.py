"""Questionnaires as data: the shipped one in three languages, a coordinator's upload validated whole."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Questionnaire
from surveys.questionnaire import QuestionnaireError, parse_questionnaire, questions_for

GOOD = """
key = "var"
version = 2
name = { nb = "Vår", nn = "Vår", en = "Ours" }
[[questions]]
key = "noise"
text = { nb = "Støy", nn = "Støy", en = "Noise" }
[goal_question]
text = { nb = "Målet «{goal}»?", nn = "Målet «{goal}»?", en = "The goal “{goal}”?" }
"""


def test_the_shipped_questionnaire_has_the_issue_s_questions_in_three_languages(questionnaire):
    keys = [q["key"] for q in questionnaire.definition["questions"]]
    assert keys == [
        "concentration", "collaboration", "calls", "finding-a-place", "storage", "ict", "noise", "light-air",
        "belonging", "overall",
    ]  # fmt: skip
    assert all(set(q["text"]) == {"nb", "nn", "en"} for q in questionnaire.definition["questions"])
    assert questionnaire.definition["free_text"]["text"]["nn"]


def test_one_question_per_project_goal():
    asked = questions_for(parse_questionnaire(GOOD), ["Mer samarbeid", "Bedre luft"])
    assert [q["key"] for q in asked["questions"]] == ["noise", "goal-1", "goal-2"]
    assert asked["questions"][1]["text"]["en"] == "The goal “Mer samarbeid”?"


def test_a_bad_file_lists_every_problem():
    bad = (
        GOOD.replace('en = "Noise"', 'en = ""')
        .replace('key = "noise"', 'key = "Noise!"')
        .replace('{goal}»?", nn', '»?", nn')
    )
    with pytest.raises(QuestionnaireError) as exc:
        parse_questionnaire(bad)
    problems = " ".join(exc.value.problems)
    assert "questions[1].key" in problems and "questions[1].text.en" in problems and "goal_question.text.nb" in problems


def test_a_coordinator_uploads_a_version_and_a_running_survey_keeps_its_own(client, coord, start):
    survey = start()
    client.force_login(coord)
    upload = SimpleUploadedFile("var.toml", GOOD.encode(), content_type="text/plain")
    response = client.post(reverse("surveys:questionnaires"), {"file": upload})
    assert response.status_code == 302
    assert Questionnaire.objects.filter(key="var", version=2).exists()
    bad = SimpleUploadedFile("var.toml", b'key = "var"\nversion = 3\n', content_type="text/plain")
    page = client.post(reverse("surveys:questionnaires"), {"file": bad})
    assert page.status_code == 400 and "name: mangler" in page.content.decode() or "mangler" in page.content.decode()
    assert not Questionnaire.objects.filter(key="var", version=3).exists()
    survey.refresh_from_db()
    assert survey.questionnaire.key == "workplace" and len(survey.questions["questions"]) == 10
