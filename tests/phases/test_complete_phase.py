import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from phases import services
from phases.models import ChecklistItem, Criterion, CriterionAssessment
from projects.models import Role
from tests.factories import coordinator, member
from tests.phases.conftest import item

pytestmark = pytest.mark.django_db

ASSESSMENT = {f"{c.value}_status": "green" for c in Criterion} | {"leaders_comment": "Ledergruppen er med"}
GREEN = {c.value: ("green", "") for c in Criterion}


def settle_phase_one(project, owner, skip=()):
    for it in ChecklistItem.objects.filter(phase__project=project, phase__order=1, mandatory=True):
        if it.key not in skip:
            services.item_set_done(item=it, by=owner, done=True)


def complete_url(project, order):
    return reverse("phases:complete", args=[project.pk, project.phases.get(order=order).pk])


def test_gate_refuses_with_open_mandatory_item_and_names_it(client, project, owner):
    settle_phase_one(project, owner, skip=("frame",))
    client.force_login(owner)
    response = client.post(complete_url(project, 1), ASSESSMENT)
    assert response.status_code == 400
    assert "Obligatorisk sjekkpunkt er ikke utført: «Økonomisk ramme» (Mandat)" in response.content.decode()
    assert project.phases.get(order=1).completed_at is None


def test_gate_page_lists_what_blocks(client, project, owner):
    client.force_login(owner)
    html = client.get(complete_url(project, 1)).content.decode()
    assert "Hold verksted" in html
    assert "Økonomisk ramme" in html
    assert "Studietur" not in html  # not mandatory
    assert f'href="{reverse("phases:item", args=[project.pk, item(project, "workshop").pk])}"' in html


def test_owner_completes_phase_with_assessment(client, project, owner):
    settle_phase_one(project, owner, skip=("workshop",))
    services.item_set_not_applicable(item=item(project, "workshop"), by=owner, reason="Holdt i fjor")
    client.force_login(owner)
    response = client.post(complete_url(project, 1), ASSESSMENT)
    assert response.status_code == 302
    phase = project.phases.get(order=1)
    assert phase.completed_by == owner and phase.completed_at is not None
    assert not phase.overridden
    assert CriterionAssessment.objects.filter(phase=phase).count() == 5
    assert CriterionAssessment.objects.get(phase=phase, criterion="leaders").comment == "Ledergruppen er med"
    page = client.get(reverse("phases:overview", args=[project.pk])).content.decode()
    assert "Ledergruppen er med" in page
    assert "Nåværende fase: <strong>Andre fase</strong>" in page


def test_assessment_is_required_of_the_owner(client, project, owner):
    settle_phase_one(project, owner)
    client.force_login(owner)
    response = client.post(complete_url(project, 1), {})
    assert response.status_code == 400
    assert project.phases.get(order=1).completed_at is None


def test_phases_complete_only_in_order(project, owner):
    services.item_set_done(item=item(project, "moved"), by=owner, done=True)
    with pytest.raises(ValidationError, match="Første fase"):
        services.phase_complete(phase=project.phases.get(order=2), by=owner)
    assert project.phases.get(order=2).completed_at is None


def test_later_phases_can_be_worked_on_early(client, project, owner):
    client.force_login(owner)
    client.post(reverse("phases:item_toggle", args=[project.pk, item(project, "moved").pk]), {"done": "1"})
    assert item(project, "moved").status == ChecklistItem.Status.DONE


def test_a_phase_completes_once(project, owner):
    settle_phase_one(project, owner)
    phase = project.phases.get(order=1)
    services.phase_complete(phase=phase, by=owner, assessments=GREEN)
    with pytest.raises(ValidationError):
        services.phase_complete(phase=phase, by=owner, assessments=GREEN)


