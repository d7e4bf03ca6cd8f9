"""Issue 23 point 2: an HMS measure marked sensitive after the parties' prioritisation was sent for sign-off.

Its words are gone at once from everything a working-group member, an observer, BHT, AMU and HR can open (the
step page, notifications and e-mails, calendar feeds, the history, exports, PDFs), while what was signed, its
SHA-256 and the representatives' sign-offs on it stay as they are. The owner is told what happened."""

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from evaluation import services
from evaluation.models import Measure
from participation import selectors
from participation.models import SignOff, Step
from participation.services import signoff_record, step_send
from phases.services import process_start
from projects.models import GeneratedDocument, Notification, Role
from projects.services import calendar_feed_for, document_render, reminders_scan
from tests.factories import member
from tests.support.my_data import my_data_file

OSLO = ZoneInfo("Europe/Oslo")
# The measure's words: focus area, goal, activity, responsible and reporting, each one of a kind.
WORDS = ("Konflikt i seksjon B", "Gjenopprette samarbeidet", "Meklingssamtaler", "Per Personalsjef", "Til AMU-leder")
DUE = datetime.date(2027, 3, 17)


def at(day, hour):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO), tick=False)


def leaks(text: str) -> list[str]:
    return [w for w in WORDS if w in text]


@pytest.fixture(autouse=True)
def clock():
    with at(datetime.date(2027, 3, 15), 8):
        yield


@pytest.fixture
def world(db, bergen_template, django_capture_on_commit_callbacks):
    """Sent and signed before the flag, with the measure's reminder recorded before the day's digest went."""
    from tests.evaluation.conftest import TODAY
    from tests.factories import ProjectFactory, hr_adviser

    with at(TODAY, 6):
        project = ProjectFactory(start_date=datetime.date(2026, 1, 5), planned_move_in=datetime.date(2026, 9, 1))
        roles = (Role.OWNER, Role.SAFETY_REP, Role.UNION_REP, Role.MEMBER, Role.VIEWER, Role.OH_SERVICE, Role.AMU)
        people = {role: member(project, role, full_name=f"{role} person") for role in roles}
        people["hr"] = hr_adviser()
        owner = people[Role.OWNER]
        process_start(project=project, template=bergen_template, by=owner)
        services.movein_record(early_confirmed=True, project=project, by=owner, move_in=datetime.date(2026, 8, 31))
        plain = services.measure_create(
            project=project, by=owner, focus_area="Støy i landskapet", goal="Ro", activity="Stillerom",
            responsible="Kari", source="evaluation", due_date=datetime.date(2027, 6, 1),
        )  # fmt: skip
        secret = services.measure_create(
            project=project, by=owner, focus_area=WORDS[0], goal=WORDS[1], activity=WORDS[2], responsible=WORDS[3],
            reporting=WORDS[4], source="evaluation", due_date=DUE,
        )  # fmt: skip
        services.measures_prioritise(project=project, by=owner, priorities={plain.pk: 2, secret.pk: 1}, agreed_on=TODAY)
        step = Step.objects.get(project=project, kind="prioritisation")
        step.required_roles = [*step.required_roles, Role.OH_SERVICE]  # BHT asked to sign too, as for risk steps
        step.save()
        step = step_send(step=step, by=owner)
        assert leaks(step.content) == list(WORDS)  # sent in full: a representative signs what they read
        for role in (Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE):
            signoff_record(step=step, by=people[role], decision="approved", content_hash=step.content_hash)
        with django_capture_on_commit_callbacks(execute=True):
            reminders_scan()  # before the digest hour: recorded, not e-mailed yet
        assert leaks(json.dumps(Notification.objects.get(recipient=owner, kind="measure_due").text))
        assert not mail.outbox
    return project, people, step, secret


