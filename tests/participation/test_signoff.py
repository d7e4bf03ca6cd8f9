import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from participation import services
from participation.models import SignOff
from phases import services as phase_services
from phases.models import ChecklistItem, Criterion
from projects.models import Role
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def sign(client, project, step, decision="approved", text="", confirm=True):
    """Post the sign form as the step page shows it (with the SHA-256 of the version it showed)."""
    step.refresh_from_db()
    data = {"decision": decision, "text": text, "content_hash": step.content_hash, "version": step.version}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("participation:sign", args=[project.pk, step.pk]), data)


def test_steps_are_created_from_the_template(project):
    assert set(project.participation_steps.values_list("key", flat=True)) == {
        "mandate-consultation",
        "risk",
        "house-rules",
    }
    step = project.participation_steps.get(key="mandate-consultation")
    assert step.required_roles == ["union_rep", "safety_rep"]
    assert step.activity.key == "mandate"


def test_safety_rep_approves(client, project, step):
    client.force_login(project.safety_rep)
    response = sign(client, project, step)
    assert response.status_code == 302
    signoff = SignOff.objects.get()
    assert (signoff.signer, signoff.role, signoff.decision) == (project.safety_rep, "safety_rep", "approved")
    step.refresh_from_db()
    assert signoff.content_hash == step.content_hash
    assert signoff.step_version == step.version


@pytest.mark.parametrize("who", ["owner", "oh"])
def test_non_holder_cannot_sign(client, project, step, who):
    client.force_login(getattr(project, who))
    assert sign(client, project, step).status_code == 403
    with pytest.raises(PermissionDenied):
        services.signoff_record(step=step, by=getattr(project, who), decision="approved")
    assert not SignOff.objects.exists()


def test_outsider_gets_404(client, project, step):
    client.force_login(UserFactory())
    assert sign(client, project, step).status_code == 404


def test_holder_cannot_sign_the_same_version_twice(client, project, step):
    client.force_login(project.safety_rep)
    sign(client, project, step)
    response = sign(client, project, step, decision="objection", text="Jeg ombestemte meg")
    assert response.status_code == 400
    assert SignOff.objects.count() == 1
    with pytest.raises(ValidationError):
        services.signoff_record(step=step, by=project.safety_rep, decision="approved")


def test_signing_needs_the_confirmation(client, project, step):
    client.force_login(project.safety_rep)
    assert sign(client, project, step, confirm=False).status_code == 400
    assert not SignOff.objects.exists()


@pytest.mark.parametrize("decision", ["approved_with_remarks", "objection"])
def test_remarks_and_objections_need_text(client, project, step, decision):
    client.force_login(project.union_rep)
    response = sign(client, project, step, decision=decision, text=" ")
    assert response.status_code == 400
    assert "Skriv merknadene dine eller protokolltilførselen" in response.content.decode()
    assert not SignOff.objects.exists()


def test_changing_the_content_outdates_the_signoff_and_blocks_the_gate_again(project, step):
    owner = project.owner
    for item in ChecklistItem.objects.filter(phase__order=1, project=project, mandatory=True):
        phase_services.item_set_done(item=item, by=owner, done=True)
    risk = project.participation_steps.get(key="risk")
    services.signoff_record(step=risk, by=project.safety_rep, decision="approved")
    services.signoff_record(step=risk, by=project.oh, decision="approved")
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    services.signoff_record(step=step, by=project.union_rep, decision="objection", text="Uenige i rammen")
    phase = project.phases.get(order=1)
    from phases.selectors import phase_blockers

    assert phase_blockers(phase) == []  # an objection meets the role's part: it does not veto

    signed_version = step.version
    services.step_update(step=step, by=owner, summary="Ny ramme: 2 500 000 kr", meetings=[])
    step.refresh_from_db()
    assert step.version == signed_version  # a saved draft is not sent: the signed version still counts
    assert any("ikke er sendt til godkjenning" in b for b in phase_blockers(phase))  # but the gate waits
    services.step_send(step=step, by=owner)
    step.refresh_from_db()
    assert step.version == signed_version + 1
    blockers = phase_blockers(phase)
    assert any("utdatert" in b and "Drøfting av mandatet" in b for b in blockers)
    with pytest.raises(ValidationError):
        phase_services.phase_complete(phase=phase, by=owner)
    # Signing the new version unblocks it.
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    services.signoff_record(step=step, by=project.union_rep, decision="approved")
    phase_services.phase_complete(phase=phase, by=owner, assessments=dict.fromkeys(Criterion.values, ("green", "")))