def test_override_by_owner_is_refused(client, project, owner):
    client.force_login(owner)
    response = client.post(
        reverse("phases:override", args=[project.pk, project.phases.get(order=1).pk]),
        {"override-reason": "Haster"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.phase_complete(phase=project.phases.get(order=1), by=owner, override_reason="Haster")
    assert project.phases.get(order=1).completed_at is None


def test_override_by_coordinator_without_reason_is_refused(client, project):
    boss = coordinator()
    client.force_login(boss)
    response = client.post(
        reverse("phases:override", args=[project.pk, project.phases.get(order=1).pk]),
        {"override-reason": " "},
    )
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        services.phase_complete(phase=project.phases.get(order=1), by=boss, override_reason="")
    assert project.phases.get(order=1).completed_at is None


def test_coordinator_overrides_with_reason_visible_on_project(client, project):
    boss = coordinator(full_name="Knut Koordinator")
    client.force_login(boss)
    url = reverse("phases:override", args=[project.pk, project.phases.get(order=1).pk])
    reason = {"override-reason": "Mandatet er vedtatt politisk; sjekkpunktene følges opp i fase 2."}
    confirm = client.post(url, reason)
    assert confirm.status_code == 200
    assert "Ja, overstyr og fullfør" in confirm.content.decode()
    assert project.phases.get(order=1).completed_at is None  # nothing happens before the confirmation
    response = client.post(url, {**reason, "confirmed": "1"})
    assert response.status_code == 302
    phase = project.phases.get(order=1)
    assert phase.completed_by == boss and phase.overridden
    owner_view = client.get(project.get_absolute_url()).content.decode()
    assert "Mandatet er vedtatt politisk" in owner_view


def test_member_cannot_complete_a_phase(client, project, owner):
    settle_phase_one(project, owner)
    client.force_login(member(project, Role.MEMBER))
    assert client.post(complete_url(project, 1), ASSESSMENT).status_code == 403
    assert project.phases.get(order=1).completed_at is None


def test_completion_is_in_the_history(client, project, owner):
    settle_phase_one(project, owner)
    services.phase_complete(phase=project.phases.get(order=1), by=owner, assessments=GREEN)
    client.force_login(owner)
    html = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert "Fase: Første fase" in html


def test_an_external_blocker_blocks_the_gate(project, owner):
    from projects import extensions

    def blocker(phase):
        return ["Drøftingsmøte ikke signert"] if phase.order == 1 else []

    with extensions.registered("gate_blocker", blocker):
        settle_phase_one(project, owner)
        with pytest.raises(ValidationError, match="Drøftingsmøte ikke signert"):
            services.phase_complete(phase=project.phases.get(order=1), by=owner)


# The gate's rules live in the service (break 5 of issue 8) -----------------------------------------------------


def test_the_service_refuses_completion_without_the_assessment(project, owner):
    settle_phase_one(project, owner)
    phase = project.phases.get(order=1)
    with pytest.raises(ValidationError) as exc:
        services.phase_complete(phase=phase, by=owner)
    assert set(exc.value.message_dict) == {f"{c.value}_status" for c in Criterion}
    with pytest.raises(ValidationError) as exc:
        services.phase_complete(phase=phase, by=owner, assessments={"leaders": ("green", "")})
    assert "leaders_status" not in exc.value.message_dict and "finances_status" in exc.value.message_dict
    assert project.phases.get(order=1).completed_at is None


def test_at_risk_needs_a_comment_in_the_service(project, owner):
    settle_phase_one(project, owner)
    phase = project.phases.get(order=1)
    with pytest.raises(ValidationError) as exc:
        services.phase_complete(phase=phase, by=owner, assessments=GREEN | {"finances": ("red", "  ")})
    assert list(exc.value.message_dict) == ["finances_comment"]
    with pytest.raises(ValidationError):  # an override's assessment follows the same rule
        services.phase_complete(
            phase=phase, by=coordinator(), override_reason="Haster", assessments={"finances": ("red", "")}
        )
    assert project.phases.get(order=1).completed_at is None
    services.phase_complete(phase=phase, by=owner, assessments=GREEN | {"finances": ("red", "Rammen er brukt opp")})
    assert CriterionAssessment.objects.get(phase=phase, criterion="finances").comment == "Rammen er brukt opp"


def test_at_risk_without_comment_is_shown_at_the_field_with_the_input_kept(client, project, owner):
    settle_phase_one(project, owner)
    client.force_login(owner)
    data = ASSESSMENT | {"finances_status": "red"}
    response = client.post(complete_url(project, 1), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv hva som setter dette kriteriet i fare." in html
    assert 'href="#id_finances_comment"' in html
    assert '<option value="red" selected>' in html
    assert "Ledergruppen er med" in html
    assert project.phases.get(order=1).completed_at is None


def test_the_gate_page_never_says_both_blocked_and_open(client, project, owner):
    client.force_login(owner)
    html = client.get(complete_url(project, 1)).content.decode()
    assert "Dette hindrer faseovergangen" in html and "Faseovergangen er klar" not in html
    settle_phase_one(project, owner)
    html = client.get(complete_url(project, 1)).content.decode()
    assert "Faseovergangen er klar" in html and "Dette hindrer faseovergangen" not in html


def test_assessments_are_kept_when_the_gate_became_blocked_between_load_and_submit(client, project, owner):
    settle_phase_one(project, owner)
    client.force_login(owner)
    assert 'name="leaders_status"' in client.get(complete_url(project, 1)).content.decode()
    services.item_set_done(item=item(project, "frame"), by=owner, done=False)  # somebody un-ticks meanwhile
    data = {f"{c.value}_status": "yellow" for c in Criterion} | {
        f"{c.value}_comment": f"Vurdering av {c.value}" for c in Criterion
    }
    response = client.post(complete_url(project, 1), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Økonomisk ramme" in html  # the blocker
    assert html.count('<option value="yellow" selected>') == 5
    for c in Criterion:
        assert f"Vurdering av {c.value}" in html
    assert "Vurderingene dine er tatt vare på" in html
    assert project.phases.get(order=1).completed_at is None
