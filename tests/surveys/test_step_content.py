"""Point 7: a comment round belongs to one consultation step; the owner's summary and answers become part of that
step's signed content and of no other step's; the comments never enter any step or PDF; what was signed never
changes (a later change is a difference to send and sign again)."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from participation import services as participation
from participation import snapshot
from participation.models import SignOff, Step, StepVersion
from surveys import services

SECRET = "Hemmelig innspill om garderoben"


def _round(project, owner, today, step, **kwargs):
    return services.round_start(
        project=project, by=owner, title="Bruksregler", draft="Utkast", closes_on=today + datetime.timedelta(days=7),
        addresses=[("a@example.no", ""), ("b@example.no", "")], step=step, **kwargs,
    )  # fmt: skip


def _commented(project, owner, today, step):
    round_ = _round(project, owner, today, step)
    recipient = round_.recipients.first()
    comment = services.round_comment(link=services.Link(round=round_, recipient=recipient), text=SECRET)
    services.comment_answer(comment=comment, by=owner, answer="Vi legger til to telefonrom.")
    services.round_summary_save(round=round_, by=owner, summary="Ønske om flere telefonrom.")
    return round_, comment


def _sign_all(step, project):
    for role in step.required_roles:
        holder = {"safety_rep": project.safety_rep, "union_rep": project.union_rep}.get(role)
        if holder is None:
            from tests.factories import member

            holder = member(project, role)
        participation.signoff_record(step=step, by=holder, role=role, decision="approved")


def test_the_summary_and_answers_enter_the_rounds_step_only_and_the_comments_never(
    client, project, owner, today, steps
):
    step, other = steps["house-rules-consultation"], steps["floor-plan-consultation"]
    before, other_before = step.draft_hash, other.draft_hash
    _commented(project, owner, today, step)
    step.refresh_from_db()
    other.refresh_from_db()
    assert step.draft_hash != before  # the step's draft follows the round
    assert other.draft_hash == other_before  # another consultation step of the project does not
    other_text = participation.step_content(other)
    assert "Ønske om flere telefonrom." not in other_text and "Vi legger til to telefonrom." not in other_text

    step = participation.step_send(step=participation.step_update(step=step, by=owner, summary="Regler", meetings=[]),
                                   by=owner)  # fmt: skip
    participation.signoff_record(step=step, by=project.safety_rep, role="safety_rep", decision="approved")
    signed = SignOff.objects.get(step=step).content  # the text the safety representative signed
    block = next(b for b in json.loads(signed)["blocks"] if b["key"].startswith("comment-round"))
    assert block["title"] == "Høringsrunde «Bruksregler»"
    assert [f[1:] for f in block["fields"]] == [
        ["Oppsummering av innspillene", "Ønske om flere telefonrom."],
        ["Prosjektets svar på innspill 1", "Vi legger til to telefonrom."],
    ]
    assert SECRET not in signed and "a@example.no" not in signed

    client.force_login(project.safety_rep)
    html = client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
    assert "Ønske om flere telefonrom." in html and SECRET not in html
    html = client.get(reverse("participation:step", args=[project.pk, other.pk])).content.decode()
    assert "Ønske om flere telefonrom." not in html

    from projects.services import document_request

    with TestCase.captureOnCommitCallbacks(execute=True):
        doc = document_request(project=project, kind="participation-protocol", by=owner)
    doc.refresh_from_db()
    with doc.file.open("rb") as f:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages)
    assert "Medvirkningsprotokoll" in text and SECRET not in " ".join(text.split())


def test_a_change_after_sending_is_a_difference_to_sign_again_and_never_alters_what_was_signed(
    project, owner, today, steps
):
    step = steps["house-rules-consultation"]
    round_, comment = _commented(project, owner, today, step)
    step = participation.step_send(step=participation.step_update(step=step, by=owner, summary="Regler", meetings=[]),
                                   by=owner)  # fmt: skip
    participation.signoff_record(step=step, by=project.safety_rep, role="safety_rep", decision="approved")
    sent, signed = step.content, SignOff.objects.get(step=step).content

    services.round_summary_save(round=round_, by=owner, summary="Ønske om fire telefonrom.")
    services.comment_answer(comment=comment, by=owner, answer="Fire telefonrom.")
    step.refresh_from_db()
    assert step.content == sent and step.version == 1  # the sent version is as it was
    assert StepVersion.objects.get(step=step, number=1).content == sent
    assert SignOff.objects.get(step=step).content == signed
    assert step.has_unsent_changes  # shown as a change to send

    second = participation.step_send(step=step, by=owner)
    changes = snapshot.changes(sent, second.content, project=project, reader=project.safety_rep)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Høringsrunde «Bruksregler» · Oppsummering av innspillene", "Ønske om flere telefonrom.",
         "Ønske om fire telefonrom."),
        ("Høringsrunde «Bruksregler» · Prosjektets svar på innspill 1", "Vi legger til to telefonrom.",
         "Fire telefonrom."),
    ]  # fmt: skip
    assert SignOff.objects.get(step=step).step_version == 1  # the sign-off is of version 1, now outdated


def test_the_round_must_belong_to_a_consultation_step_of_its_project_not_yet_signed(
    client, project, owner, today, steps
):
    from tests.factories import ProjectFactory

    with pytest.raises(ValidationError, match="Velg drøftingssteget"):
        _round(project, owner, today, None)
    with pytest.raises(ValidationError, match="ikke et drøftingssteg"):
        _round(project, owner, today, next(s for s in steps.values() if s.kind == "information"))
    with pytest.raises(ValidationError):  # a step of another project
        _round(project, owner, today, Step(project=ProjectFactory(), kind="consultation"))

    signed = steps["floor-plan-consultation"]
    signed = participation.step_send(
        step=participation.step_update(step=signed, by=owner, summary="Plan", meetings=[]), by=owner
    )
    _sign_all(signed, project)
    with pytest.raises(ValidationError, match="signert av alle representantene"):
        _round(project, owner, today, signed)

    client.force_login(owner)
    html = client.get(reverse("surveys:round_create", args=[project.pk])).content.decode()
    assert f'<option value="{steps["house-rules-consultation"].pk}"' in html
    assert f'<option value="{signed.pk}"' not in html  # not offered, and the field says why
    assert f"Tilbys ikke: «{signed.name_nb}» (signert av alle representantene)" in " ".join(html.split())


@pytest.mark.parametrize("who", ["hr", "safety_rep", "viewer"])
def test_only_the_owner_publishes_a_round_sums_it_up_and_answers(project, owner, today, steps, hr, who):
    step = steps["house-rules-consultation"]
    round_, comment = _commented(project, owner, today, step)
    someone = hr if who == "hr" else getattr(project, who)
    step.refresh_from_db()
    draft = step.draft_hash
    with pytest.raises(PermissionDenied):
        _round(project, someone, today, step)
    with pytest.raises(PermissionDenied):
        services.round_summary_save(round=round_, by=someone, summary="Noe annet")
    with pytest.raises(PermissionDenied):
        services.comment_answer(comment=comment, by=someone, answer="Noe annet")
    step.refresh_from_db()
    assert step.draft_hash == draft


def test_a_step_whose_only_content_is_a_rounds_summary_can_be_sent(project, owner, today, steps):
    """The round's summary is content to sign: the owner need not write a step summary or link a meeting too."""
    step = steps["house-rules-consultation"]
    assert not step.summary and not step.meetings.exists()
    with pytest.raises(ValidationError):  # nothing yet to sign
        participation.step_send(step=step, by=owner)
    _commented(project, owner, today, step)
    step.refresh_from_db()
    step = participation.step_send(step=step, by=owner)
    assert step.is_sent
    assert "Ønske om flere telefonrom." in StepVersion.objects.get(step=step, number=step.version).content