def test_changing_linked_meeting_minutes_outdates_the_signoff(project, step):
    meeting = services.meeting_save(
        project=project, by=project.owner, type="consultation", title="Drøftingsmøte", held_on="2027-01-10",
        minutes="Enighet om rammen.", steps=[step],
    )  # fmt: skip
    step = services.step_send(step=step, by=project.owner)
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    services.meeting_save(
        project=project, by=project.owner, meeting=meeting, type="consultation", title="Drøftingsmøte",
        held_on="2027-01-10", minutes="Uenighet om rammen.", steps=[step],
    )  # fmt: skip
    step.refresh_from_db()
    assert SignOff.objects.get().step_version == step.version  # a draft until it is sent
    services.step_send(step=step, by=project.owner)
    step.refresh_from_db()
    signoff = SignOff.objects.get()
    assert signoff.step_version < step.version
    assert signoff.content_hash != step.content_hash


def test_missing_signoff_names_step_and_role(project):
    from phases.selectors import phase_blockers

    blockers = phase_blockers(project.phases.get(order=1))
    assert "Godkjenning fra tillitsvalgt mangler: «Drøfting av mandatet»" in blockers
    assert "Godkjenning fra bedriftshelsetjeneste mangler: «Risikovurdering med verneombud og BHT»" in blockers


def test_signoffs_cannot_be_changed_or_deleted(project, step):
    signoff = services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    signoff.text = "endret"
    with pytest.raises(ValidationError):
        signoff.save()
    with pytest.raises(ValidationError):
        signoff.delete()
    with pytest.raises(ValidationError):
        SignOff.objects.filter(pk=signoff.pk).update(text="endret")
    with pytest.raises(ValidationError):
        SignOff.objects.all().delete()
    assert SignOff.objects.get().text == ""


def test_admin_cannot_add_change_or_delete_signoffs(project, step):
    signoff = services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    admin = site._registry[SignOff]
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, signoff)
    assert not admin.has_delete_permission(request, signoff)


def test_admin_change_post_does_not_alter_a_signoff(client, project, step):
    signoff = services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:participation_signoff_change", args=[signoff.pk])
    client.post(url, {"decision": "objection", "text": "endret"})
    client.post(reverse("admin:participation_signoff_delete", args=[signoff.pk]), {"post": "yes"})
    signoff = SignOff.objects.get(pk=signoff.pk)
    assert (signoff.decision, signoff.text) == ("approved", "")


def test_no_url_edits_or_deletes_a_signoff():
    from participation.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    assert names == {
        "inbox", "plan", "step", "sign", "step_edit", "step_send", "meeting_create", "meeting", "meeting_edit",
        "meeting_attachment", "meeting_file", "meeting_file_remove",
    }  # fmt: skip


def test_person_holding_two_required_roles_signs_for_each(project, step):
    both = member(project, Role.UNION_REP)
    from projects.services import membership_add

    membership_add(project=project, user=both, role=Role.SAFETY_REP, by=project.owner)
    services.signoff_record(step=step, by=both, decision="approved", role="union_rep")
    services.signoff_record(step=step, by=both, decision="approved", role="safety_rep")
    assert SignOff.objects.filter(signer=both).count() == 2


def test_step_page_shows_content_and_sign_form_to_holders(client, project, step):
    client.force_login(project.union_rep)
    html = client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
    assert "<title>Drøfting av mandatet – Økonomi flytter – Prosessguiden</title>" in html
    assert html.count('id="signoffs-heading"') == 1
    assert "Mandatet drøftes." in html
    assert step.content_hash in html
    assert "kan ikke endres eller slettes" in html
    client.force_login(project.oh)
    html = client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
    assert 'name="decision"' not in html


