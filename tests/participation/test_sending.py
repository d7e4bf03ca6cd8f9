"""Issue 8, breaks 1, 6, 7, 8 and 9: a representative signs exactly the version their page showed; the page
shows exactly what is signed (agenda and participants included); sending for sign-off is an explicit act of
the owner; every message names the decision taken; re-signing shows the difference field by field."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from participation import services, snapshot
from participation.models import SignOff, Step, StepVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh(unsent_project):
    """A project whose steps nobody has touched: drafts, nothing sent (the conftest's)."""
    return unsent_project


def _meeting(project, step, participants, agenda="1. Økonomisk ramme", meeting=None):
    return services.meeting_save(
        project=project, by=project.owner, meeting=meeting, type="consultation", title="Drøftingsmøte",
        held_on=datetime.date(2027, 1, 20), agenda=agenda, participants=participants, steps=[step],
    )  # fmt: skip


def _sent(project, key="mandate-consultation", summary="Ramme 2 500 000 kr."):
    step = project.participation_steps.get(key=key)
    services.step_update(step=step, by=project.owner, summary=summary, meetings=list(step.meetings.all()))
    return services.step_send(step=step, by=project.owner)


def _post_sign(client, project, step, content_hash, decision="approved", text=""):
    data = {"decision": decision, "text": text, "confirm": "on", "content_hash": content_hash}
    return client.post(reverse("participation:sign", args=[project.pk, step.pk]), data)


def _flash(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Break 1: signing what was never seen ---------------------------------------------------------------------------


def test_the_service_refuses_a_signoff_of_a_version_the_signer_did_not_see(fresh):
    step = _sent(fresh)
    seen = step.content_hash
    step = services.step_send(
        step=services.step_update(step=step, by=fresh.owner, summary="Ramme 1 250 000 kr.", meetings=[]),
        by=fresh.owner,
    )
    with pytest.raises(services.StaleVersion, match="sendt på nytt som versjon 2") as refused:
        services.signoff_record(step=step, by=fresh.safety_rep, decision="approved", content_hash=seen)
    assert refused.value.seen_hash == seen
    assert not SignOff.objects.exists()
    signoff = services.signoff_record(
        step=step, by=fresh.safety_rep, decision="approved", content_hash=step.content_hash
    )
    assert (signoff.step_version, signoff.content) == (2, step.content)


def test_a_draft_saved_while_the_representative_reads_does_not_refuse_the_version_they_read(fresh):
    step = _sent(fresh)
    services.step_update(step=step, by=fresh.owner, summary="Ramme 1 250 000 kr.", meetings=[])
    signoff = services.signoff_record(
        step=step, by=fresh.safety_rep, decision="approved", content_hash=step.content_hash
    )
    assert "2 500 000" in signoff.content and "1 250 000" not in signoff.content  # what was sent and shown


def test_a_stale_submit_is_refused_and_shows_the_new_content_with_the_difference_and_keeps_the_input(client, fresh):
    step = _sent(fresh)
    client.force_login(fresh.union_rep)
    page = client.get(reverse("participation:step", args=[fresh.pk, step.pk]))
    assert f'value="{step.content_hash}"' in page.content.decode()  # the form carries the hash it showed
    seen = page.context["form"].initial["content_hash"]
    services.step_update(step=step, by=fresh.owner, summary="Ramme 1 250 000 kr.", meetings=[])
    services.step_send(step=step, by=fresh.owner)

    response = _post_sign(client, fresh, step, seen, decision="objection", text="Rammen er for lav.")
    assert response.status_code == 409
    assert not SignOff.objects.exists()
    html = response.content.decode()
    assert "Beslutningen din ble ikke registrert" in html
    assert "Dette godkjennes: versjon 2" in html and "Ramme 1 250 000 kr." in html
    changes = response.context["stale"]["changes"]
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Sammendrag", "Ramme 2 500 000 kr.", "Ramme 1 250 000 kr.")
    ]
    form = response.context["form"]
    assert (form.initial["decision"], form.initial["text"]) == ("objection", "Rammen er for lav.")
    step.refresh_from_db()
    assert form.initial["content_hash"] == step.content_hash and not form.initial.get("confirm")
    assert _post_sign(client, fresh, step, step.content_hash, "objection", "Rammen er for lav.").status_code == 302
    assert SignOff.objects.get().step_version == 2


def test_a_submit_that_does_not_say_what_it_read_is_refused(client, fresh):
    step = _sent(fresh)
    client.force_login(fresh.union_rep)
    data = {"decision": "approved", "confirm": "on"}
    response = client.post(reverse("participation:sign", args=[fresh.pk, step.pk]), data)
    assert response.status_code == 400
    assert "Skjemaet sa ikke hvilken versjon du leste" in response.content.decode()
    assert not SignOff.objects.exists()


# Break 6: the page shows exactly what is signed ------------------------------------------------------------------


def test_the_meeting_participants_are_part_of_the_content_and_changing_them_makes_a_new_version(fresh):
    step = fresh.participation_steps.get(key="mandate-consultation")
    meeting = _meeting(fresh, step, [fresh.safety_rep])
    step = _sent(fresh)
    assert step.version == 1
    _meeting(fresh, step, [fresh.safety_rep, fresh.union_rep], meeting=meeting)
    step.refresh_from_db()
    assert step.has_unsent_changes
    step = services.step_send(step=step, by=fresh.owner)
    assert step.version == 2
    first = StepVersion.objects.get(step=step, number=1).content
    changes = snapshot.changes(first, step.content, project=fresh, reader=fresh.safety_rep)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Møte «Drøftingsmøte» · Deltakere", "Siri Verne", "Siri Verne, Tor Tillit")
    ]


