"""The mandate: what it holds, what bad input does, and how a change reaches the sign-offs."""

import datetime

import pytest
from django.urls import reverse

from participation import selectors as participation_selectors
from participation import services as participation
from workproducts.models import Mandate, Milestone, WorkProduct
from workproducts.services import workproduct_row_save, workproduct_save, workproduct_set_state

pytestmark = pytest.mark.django_db

MANDATE = {
    "background": "Enheten flytter til nye lokaler i Rådhusgaten.",
    "scope": "Ombygging av 3. etasje.",
    "frame_amount": 2_500_000,
    "frame_covers": "Ombygging, møbler og flytting",
    "delivery_requirements": "Ferdig til 1. oktober.",
    "quality_requirements": "Universell utforming.",
    "roles_text": "EBE leder byggeprosjektet.",
    "steering_group": "Direktør og to enhetsledere.",
    "working_groups": "Arbeidsgruppe for soner.",
}


def fill_mandate(project, by=None):
    by = by or project.owner
    client_data = dict(MANDATE)
    from workproducts.services import workproduct_start

    wp = workproduct_start(project=project, kind="mandate", by=by)
    wp = workproduct_save(work_product=wp, by=by, data=client_data)
    workproduct_row_save(
        work_product=wp,
        section="milestones",
        by=by,
        data={"name": "Valg av lokaler", "date": datetime.date(2027, 3, 1)},
    )
    workproduct_row_save(
        work_product=wp, section="milestones", by=by, data={"name": "Innflytting", "date": datetime.date(2027, 10, 1)}
    )
    wp.refresh_from_db()
    return wp