@pytest.fixture
def flagged(client, world):
    """The owner ticks "sensitive" on the measure's page, after the step was sent and signed."""
    project, people, step, secret = world
    with at(datetime.date(2027, 3, 15), 6):
        client.force_login(people[Role.OWNER])
        response = client.post(
            reverse("evaluation:measure_edit", args=[project.pk, secret.pk]),
            {
                "focus_area": WORDS[0], "goal": WORDS[1], "activity": WORDS[2], "due_date": "17.03.2027",
                "responsible": WORDS[3], "reporting": WORDS[4], "source": "evaluation", "status": "planned",
                "sensitive": "on",
            },
        )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    assert Measure.objects.get(pk=secret.pk).sensitive
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Measure 2 is now sensitive" in m or "Tiltak 2 er nå sensitivt" in m for m in told), told
    return world


READERS = (Role.MEMBER, Role.VIEWER, Role.OH_SERVICE, Role.AMU)


def test_the_step_page_hides_the_words_and_the_sign_offs_stay_current(client, flagged):
    project, people, step, secret = flagged
    before = (step.version, step.content, step.content_hash)
    step.refresh_from_db()
    assert (step.version, step.content, step.content_hash) == before  # stored as sent
    assert not step.has_unsent_changes  # the flag is not part of what is signed: nothing to send again
    view = selectors.step_view(Step.objects.prefetch_related("signoffs").get(pk=step.pk))
    assert all(r.met and r.current.content_hash == step.content_hash for r in view.roles)  # still current
    url = reverse("participation:step", args=[project.pk, step.pk])
    for role in READERS:
        client.force_login(people[role])
        html = client.get(url).content.decode()
        assert leaks(html) == [], role
        assert "Sensitivt HMS-tiltak nr. 2" in html and "Støy i landskapet" in html
    client.force_login(people["hr"])
    assert client.get(url).status_code == 404
    # The representatives may read it; the owner is told what the others no longer see.
    client.force_login(people[Role.SAFETY_REP])
    assert leaks(client.get(url).content.decode()) == list(WORDS)
    client.force_login(people[Role.OWNER])
    html = client.get(url).content.decode()
    assert "1 tiltak i denne versjonen er nå sensitivt" in html


def test_the_differences_a_reader_sees_leave_the_words_out(client, flagged):
    """BHT signs the next version of another step the same way; here: the difference between two versions of
    the prioritisation shown to somebody who may not read the measure names neither side of it."""
    from participation import snapshot

    project, people, step, secret = flagged
    with at(datetime.date(2027, 3, 15), 8):
        services.measure_update(measure=secret, by=people[Role.OWNER], status="planned", activity="Nye samtaler")
        step = step_send(step=step, by=people[Role.OWNER])
    first = step.versions.get(number=1).content
    for role in READERS:
        changes = snapshot.changes(first, step.content, project=project, reader=people[role])
        assert leaks(" ".join(f"{c.label} {c.before} {c.after}" for c in changes)) == []
        assert "Nye samtaler" not in " ".join(str(c.after) for c in changes)
    rep = snapshot.changes(first, step.content, project=project, reader=people[Role.SAFETY_REP])
    assert [(c.before, c.after) for c in rep] == [(WORDS[2], "Nye samtaler")]


def test_notifications_and_e_mails_name_the_measure_by_its_number(client, flagged, django_capture_on_commit_callbacks):
    project, people, step, secret = flagged
    with at(datetime.date(2027, 3, 15), 9), django_capture_on_commit_callbacks(execute=True):
        reminders_scan()  # the digest goes now, with what was recorded before the flag
    assert mail.outbox
    for message in mail.outbox:
        bodies = [message.subject, message.body] + [a[0] for a in getattr(message, "alternatives", [])]
        assert leaks(" ".join(bodies)) == []
    texts = Notification.objects.filter(kind__startswith="measure_").values_list("text", flat=True)
    assert texts and all(leaks(json.dumps(t, ensure_ascii=False)) == [] for t in texts)
    assert "Sensitivt HMS-tiltak nr. 2" in texts[0]["nb"]
    for who in (*READERS, "hr", Role.OWNER):
        client.force_login(people[who])
        assert leaks(client.get(reverse("notifications")).content.decode()) == []