def test_the_step_page_shows_the_sent_content_with_agenda_and_participants_not_the_draft(client, fresh):
    step = fresh.participation_steps.get(key="mandate-consultation")
    meeting = _meeting(fresh, step, [fresh.safety_rep], agenda="1. Ramme\n2. Milepæler")
    step = _sent(fresh)
    _meeting(fresh, step, [fresh.safety_rep], agenda="1. Noe helt annet", meeting=meeting)  # a draft change
    client.force_login(fresh.safety_rep)
    response = client.get(reverse("participation:step", args=[fresh.pk, step.pk]))
    html = response.content.decode()
    assert "Saksliste" in html and "1. Ramme<br>2. Milepæler" in html and "Siri Verne</dd>" in html
    assert "Noe helt annet" not in html
    # rendered from the signed text
    assert response.context["sent"] == snapshot.display(step.content, project=fresh, reader=fresh.safety_rep)
    # The owner sees the unsent change named field by field, and that it waits to be sent.
    client.force_login(fresh.owner)
    owner_page = client.get(reverse("participation:step", args=[fresh.pk, step.pk]))
    assert [c.label for c in owner_page.context["draft_changes"]] == ["Møte «Drøftingsmøte» · Saksliste"]
    assert "Send versjon 2 til godkjenning" in owner_page.content.decode()


# Break 7: sending for sign-off is explicit ----------------------------------------------------------------------


def test_saving_a_draft_or_linking_a_meeting_neither_raises_the_version_nor_reaches_the_inbox(client, fresh):
    step = fresh.participation_steps.get(key="mandate-consultation")
    _meeting(fresh, step, [fresh.safety_rep])
    for summary in ("Utkast 1", "Utkast 2", "Utkast 3"):
        services.step_update(step=step, by=fresh.owner, summary=summary, meetings=list(step.meetings.all()))
    step.refresh_from_db()
    assert (step.version, step.is_sent) == (0, False)
    client.force_login(fresh.safety_rep)
    assert list(client.get(reverse("participation:inbox")).context["waiting"]) == []
    with pytest.raises(ValidationError, match="ikke sendt til godkjenning"):
        services.signoff_record(step=step, by=fresh.safety_rep, decision="approved")
    step = services.step_send(step=step, by=fresh.owner)
    assert step.version == 1  # the first version sent is version 1, whatever the drafts before it
    assert [e.step.pk for e in client.get(reverse("participation:inbox")).context["waiting"]] == [step.pk]


