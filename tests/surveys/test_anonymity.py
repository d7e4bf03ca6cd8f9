"""Nothing in the database links an answer to a person or a link: the test reads the tables."""

from django.db import connection

from surveys.models import Answer, Invitation, PendingAnswer
from tests.surveys.conftest import link_of


def _columns(model):
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}


def test_the_answer_tables_hold_no_token_time_address_or_key_that_pairs(client, start):
    survey = start(people=[(f"p{i}@example.no", "Økonomi") for i in range(12)])
    invitations = list(survey.invitations.order_by("pk"))
    for i, invitation in enumerate(invitations[:11]):
        client.post(link_of(invitation), {"overall": str(1 + i % 5)}, HTTP_USER_AGENT=f"Agent {i}")
    # The tables: an answer has its random key, its survey, the unit, the values and the free text — nothing else.
    assert _columns(Answer) == {"id", "survey_id", "unit", "values", "free_text"}
    assert _columns(PendingAnswer) == {"id", "survey_id", "unit", "values", "free_text"}
    # The used flag is a flag: no time, no answer.
    assert _columns(Invitation) == {
        "id", "survey_id", "email", "unit", "nonce", "token_hash", "answered", "invited", "reminded",
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Answer._meta.db_table}")
        rows = [" ".join(str(v) for v in row) for row in cursor.fetchall()]
    secrets = [i.email for i in invitations] + [i.token_hash for i in invitations] + [i.nonce for i in invitations]
    secrets += [link_of(i).split("/")[2] for i in invitations] + [f"Agent {n}" for n in range(11)]
    assert not [s for s in secrets if any(s in row for row in rows)]
    # The keys are random UUIDs (version 4), not numbers in the order people answered.
    assert all(a.id.version == 4 for a in Answer.objects.all())
    # No table of the app is in the change history, except the survey's own settings.
    from django.apps import apps

    history = {
        m._meta.model_name
        for m in apps.get_app_config("surveys").get_models()
        if m._meta.model_name.startswith("historical")
    }
    assert history == {"historicalsurvey", "historicalcommentround"}


def test_answers_reach_the_table_in_an_order_unrelated_to_the_invitations(client, start):
    """Ten people answer in invitation order with the values 1–5, 1–5: the table's order (by key and as stored)
    is shuffled within each batch, so row order cannot pair an answer with a link."""
    import random

    random.seed(1)
    survey = start(people=[(f"p{i}@example.no", "") for i in range(40)])
    for i, invitation in enumerate(survey.invitations.order_by("pk")):
        client.post(link_of(invitation), {"overall": str(1 + i % 5), "noise": str(1 + (i // 5) % 5)})
    stored = [(a.values["overall"], a.values["noise"]) for a in Answer.objects.all()]
    in_order = [(1 + i % 5, 1 + (i // 5) % 5) for i in range(40)]
    assert sorted(stored) == sorted(in_order)
    assert stored != in_order
    by_key = [(a.values["overall"], a.values["noise"]) for a in Answer.objects.order_by("id")]
    assert by_key != in_order


def test_a_closed_survey_keeps_counts_and_no_addresses(client, start, owner):
    from surveys.services import survey_close

    survey = start(people=[(f"p{i}@example.no", "") for i in range(6)])
    for invitation in list(survey.invitations.order_by("pk"))[:3]:
        client.post(link_of(invitation), {"overall": "3"})
    survey = survey_close(survey=survey, by=owner)
    assert (survey.invited_count, survey.answered_count) == (6, 3)
    assert Invitation.objects.count() == 0
    assert PendingAnswer.objects.count() == 0 and Answer.objects.count() == 3


def test_the_retention_command_closes_surveys_past_their_date(client, start, today):
    import datetime

    import time_machine
    from django.core.management import call_command

    survey = start(people=[("a@example.no", "")])
    with time_machine.travel(datetime.datetime(2027, 4, 1, 8, tzinfo=datetime.UTC)):
        call_command("anonymise_completed_projects")
    survey.refresh_from_db()
    assert survey.state == "closed" and Invitation.objects.count() == 0
