"""The gate page names the objections on record for the phase's steps (they do not block it)."""

import pytest
from django.urls import reverse

from participation import services
from phases import services as phase_services
from phases.models import ChecklistItem, Criterion

pytestmark = pytest.mark.django_db


def test_an_objection_is_mentioned_at_the_gate_and_does_not_block_it(client, project, step):
    for item in ChecklistItem.objects.filter(phase__order=1, project=project, mandatory=True):
        phase_services.item_set_done(item=item, by=project.owner, done=True)
    risk = project.participation_steps.get(key="risk")
    services.signoff_record(step=risk, by=project.safety_rep, decision="approved")
    services.signoff_record(step=risk, by=project.oh, decision="approved")
    services.signoff_record(step=step, by=project.safety_rep, decision="approved")
    services.signoff_record(
        step=step, by=project.union_rep, decision="objection", text="Arealrammen er for knapp for enheten."
    )
    phase = project.phases.get(order=1)
    client.force_login(project.owner)
    html = client.get(reverse("phases:complete", args=[project.pk, phase.pk])).content.decode()
    assert "Protokolltilførsler" in html or "Protokolltilførsel" in html
    assert "Protokolltilførsel fra Tor Tillit (tillitsvalgt) på «Drøfting av mandatet»" in html
    assert "Arealrammen er for knapp for enheten." in html
    assert reverse("participation:step", args=[project.pk, step.pk]) in html
    assert "Faseovergangen er klar" in html
    response = client.post(
        reverse("phases:complete", args=[project.pk, phase.pk]), {f"{c.value}_status": "green" for c in Criterion}
    )
    assert response.status_code == 302