def test_sending_is_confirmed_names_the_roles_that_sign_and_says_outdated_only_when_something_was_signed(client, fresh):
    risk = fresh.participation_steps.get(key="risk")  # signed by the safety rep and the OH service
    services.step_update(step=risk, by=fresh.owner, summary="Risikoen er vurdert.", meetings=[])
    client.force_login(fresh.owner)
    url = reverse("participation:step_send", args=[fresh.pk, risk.pk])
    confirm = client.get(url)
    html = confirm.content.decode()
    assert "verneombud og bedriftshelsetjeneste" in html and "tillitsvalgt" not in html
    assert Step.objects.get(pk=risk.pk).version == 0  # showing the confirmation sends nothing
    response = client.post(url, {"draft_hash": confirm.context["form"].initial["draft_hash"]})
    assert response.status_code == 302
    assert _flash(response) == ["Versjon 1 er sendt til verneombud og bedriftshelsetjeneste for godkjenning."]

    risk.refresh_from_db()
    services.signoff_record(step=risk, by=fresh.oh, decision="approved", content_hash=risk.content_hash)
    edit = client.post(
        reverse("participation:step_edit", args=[fresh.pk, risk.pk]), {"summary": "Risikoen er vurdert på nytt."}
    )
    assert "utdatert" not in " ".join(_flash(edit))  # saving a draft outdates nothing
    confirm = client.get(url)
    assert "Godkjenningen av versjon 1 blir utdatert" in confirm.content.decode()
    response = client.post(url, {"draft_hash": confirm.context["form"].initial["draft_hash"]})
    assert _flash(response) == [
        "Versjon 2 er sendt til verneombud og bedriftshelsetjeneste for godkjenning. "
        "Godkjenningene av versjon 1 er nå utdatert."
    ]


def test_a_never_signed_step_saved_by_the_owner_does_not_say_earlier_signoffs_are_outdated(client, fresh):
    step = fresh.participation_steps.get(key="mandate-consultation")
    client.force_login(fresh.owner)
    response = client.post(reverse("participation:step_edit", args=[fresh.pk, step.pk]), {"summary": "Utkast"})
    assert _flash(response) == ["Utkastet er lagret. Ingen blir bedt om å godkjenne før du sender det til godkjenning."]


def test_sending_refuses_a_changed_draft_nothing_new_an_empty_step_and_a_representative(client, fresh):
    step = fresh.participation_steps.get(key="mandate-consultation")
    with pytest.raises(ValidationError, match="ingenting å godkjenne"):
        services.step_send(step=step, by=fresh.owner)
    services.step_update(step=step, by=fresh.owner, summary="Utkast", meetings=[])
    with pytest.raises(ValidationError, match="endret siden du åpnet"):
        services.step_send(step=step, by=fresh.owner, draft_hash="0" * 64)
    with pytest.raises(PermissionDenied):
        services.step_send(step=step, by=fresh.safety_rep)
    step = services.step_send(step=step, by=fresh.owner)
    with pytest.raises(ValidationError, match="Ingenting er endret siden versjon 1"):
        services.step_send(step=step, by=fresh.owner)
    client.force_login(fresh.safety_rep)
    assert client.get(reverse("participation:step_send", args=[fresh.pk, step.pk])).status_code == 403
    assert client.post(reverse("participation:step_send", args=[fresh.pk, step.pk])).status_code == 403
    assert StepVersion.objects.filter(step=step).count() == 1