def form_data(**overrides):
    data = {k: str(v) for k, v in MANDATE.items()}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("frame_amount", "-5"),
        ("frame_amount", "100000000001"),
        ("frame_amount", "2,5 mill"),
        ("background", "x" * 100_000),
        ("quality_requirements", "y" * 100_000),
    ],
)
def test_bad_input_shows_the_error_at_the_field_keeps_the_input_and_writes_nothing(client, doc_project, field, value):
    client.force_login(doc_project.owner)
    response = client.post(reverse("workproducts:edit", args=[doc_project.pk, "mandate"]), form_data(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert MANDATE["steering_group"] in page  # the rest of the input is kept
    assert not WorkProduct.objects.exists() and not Mandate.objects.exists()


def test_a_milestone_before_the_project_start_is_refused_at_the_field(client, doc_project):
    client.force_login(doc_project.owner)
    url = reverse("workproducts:row_add", args=[doc_project.pk, "mandate", "milestones"])
    response = client.post(url, {"name": "Forprosjekt", "date": "2026-12-01"})
    assert response.status_code == 400
    assert "før prosjektstart" in " ".join(response.context["form"].errors["date"])
    assert 'value="Forprosjekt"' in response.content.decode()
    assert not Milestone.objects.exists()


def test_a_long_milestone_name_is_refused(client, doc_project):
    client.force_login(doc_project.owner)
    url = reverse("workproducts:row_add", args=[doc_project.pk, "mandate", "milestones"])
    response = client.post(url, {"name": "m" * 100_000, "date": "2027-05-01"})
    assert response.status_code == 400 and "name" in response.context["form"].errors
    assert not Milestone.objects.exists()


def test_owner_fills_in_the_mandate_through_the_form(client, doc_project):
    client.force_login(doc_project.owner)
    response = client.post(reverse("workproducts:edit", args=[doc_project.pk, "mandate"]), form_data())
    assert response.status_code == 302
    mandate = Mandate.objects.get(work_product__project=doc_project)
    assert mandate.frame_amount == 2_500_000
    page = client.get(reverse("workproducts:detail", args=[doc_project.pk, "mandate"])).content.decode()
    assert "2\u00a0500\u00a0000\u00a0kr" in page


def test_representative_reads_but_cannot_edit(client, doc_project):
    fill_mandate(doc_project)
    client.force_login(doc_project.safety_rep)
    page = client.get(reverse("workproducts:detail", args=[doc_project.pk, "mandate"]))
    assert page.status_code == 200 and "Universell utforming." in page.content.decode()
    assert client.get(reverse("workproducts:edit", args=[doc_project.pk, "mandate"])).status_code == 403
    assert client.post(reverse("workproducts:edit", args=[doc_project.pk, "mandate"]), form_data()).status_code == 403
    wp = WorkProduct.objects.get(kind="mandate")
    assert (
        client.post(reverse("workproducts:state", args=[doc_project.pk, "mandate"]), {"state": "adopted"}).status_code
        == 403
    )
    wp.refresh_from_db()
    assert wp.state == "draft"


def test_the_service_refuses_a_representative(doc_project):
    from django.core.exceptions import PermissionDenied

    wp = fill_mandate(doc_project)
    with pytest.raises(PermissionDenied):
        workproduct_save(work_product=wp, by=doc_project.union_rep, data={"frame_amount": 1})


def sign(step, by, decision="approved", text=""):
    return participation.signoff_record(step=step, by=by, decision=decision, text=text)


def test_changing_the_mandate_outdates_the_consultation_and_leaves_other_steps_current(doc_project):
    wp = fill_mandate(doc_project)
    workproduct_set_state(work_product=wp, by=doc_project.owner, state="consultation")
    steps = {s.key: s for s in doc_project.participation_steps.all()}
    consultation, risk = steps["mandate-consultation"], steps["risk-assessment-signoff"]
    assert not consultation.is_sent  # the document's state is its own; the owner sends the step
    consultation = participation.step_send(step=consultation, by=doc_project.owner)
    participation.step_update(step=risk, by=doc_project.owner, summary="Risikoen er vurdert.", meetings=[])
    risk = participation.step_send(step=risk, by=doc_project.owner)
    sign(consultation, doc_project.safety_rep)
    sign(risk, doc_project.safety_rep)
    risk_version = steps["risk-assessment-signoff"].__class__.objects.get(pk=risk.pk).version

    workproduct_save(work_product=wp, by=doc_project.owner, data={"frame_amount": 3_000_000})
    participation.step_send(step=consultation, by=doc_project.owner)

    views = {v.step.key: v for v in participation_selectors.project_steps(project=doc_project)}
    safety = next(r for r in views["mandate-consultation"].roles if r.role == "safety_rep")
    assert safety.current is None and safety.outdated is not None
    risk_safety = next(r for r in views["risk-assessment-signoff"].roles if r.role == "safety_rep")
    assert risk_safety.current is not None
    assert views["risk-assessment-signoff"].step.version == risk_version
    blockers = participation_selectors.phase_blockers(doc_project.phases.get(order=1))
    assert any("utdatert" in b and "Drøftingsmøte om mandatet" in b for b in blockers)


def test_the_information_step_does_not_include_the_document(doc_project):
    wp = fill_mandate(doc_project)
    info = doc_project.participation_steps.get(key="start-information")
    before = info.version
    workproduct_save(work_product=wp, by=doc_project.owner, data={"scope": "Hele bygget."})
    info.refresh_from_db()
    assert info.version == before
    assert "work_product" not in participation.step_content(info)


def test_the_difference_names_exactly_the_changed_fields(client, doc_project):
    wp = fill_mandate(doc_project)
    workproduct_set_state(work_product=wp, by=doc_project.owner, state="consultation")
    step = participation.step_send(
        step=doc_project.participation_steps.get(key="mandate-consultation"), by=doc_project.owner
    )
    sign(step, doc_project.safety_rep, "objection", "Rammen er for lav til støyskjerming.")
    workproduct_save(work_product=wp, by=doc_project.owner, data={"frame_amount": 3_200_000})
    milestone = Milestone.objects.get(name="Innflytting")
    workproduct_row_save(
        work_product=wp, section="milestones", by=doc_project.owner, row=milestone,
        data={"date": datetime.date(2027, 11, 1)},
    )  # fmt: skip
    participation.step_send(step=step, by=doc_project.owner)

    client.force_login(doc_project.safety_rep)
    response = client.get(reverse("participation:step", args=[doc_project.pk, step.pk]))
    changes = response.context["changes"]
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Økonomisk ramme (NOK)", "2\u00a0500\u00a0000\u00a0kr", "3\u00a0200\u00a0000\u00a0kr"),
        ("Milepæl «Innflytting» · dato", "1. oktober 2027", "1. november 2027"),
    ]
    page = response.content.decode()
    assert "Hva er endret siden du tok stilling til versjon" in page
    assert "3\u00a0200\u00a0000\u00a0kr" in page
    # The owner, who never signed, sees no difference.
    client.force_login(doc_project.owner)
    assert client.get(reverse("participation:step", args=[doc_project.pk, step.pk])).context["previous"] is None


def test_the_step_page_shows_the_document_itself(client, doc_project):
    fill_mandate(doc_project)
    step = doc_project.participation_steps.get(key="mandate-consultation")
    participation.step_send(step=step, by=doc_project.owner)
    client.force_login(doc_project.union_rep)
    page = client.get(reverse("participation:step", args=[doc_project.pk, step.pk])).content.decode()
    assert "Direktør og to enhetsledere." in page and "Valg av lokaler" in page
