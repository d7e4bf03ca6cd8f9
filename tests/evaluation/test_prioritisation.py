"""The parties' prioritisation of the HMS measures is a participation step that signs the measure list."""

import json

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import Measure
from participation.models import Step
from participation.services import signoff_record, step_send
from phases.services import process_start


@pytest.fixture
def step(project, owner, bergen_template):
    process_start(project=project, template=bergen_template, by=owner)
    return Step.objects.get(project=project, kind="prioritisation")


def measure(project, owner, **kw):
    fields = {"focus_area": "Støy i landskapet", "goal": "Ro til konsentrasjon", "activity": "Stillerom",
              "responsible": "Kari Eier", "source": "evaluation"}  # fmt: skip
    return services.measure_create(project=project, by=owner, **{**fields, **kw})


def _page(client, user, step):
    client.force_login(user)
    return client.get(reverse("participation:step", args=[step.project_id, step.pk]))


def test_recorded_priorities_are_the_steps_content_and_the_owner_sends_them_for_sign_off(
    client, project, owner, step, today
):
    noise = measure(project, owner)
    light = measure(project, owner, focus_area="Dagslys", goal="Mer lys", activity="Flytte pulter")
    step.refresh_from_db()
    assert not step.is_sent  # measures, but no priorities agreed yet
    services.measures_prioritise(project=project, by=owner, priorities={noise.pk: 1, light.pk: 3}, agreed_on=today)
    step.refresh_from_db()
    assert not step.is_sent and step.has_unsent_changes  # a draft until the owner sends it (issue 8)
    step = step_send(step=step, by=owner)
    assert step.is_sent
    page = _page(client, project.safety_rep, step).content.decode()
    assert "Tiltak 1 «Støy i landskapet»" in page and '<th scope="col">Prioritet</th>' in page  # as a table
    assert "Høy" in page and "Flytte pulter" in page
    assert "15. mars 2027" in page  # the day the parties agreed
    signoff = signoff_record(step=step, by=project.safety_rep, decision="approved")
    signed = json.loads(signoff.content)["work_product"]
    assert [f[2] for f in signed["fields"] if f[0] == f"measures.{light.pk}.priority"] == ["Lav"]


def test_a_changed_priority_outdates_the_sign_off_and_the_representative_sees_which(
    client, project, owner, step, today
):
    noise = measure(project, owner)
    other = measure(project, owner, focus_area="Garderober")
    services.measures_prioritise(project=project, by=owner, priorities={noise.pk: 2, other.pk: 2}, agreed_on=today)
    step = step_send(step=step, by=owner)
    signoff_record(step=step, by=project.union_rep, decision="approved")
    version = step.version
    # Follow-up (in progress) is not prioritisation: the signature stays current.
    services.measure_update(measure=noise, by=owner, status=Measure.Status.IN_PROGRESS)
    step.refresh_from_db()
    assert step.version == version and not step.has_unsent_changes
    services.measures_prioritise(project=project, by=owner, priorities={noise.pk: 1}, agreed_on=today)
    step = step_send(step=step, by=owner)
    assert step.version == version + 1
    changes = _page(client, project.union_rep, step).context["changes"]
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Tiltak 1 «Støy i landskapet» · Prioritet", "Middels", "Høy")
    ]


