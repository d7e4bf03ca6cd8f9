"""Answering through a personal link: once, without an account, in three languages, without JavaScript."""

from django.core import mail

from projects.models import Job
from surveys.models import Answer, Invitation, PendingAnswer
from tests.surveys.conftest import link_of

ANSWERS = {"concentration": "2", "noise": "0", "overall": "4"}


def _run_jobs():
    from projects import outbox

    for job in Job.objects.filter(state=Job.State.PENDING):
        outbox.run(job.pk)


def test_the_invitation_e_mail_carries_a_link_that_answers_once(client, start, settings):
    survey = start(people=[("kari@example.no", "Økonomi")])
    _run_jobs()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = body[body.index(settings.SITE_URL) :].split()[0]
    path = link[len(settings.SITE_URL) :]
    assert path == link_of(Invitation.objects.get())
    page = client.get(path)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"  # never sent to another site
    assert "<script" not in page.content.decode()
    assert 'name="concentration"' in page.content.decode()
    response = client.post(path, ANSWERS)
    assert "Takk! Svarene dine er lagret anonymt." in response.content.decode()
    stored = PendingAnswer.objects.count() + Answer.objects.count()
    assert stored == 1
    # The second use: "already answered", and nothing changes.
    again = client.post(path, {"concentration": "5"})
    assert "Denne lenken har allerede svart" in again.content.decode()
    assert PendingAnswer.objects.count() + Answer.objects.count() == 1
    values = [a.values for a in [*PendingAnswer.objects.all(), *Answer.objects.all()]]
    assert values == [{"concentration": 2, "noise": 0, "overall": 4}]
    assert "Denne lenken har allerede svart" in client.get(path).content.decode()
    assert survey.invitations.get().answered is True


def test_the_page_speaks_nynorsk_and_english(client, start):
    start()
    path = link_of(Invitation.objects.first())
    assert "Arbeidsplassen gjer det mogleg å konsentrere seg." in client.get(path + "?lang=nn").content.decode()
    page = client.get(path + "?lang=en").content.decode()
    assert "The workplace lets me concentrate." in page and 'lang="en"' in page
    done = client.post(path, {**ANSWERS, "lang": "en"}).content.decode()
    assert "Thank you! Your answers are stored anonymously." in done


def test_an_unknown_link_answers_404_and_a_closed_survey_takes_nothing(client, start, owner):
    from surveys.services import survey_close

    survey = start()
    assert client.get("/answer/not-a-token/").status_code == 404
    path = link_of(Invitation.objects.first())
    survey_close(survey=survey, by=owner)
    assert client.get(path).status_code == 404  # the address list, with the links, is gone
    assert Answer.objects.count() == 0


def test_answers_join_the_table_in_shuffled_batches_of_at_least_five(client, start):
    survey = start(people=[(f"p{i}@example.no", "") for i in range(7)])
    invitations = list(survey.invitations.order_by("pk"))
    for n, invitation in enumerate(invitations[:4], 1):
        client.post(link_of(invitation), {"overall": "3"})
        assert (PendingAnswer.objects.count(), Answer.objects.count()) == (n, 0)
    client.post(link_of(invitations[4]), {"overall": "3"})
    assert (PendingAnswer.objects.count(), Answer.objects.count()) == (0, 5)
    client.post(link_of(invitations[5]), {"overall": "3"})
    assert (PendingAnswer.objects.count(), Answer.objects.count()) == (1, 5)


def test_reminders_go_only_to_those_who_have_not_answered_and_at_most_twice(client, start, owner):
    from django.core.exceptions import ValidationError

    from surveys.services import survey_remind

    survey = start(people=[("a@example.no", ""), ("b@example.no", "")])
    _run_jobs()
    client.post(link_of(survey.invitations.get(email="a@example.no")), {"overall": "4"})
    mail.outbox.clear()
    survey_remind(survey=survey, by=owner)
    _run_jobs()
    _run_jobs()  # run twice: nothing more
    assert [m.to for m in mail.outbox] == [["b@example.no"]]
    survey_remind(survey=survey, by=owner)
    try:
        survey_remind(survey=survey, by=owner)
        raise AssertionError("a third reminder was allowed")
    except ValidationError:
        pass
    _run_jobs()
    assert len(mail.outbox) == 2


def test_the_link_is_kept_out_of_the_logs(client, start):
    from config.redact import redact

    start()
    path = link_of(Invitation.objects.first())
    token = path.split("/")[2]
    line = f'127.0.0.1 - - "GET {path}?lang=nn HTTP/1.1" 200 "https://x.no{path}"'
    assert token not in redact(line)
    assert "/answer/***/" in redact(line)