def test_calendar_feeds_name_it_neutrally_for_everybody(client, flagged):
    project, people, step, secret = flagged
    for who in (*READERS, "hr", Role.OWNER, Role.SAFETY_REP):
        feed = client.get(reverse("calendar_feed", args=[calendar_feed_for(user=people[who]).token]))
        assert feed.status_code == 200
        assert leaks(feed.content.decode()) == [], who
    owner_feed = client.get(reverse("calendar_feed", args=[calendar_feed_for(user=people[Role.OWNER]).token]))
    assert "HMS-tiltak nr. 2 (sensitivt)" in owner_feed.content.decode()


def test_the_history_leaves_the_measure_out(client, flagged):
    project, people, step, secret = flagged
    for role in READERS:
        client.force_login(people[role])
        response = client.get(reverse("projects:history", args=[project.pk]))
        assert response.status_code == 200
        assert leaks(response.content.decode()) == []


def test_exports_leave_out_the_words(client, flagged):
    """A person's own data (sign-offs carry the content they signed) and HR's exports."""
    project, people, step, secret = flagged
    for who in (*READERS, "hr"):
        client.force_login(people[who])
        assert leaks(my_data_file(client).decode("utf-8")) == [], who
    client.force_login(people["hr"])
    for what, fmt in (("measures", "csv"), ("measures", "xlsx"), ("evaluations", "csv")):
        response = client.get(reverse("evaluation:hr_export", args=[what, fmt]))
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "xlsx":
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(body)).active
            text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
        else:
            text = body.decode("utf-8-sig")
        assert leaks(text) == []
    # BHT signed the version with the words: its export shows the measure by its number; the safety
    # representative, who may read it, keeps the words in theirs.
    client.force_login(people[Role.OH_SERVICE])
    mine = json.loads(my_data_file(client))
    assert "Sensitivt HMS-tiltak nr. 2" in mine["records"]["participation.SignOff.signer"][0]["content"]
    client.force_login(people[Role.SAFETY_REP])
    mine = json.loads(my_data_file(client))
    assert any(leaks(r["content"]) for r in mine["records"]["participation.SignOff.signer"])
    assert SignOff.objects.filter(step=step).count() == 3


def _pdf_text(client, project, kind, by):
    from projects.services import document_request

    document = document_request(project=project, kind=kind, by=by)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.is_done
    response = client.get(reverse("projects:document", args=[project.pk, document.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


def test_pdfs_printed_after_the_flag_leave_it_out(client, flagged):
    project, people, step, secret = flagged
    owner = people[Role.OWNER]
    for kind in ("participation-protocol", "evaluation-report", "final-documentation"):
        client.force_login(people[Role.MEMBER] if kind == "participation-protocol" else owner)
        text = _pdf_text(client, project, kind, owner)
        assert text and leaks(text) == [], kind
    client.force_login(people["hr"])
    document = GeneratedDocument.objects.filter(project=project, kind="evaluation-report").latest("version")
    response = client.get(reverse("evaluation:hr_report_download", args=[project.pk, document.pk]))
    body = b"".join(response.streaming_content)
    assert leaks(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)) == []


def test_a_history_row_that_outlived_its_project_is_left_out_of_the_export(client, flagged):
    """The step's history rows stay when their project row is gone (the benchmark deletes its prototype
    project): the owner's data export still answers, without the content whose readers can no longer be told."""
    project, people, step, secret = flagged
    rows = Step.history.model.objects.filter(id=step.pk)
    assert rows.exists()
    rows.update(project_id=project.pk + 10_000)
    client.force_login(people[Role.OWNER])
    assert "(utelatt: prosjektet finnes ikke lenger)" in my_data_file(client).decode("utf-8")