def test_the_english_interface_names_the_signed_fields_in_english(client, project, owner, step, today):
    """What is signed stays in bokmål (its SHA-256 must not depend on the reader); the step page, the document's
    title and the differences name its fields in the reader's language."""
    noise = measure(project, owner)
    secret = measure(project, owner, focus_area="Konflikt i seksjon B")
    services.measure_update(measure=secret, by=owner, status="planned", sensitive=True)
    services.measures_prioritise(project=project, by=owner, priorities={noise.pk: 2, secret.pk: 1}, agreed_on=today)
    step = step_send(step=step, by=owner)
    rep = project.union_rep
    signoff_record(step=step, by=rep, decision="approved")
    services.measures_prioritise(project=project, by=owner, priorities={noise.pk: 1}, agreed_on=today)
    step = step_send(step=step, by=owner)
    assert "Tiltak 1 «Støy i landskapet» · Prioritet" in step.content  # as signed
    rep.preferred_language = "en"
    rep.save()
    response = _page(client, rep, step)
    page = response.content.decode()
    assert "Measure 1 «Støy i landskapet»" in page and '<th scope="col">Focus area</th>' in page
    assert "<dt>Prioritised by the parties on</dt>" in page
    assert "Measure 2 «Konflikt i seksjon B»" in page  # the union rep may read it
    assert "HMS action plan: the parties&#x27; priorities" in page
    assert "Tiltak 1" not in page and "Innsatsområde" not in page
    assert [(c.label, c.before, c.after) for c in response.context["changes"]] == [
        ("Measure 1 «Støy i landskapet» · Priority", "Middels", "Høy")
    ]


def test_sensitive_measures_are_signed_in_full_and_shown_only_to_those_who_may_see_them(
    client, project, owner, step, today, hr
):
    """What is signed holds every measure; whether one is sensitive decides who reads its words on the step page
    (participation/snapshot.py), not what is signed."""
    plain = measure(project, owner)
    secret = measure(project, owner, focus_area="Konflikt i seksjon B", goal="Løse konflikten", activity="Samtaler")
    services.measure_update(measure=secret, by=owner, status="planned", sensitive=True)
    services.measures_prioritise(project=project, by=owner, priorities={plain.pk: 1, secret.pk: 1}, agreed_on=today)
    step = step_send(step=step, by=owner)
    for user in (project.safety_rep, project.union_rep, project.manager, owner):
        html = _page(client, user, step).content.decode()
        assert "Konflikt i seksjon B" in html and "Samtaler" in html
    for user in (project.viewer, project.oh_service):
        html = _page(client, user, step).content.decode()
        assert "Konflikt i seksjon B" not in html and "Samtaler" not in html and "Løse konflikten" not in html
        assert "Sensitivt HMS-tiltak nr. 2" in html and "Støy i landskapet" in html
    signoff = signoff_record(step=step, by=project.safety_rep, decision="approved")
    assert "Samtaler" in signoff.content  # stored as signed; hidden only when shown
    # A change to the sensitive measure changes what is signed: the representative signs again.
    version = step.version
    services.measure_update(measure=secret, by=owner, status="planned", activity="Samtaler med BHT")
    step.refresh_from_db()
    assert step.has_unsent_changes
    assert step_send(step=step, by=owner).version == version + 1
    # HR holds no project role: no step page at all.
    client.force_login(hr)
    assert client.get(reverse("participation:step", args=[project.pk, step.pk])).status_code == 404


def test_open_the_document_leads_to_the_measures(client, project, owner, step, moved_in, today):
    noise = measure(project, owner)
    services.measures_prioritise(project=project, by=owner, priorities={noise.pk: 1}, agreed_on=today)
    step_send(step=step, by=owner)
    client.force_login(project.safety_rep)
    link = reverse("workproducts:detail", args=[project.pk, "hms_measures"])
    assert link in _page(client, project.safety_rep, step).content.decode()
    assert client.get(link)["Location"] == reverse("evaluation:overview", args=[project.pk]) + "#measures-heading"


def test_other_steps_keep_their_sign_offs_when_measures_change(project, owner, step, today):
    from participation.services import step_update

    consultation = Step.objects.get(project=project, key="mandate-consultation")
    step_update(step=consultation, by=owner, summary="Mandatet legges fram.", meetings=[])
    consultation = step_send(step=consultation, by=owner)
    signoff = signoff_record(step=consultation, by=project.safety_rep, decision="approved")
    measure(project, owner)
    consultation.refresh_from_db()
    assert consultation.version == signoff.step_version
