import pytest
import time_machine
from django.urls import reverse

from participation import services
from phases import services as phase_services
from projects.models import Role
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


def test_inbox_shows_exactly_the_steps_waiting_for_this_person(client, project, steps_template):
    rep = project.safety_rep
    other = ProjectFactory(name="Et annet prosjekt")
    phase_services.process_start(project=other, template=steps_template, by=member(other, Role.OWNER))
    client.force_login(rep)
    page = client.get(reverse("participation:inbox"))
    waiting = [view.step.key for view, *_ in page.context["waiting"]]
    # The safety rep is required on the mandate consultation and the risk step, not on the house rules.
    assert waiting == ["mandate-consultation", "risk"]
    assert all(view.step.project_id == project.pk for view, *_ in page.context["waiting"])
    assert "Et annet prosjekt" not in page.content.decode()


def test_signed_step_leaves_the_waiting_list(client, project, step):
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    client.force_login(project.safety_rep)
    page = client.get(reverse("participation:inbox"))
    assert [v.step.key for v, *_ in page.context["waiting"]] == ["risk"]
    assert [v.step.key for v, _ in page.context["signed"]] == ["mandate-consultation"]


def test_a_step_met_by_another_holder_of_the_role_is_not_waiting(client, project, step):
    second = member(project, Role.UNION_REP)
    services.signoff_record(step=step, by=project.union_rep, decision="approved")
    client.force_login(second)
    page = client.get(reverse("participation:inbox"))
    assert [v.step.key for v, *_ in page.context["waiting"]] == ["house-rules"]


def test_oldest_first(client, project, step):
    risk = project.participation_steps.get(key="risk")
    with time_machine.travel("2027-03-01 10:00 +01:00"):
        services.step_update(step=step, by=project.owner, summary="Ny versjon", meetings=[])
    with time_machine.travel("2027-02-01 10:00 +01:00"):
        services.step_update(step=risk, by=project.owner, summary="Ny versjon", meetings=[])
    client.force_login(project.safety_rep)
    waiting = client.get(reverse("participation:inbox")).context["waiting"]
    assert [v.step.key for v, *_ in waiting] == ["risk", "mandate-consultation"]


def test_outdated_signoff_returns_with_what_changed(client, project, step):
    services.step_update(step=step, by=project.owner, summary="Ramme 2 000 000 kr", meetings=[])
    step.refresh_from_db()
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    services.step_update(step=step, by=project.owner, summary="Ramme 2 500 000 kr", meetings=[])
    client.force_login(project.safety_rep)
    page = client.get(reverse("participation:inbox"))
    view, roles, previous, changes = next(w for w in page.context["waiting"] if w[0].step.key == step.key)
    assert previous is not None
    assert ("-", "Sammendrag: Ramme 2 000 000 kr") in changes
    assert ("+", "Sammendrag: Ramme 2 500 000 kr") in changes
    assert "Endret siden du signerte" in page.content.decode()


def test_inbox_link_shows_the_count_to_representatives(client, project):
    client.force_login(project.safety_rep)
    html = client.get(reverse("projects:mine")).content.decode()
    assert "Til godkjenning" in html
    client.force_login(project.owner)
    assert "Til godkjenning" not in client.get(reverse("projects:mine")).content.decode()


def test_plan_shows_roles_persons_and_gaps(client, project):
    client.force_login(project.owner)
    html = client.get(reverse("participation:plan", args=[project.pk])).content.decode()
    assert "Siri Verne" in html and "aml. § 6-5" in html
    assert "Ingen har rollen «Arbeidsmiljøutvalget (AMU)» i dette prosjektet." in html
    overview = client.get(project.get_absolute_url()).content.decode()
    assert "Ingen har rollen «Arbeidsmiljøutvalget (AMU)» i dette prosjektet." in overview