def test_a_sent_step_with_unsent_changes_blocks_the_gate(fresh):
    from phases.selectors import phase_blockers

    step = _sent(fresh)
    for role, person in (("union_rep", fresh.union_rep), ("safety_rep", fresh.safety_rep)):
        services.signoff_record(step=step, by=person, role=role, decision="approved", content_hash=step.content_hash)
    phase = fresh.phases.get(order=1)
    assert not any("Drøfting av mandatet" in b for b in phase_blockers(phase))
    services.step_update(step=step, by=fresh.owner, summary="Ny ramme.", meetings=[])
    assert "«Drøfting av mandatet» har endringer som ikke er sendt til godkjenning" in phase_blockers(phase)


# Break 8: every message names the decision taken -----------------------------------------------------------------


@pytest.mark.parametrize(
    "decision, text, flash",
    [
        ("objection", "Uenig i rammen.", "Du ga protokolltilførsel på versjon 1. Den føres inn i protokollen."),
        ("approved_with_remarks", "Husk lys.", "Du godkjente versjon 1 med merknad."),
        ("approved", "", "Du godkjente versjon 1."),
    ],
)
def test_the_flash_the_box_and_the_inbox_name_the_decision_taken(client, fresh, decision, text, flash):
    step = _sent(fresh)
    client.force_login(fresh.union_rep)
    response = _post_sign(client, fresh, step, step.content_hash, decision, text)
    assert _flash(response) == [flash]
    page = client.get(reverse("participation:step", args=[fresh.pk, step.pk])).content.decode()
    assert flash in page  # the box on the step page says the same
    assert "Du har godkjent denne versjonen" not in page
    inbox = client.get(reverse("participation:inbox")).content.decode()
    assert "Dine beslutninger" in inbox and "Godkjent av deg" not in inbox
    label = {"objection": "Protokolltilførsel", "approved_with_remarks": "Godkjent med merknad", "approved": "Godkjent"}
    assert f"</i> {label[decision]}</span>" in inbox


# Break 9: re-signing shows what changed since the content the person signed ---------------------------------


def test_resigning_shows_meeting_agenda_and_participant_changes_field_by_field_in_the_readers_language(client, fresh):
    step = fresh.participation_steps.get(key="mandate-consultation")
    meeting = _meeting(fresh, step, [fresh.safety_rep], agenda="1. Ramme")
    step = _sent(fresh)
    services.signoff_record(step=step, by=fresh.safety_rep, decision="approved", content_hash=step.content_hash)
    _meeting(fresh, step, [fresh.safety_rep, fresh.union_rep], agenda="1. Ramme\n2. Garderober", meeting=meeting)
    services.step_send(step=step, by=fresh.owner)
    client.force_login(fresh.safety_rep)
    response = client.get(reverse("participation:step", args=[fresh.pk, step.pk]))
    assert [(c.label, c.before, c.after) for c in response.context["changes"]] == [
        ("Møte «Drøftingsmøte» · Deltakere", "Siri Verne", "Siri Verne, Tor Tillit"),
        ("Møte «Drøftingsmøte» · Saksliste", "1. Ramme", "1. Ramme\n2. Garderober"),
    ]
    assert "Hva er endret siden du tok stilling til versjon 1" in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("participation:step", args=[fresh.pk, step.pk]))
    assert [c.label for c in english.context["changes"]] == [
        "Meeting “Drøftingsmøte” · Participants",
        "Meeting “Drøftingsmøte” · Agenda",
    ]
    (entry,) = client.get(reverse("participation:inbox")).context["waiting"]
    assert entry.previous.step_version == 1  # the inbox marks it; the step page shows the difference


def test_the_project_history_names_an_objection_as_a_decision_not_an_approval(client, fresh):
    step = _sent(fresh)
    services.signoff_record(step=step, by=fresh.union_rep, decision="objection", text="Uenig i rammen.")
    client.force_login(fresh.owner)
    html = client.get(reverse("projects:history", args=[fresh.pk])).content.decode()
    assert "Beslutning om «Drøfting av mandatet»: Protokolltilførsel" in html
    assert "Godkjenning av «Drøfting av mandatet»" not in html