def test_step_of_another_project_is_404(client, project, step, steps_template):
    from tests.factories import ProjectFactory

    other = ProjectFactory()
    phase_services.process_start(project=other, template=steps_template, by=member(other, Role.OWNER))
    foreign = other.participation_steps.first()
    client.force_login(project.safety_rep)
    assert client.get(reverse("participation:step", args=[project.pk, foreign.pk])).status_code == 404
    assert client.get(reverse("participation:step", args=[other.pk, foreign.pk])).status_code == 404


def test_admin_shows_steps_meetings_and_signoffs_read_only(client, project, step):
    signoff = services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for name in ("step", "meeting", "signoff"):
        assert client.get(reverse(f"admin:participation_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:projects_generateddocument_changelist")).status_code == 200
    page = client.get(reverse("admin:participation_signoff_change", args=[signoff.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_an_unprepared_step_cannot_be_signed_and_waits_for_nobody(client, steps_template):
    from tests.factories import ProjectFactory

    fresh = ProjectFactory()
    owner = member(fresh, Role.OWNER)
    rep = member(fresh, Role.SAFETY_REP)
    phase_services.process_start(project=fresh, template=steps_template, by=owner)
    step = fresh.participation_steps.get(key="mandate-consultation")
    with pytest.raises(ValidationError, match="ikke sendt til godkjenning"):
        services.signoff_record(step=step, by=rep, decision="approved")
    client.force_login(rep)
    assert list(client.get(reverse("participation:inbox")).context["waiting"]) == []
    assert (
        "ikke sendt til godkjenning ennå"
        in client.get(reverse("participation:step", args=[fresh.pk, step.pk])).content.decode()
    )
    services.step_update(step=step, by=owner, summary="Utkast til mandat", meetings=[])
    assert list(client.get(reverse("participation:inbox")).context["waiting"]) == []  # a saved draft is not sent
    services.step_send(step=step, by=owner)
    assert [e.step.key for e in client.get(reverse("participation:inbox")).context["waiting"]] == [
        "mandate-consultation"
    ]


def test_language_switch_after_a_failed_post_returns_to_the_step_page(client, project, step):
    client.force_login(project.safety_rep)
    step_url = reverse("participation:step", args=[project.pk, step.pk])
    response = client.post(reverse("participation:sign", args=[project.pk, step.pk]), {}, HTTP_REFERER=step_url)
    assert response.status_code == 400
    assert f'name="next" value="{step_url}"' in response.content.decode()
    assert "Velg en beslutning." in response.content.decode()


def _meeting_with_file(project, step, send=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = services.meeting_save(
        project=project, by=project.owner, type="consultation", title="Drøftingsmøte",
        held_on="2027-01-10", steps=[step],
    )  # fmt: skip
    upload = SimpleUploadedFile("referat.txt", b"Referat", content_type="text/plain")
    attachment = services.meeting_attachment_add(meeting=meeting, by=project.owner, upload=upload)
    if send:
        services.step_send(step=step, by=project.owner)
    return meeting, attachment


def test_owner_removes_a_meeting_file_nobody_has_signed(client, project, step):
    meeting, attachment = _meeting_with_file(project, step)
    draft = type(step).objects.get(pk=step.pk).draft_hash
    client.force_login(project.owner)
    url = reverse("participation:meeting_file_remove", args=[project.pk, attachment.pk])
    assert "Ja, fjern" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not meeting.attachments.exists()
    assert type(step).objects.get(pk=step.pk).draft_hash != draft  # the step's draft changed


def test_a_file_in_signed_content_stays(client, project, step):
    meeting, attachment = _meeting_with_file(project, step, send=True)
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    client.force_login(project.owner)
    url = reverse("participation:meeting_file_remove", args=[project.pk, attachment.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "er en del av innhold som er sendt til godkjenning" in response.content.decode()
    assert meeting.attachments.exists()
    with pytest.raises(ValidationError):
        services.meeting_attachment_remove(attachment=attachment, by=project.owner)


def test_representatives_cannot_remove_meeting_files(client, project, step):
    _meeting, attachment = _meeting_with_file(project, step)
    client.force_login(project.safety_rep)
    assert (
        client.post(reverse("participation:meeting_file_remove", args=[project.pk, attachment.pk])).status_code == 403
    )
