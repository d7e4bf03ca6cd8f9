"""Only the people the law names sign: the employer's side cannot hold a representative's role, and a sign-off
whose signer no longer holds the role stops counting (kept on record, shown as such, the gate blocks again)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from participation import selectors, services
from participation.models import SignOff
from phases import services as phase_services
from phases.models import ChecklistItem
from phases.selectors import phase_blockers
from projects import services as project_services
from projects.models import Membership, Role
from tests.factories import MembershipFactory, member
from tests.participation.test_protocol import pdf_text, protocol_generate

pytestmark = pytest.mark.django_db


def _ready_for_gate(project, step):
    """Every mandatory item of phase 1 done and every step of phase 1 but `step` signed."""
    for item in ChecklistItem.objects.filter(phase__order=1, project=project, mandatory=True):
        phase_services.item_set_done(item=item, by=project.owner, done=True)
    risk = project.participation_steps.get(key="risk")
    services.signoff_record(step=risk, by=project.safety_rep, decision="approved")
    services.signoff_record(step=risk, by=project.oh, decision="approved")
    services.signoff_record(step=step, by=project.union_rep, decision="approved")
    return project.phases.get(order=1)


@pytest.mark.parametrize("employer", [Role.OWNER, Role.MANAGER])
@pytest.mark.parametrize("party", [Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE, Role.AMU])
def test_the_employer_side_cannot_hold_a_party_role(project, employer, party):
    boss = project.owner if employer == Role.OWNER else member(project, Role.MANAGER)
    with pytest.raises(ValidationError) as exc:
        project_services.membership_add(project=project, user=boss, role=party, by=project.owner)
    assert "role" in exc.value.message_dict
    assert not Membership.objects.filter(project=project, user=boss, role=party).exists()


def test_a_representative_cannot_be_made_owner_or_manager(project):
    with pytest.raises(ValidationError):
        project_services.membership_add(project=project, user=project.safety_rep, role=Role.MANAGER, by=project.owner)
    second = project_services.membership_add(
        project=project, user=project.safety_rep, role=Role.UNION_REP, by=project.owner
    )
    with pytest.raises(ValidationError):
        project_services.membership_change_role(membership=second, role=Role.OWNER, by=project.owner)
    # Changing one's only role across the line is fine: they then hold one side only.
    manager = member(project, Role.MANAGER)
    manager_membership = Membership.objects.get(project=project, user=manager)
    project_services.membership_change_role(membership=manager_membership, role=Role.UNION_REP, by=project.owner)
    # The same person may hold a party role in another project where they are not the employer.
    assert Membership.objects.filter(user=manager, role=Role.UNION_REP).count() == 1


def test_the_members_page_says_why(client, project):
    manager = member(project, Role.MANAGER)
    client.force_login(manager)
    response = client.post(
        reverse("projects:member_add", args=[project.pk]), {"add-user": manager.pk, "add-role": Role.SAFETY_REP}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "kan ikke også være verneombud" in html
    assert not Membership.objects.filter(project=project, user=manager, role=Role.SAFETY_REP).exists()


def test_a_signoff_stops_counting_when_the_signer_loses_the_role(project, step):
    phase = _ready_for_gate(project, step)
    signoff = services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    assert phase_blockers(phase) == []
    project_services.membership_remove(
        membership=Membership.objects.get(project=project, user=project.safety_rep), by=project.owner
    )
    view = selectors.step_for_page(project=project, step_id=step.pk)
    safety = next(r for r in view.roles if r.role == Role.SAFETY_REP)
    assert not safety.met and safety.lapsed == signoff
    assert SignOff.objects.filter(pk=signoff.pk).exists()  # kept on record
    assert any("teller ikke lenger" in b and "Drøfting av mandatet" in b for b in phase_blockers(phase))
    with pytest.raises(ValidationError):
        phase_services.phase_complete(phase=phase, by=project.owner, assessments=_green())
    # A new safety representative signs, and the gate opens again.
    new_rep = member(project, Role.SAFETY_REP)
    services.signoff_record(step=step, by=new_rep, decision="approved")
    services.signoff_record(step=project.participation_steps.get(key="risk"), by=new_rep, decision="approved")
    assert phase_blockers(phase) == []


def test_a_legacy_signoff_by_the_employer_side_does_not_count(project, step):
    """Rows from before the rule (a manager who also held the safety rep role) count for nothing."""
    manager = member(project, Role.MANAGER)
    MembershipFactory(project=project, user=manager, role=Role.SAFETY_REP)  # as the old service allowed
    with pytest.raises(PermissionDenied):
        services.signoff_record(step=step, by=manager, decision="approved", role=Role.SAFETY_REP)
    SignOff(
        step=step, step_version=step.version, role=Role.SAFETY_REP, signer=manager, decision="approved",
        content=services.step_content(step), content_hash=step.content_hash,
    ).save()  # fmt: skip
    view = selectors.step_for_page(project=project, step_id=step.pk)
    assert not next(r for r in view.roles if r.role == Role.SAFETY_REP).met


def test_the_attack_manager_adds_self_as_rep_signs_and_removes_the_role(client, project, step):
    """Tried on the old main: the manager became safety rep, signed, dropped the role, and the step counted as
    approved by both parties. Now the role is refused; and a sign-off given while holding it (legacy data)
    stops counting once the role is gone, so the gate stays blocked."""
    phase = _ready_for_gate(project, step)
    manager = member(project, Role.MANAGER)
    client.force_login(manager)
    response = client.post(
        reverse("projects:member_add", args=[project.pk]), {"add-user": manager.pk, "add-role": Role.SAFETY_REP}
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(project=project, user=manager, role=Role.SAFETY_REP).exists()

    # The same with a role held from before the rule: signing is refused, and a legacy sign-off lapses.
    rep_membership = MembershipFactory(project=project, user=manager, role=Role.SAFETY_REP)
    response = client.post(reverse("participation:sign", args=[project.pk, step.pk]), {"decision": "approved"})
    assert response.status_code == 403
    SignOff(
        step=step, step_version=step.version, role=Role.SAFETY_REP, signer=manager, decision="approved",
        content=services.step_content(step), content_hash=step.content_hash,
    ).save()  # fmt: skip
    response = client.post(reverse("projects:member_remove", args=[project.pk, rep_membership.pk]))
    assert response.status_code == 302
    assert SignOff.objects.filter(signer=manager).count() == 1

    html = client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
    assert "Teller ikke lenger" in html
    response = client.post(reverse("phases:complete", args=[project.pk, phase.pk]), _green_post())
    assert response.status_code == 400
    assert "teller ikke lenger" in response.content.decode()
    phase.refresh_from_db()
    assert not phase.is_completed


def test_step_page_and_protocol_mark_a_lapsed_signoff(client, project, step):
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    project_services.membership_remove(
        membership=Membership.objects.get(project=project, user=project.safety_rep), by=project.owner
    )
    client.force_login(project.owner)
    html = client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
    assert "Siri Verne" in html
    assert "Teller ikke lenger" in html and "har ikke lenger denne rollen" in html
    doc = protocol_generate(project=project, by=project.owner)
    _data, _reader, text = pdf_text(doc)
    flat = " ".join(text.split())
    assert "Siri Verne" in flat
    assert "teller ikke lenger" in flat
    assert "venter på godkjenning fra verneombud" in flat


def test_a_rep_added_a_moment_ago_counts_for_the_inbox_count(project, step):
    """The top bar counts the steps `waiting_for` lists: the same rule as the step page."""
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    other = member(project, Role.SAFETY_REP)
    assert selectors.waiting_for(user=other).count() == 1  # the risk step waits for a safety rep; this one is met
    project_services.membership_remove(
        membership=Membership.objects.get(project=project, user=project.safety_rep), by=project.owner
    )
    assert selectors.waiting_for(user=other).count() == 2


def _green():
    from phases.models import Criterion

    return {c.value: ("green", "") for c in Criterion}


def _green_post():
    from phases.models import Criterion

    return {f"{c.value}_status": "green" for c in Criterion}


def test_the_coordinators_overview_counts_a_lapsed_signoff_as_waiting(project, step):
    from django.utils import timezone

    from dashboard.selectors import overview_queryset

    def waiting():  # what the overview reads (the rollup, which the membership services refresh)
        return overview_queryset(today=timezone.localdate()).get(pk=project.pk).signoffs_waiting

    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    services.signoff_record(step=step, by=project.union_rep, decision="approved")
    before = waiting()
    project_services.membership_remove(
        membership=Membership.objects.get(project=project, user=project.safety_rep), by=project.owner
    )
    assert waiting() == before + 1


def test_the_final_documentation_does_not_count_a_signoff_whose_signer_lost_the_role(project, step):
    """The final documentation's participation summary follows the same rule as the step page and the gate."""
    import datetime
    import io

    import time_machine
    from django.utils import timezone
    from pypdf import PdfReader

    from evaluation.pdf import render_final_documentation
    from evaluation.services import movein_record
    from projects.models import GeneratedDocument

    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    services.signoff_record(step=step, by=project.union_rep, decision="approved")
    later = max(project.start_date, timezone.localdate()) + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(later, datetime.time(12)), tick=False):
        movein_record(early_confirmed=True, project=project, by=project.owner, move_in=later)
    document = GeneratedDocument.objects.create(
        project=project, kind="final-documentation", version=1, requested_by=project.owner
    )

    def text():
        reader = PdfReader(io.BytesIO(render_final_documentation(document)))
        return " ".join(page.extract_text() for page in reader.pages)

    assert "2 / 2" in text() and "Teller ikke lenger" not in text()
    rep = Membership.objects.get(project=project, user=project.safety_rep, role=Role.SAFETY_REP)
    project_services.membership_remove(membership=rep, by=project.owner)
    after = text()
    assert "1 / 2" in after
    assert f"Verneombud, {project.safety_rep.full_name}: Teller ikke lenger" in after
