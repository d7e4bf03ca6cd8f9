"""Residual risk (issue 28 point 7): each hazard's likelihood and consequence once its measures are in place, in the
project's matrix as before → after, in the PDF (read back), in the coordinators' portfolio matrix and in the
content a participation step signs, only when it is set (a document nobody changed keeps its signed content)."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from projects.services import document_request
from tests.factories import coordinator
from workproducts import selectors
from workproducts.models import Hazard
from workproducts.services import workproduct_row_save, workproduct_start

pytestmark = pytest.mark.django_db


def hazard(wp, by, description, lk, c, residual=(None, None), row=None):
    data = {"description": description, "exposed": "Alle ansatte", "likelihood": lk, "consequence": c,
            "status": "open", "residual_likelihood": residual[0], "residual_consequence": residual[1]}  # fmt: skip
    return workproduct_row_save(work_product=wp, section="hazards", by=by, data=data, row=row)


@pytest.fixture
def risk(doc_project):
    wp = workproduct_start(project=doc_project, kind="risk_assessment", by=doc_project.owner)
    hazard(wp, doc_project.owner, "Støy i åpent landskap", 4, 5, residual=(2, 2))
    hazard(wp, doc_project.owner, "For få stillerom", 3, 3)
    return wp


def cells(matrix):
    return {(c.likelihood, c.consequence): (c.count, c.after) for _, row in matrix for c in row if c.count or c.after}


def test_matrix_on_the_risk_assessment_page_reads_before_to_after(client, doc_project, risk):
    client.force_login(doc_project.safety_rep)
    response = client.get(reverse("workproducts:detail", args=[doc_project.pk, "risk_assessment"]))
    assert response.context["residual"] is True
    assert cells(response.context["matrix"]) == {(4, 5): (1, 0), (2, 2): (0, 1), (3, 3): (1, 1)}
    page = " ".join(response.content.decode().split())
    assert "→ 0" in page and "→ 1" in page
    assert "1 hazard before the measures, 0 after, likelihood 4, consequence 5" in page or (
        "1 fare før tiltakene, 0 etter, sannsynlighet 4, konsekvens 5" in page
    )
    # the hazard's score column says it too: 20 high → 4 low
    assert re.search(r"20 \w+</span> <span aria-hidden=\"true\">→</span>.*4 \w+</span>", page)


def test_without_any_residual_risk_the_matrix_is_as_before(client, doc_project):
    wp = workproduct_start(project=doc_project, kind="risk_assessment", by=doc_project.owner)
    hazard(wp, doc_project.owner, "Støy", 4, 5)
    client.force_login(doc_project.owner)
    response = client.get(reverse("workproducts:detail", args=[doc_project.pk, "risk_assessment"]))
    assert response.context["residual"] is False
    matrix = response.content.decode().split('id="matrix-heading"')[1].split("</section>")[0]
    assert "→ 0" not in matrix and "→ 1" not in matrix


@pytest.mark.parametrize("residual", [(2, None), (None, 3)])
def test_both_or_neither_residual_value(doc_project, residual):
    wp = workproduct_start(project=doc_project, kind="risk_assessment", by=doc_project.owner)
    with pytest.raises(ValidationError) as exc:
        hazard(wp, doc_project.owner, "Støy", 4, 5, residual=residual)
    assert {"residual_likelihood", "residual_consequence"} & set(exc.value.message_dict)
    assert not Hazard.objects.exists()


def test_residual_out_of_scale_is_refused(doc_project):
    wp = workproduct_start(project=doc_project, kind="risk_assessment", by=doc_project.owner)
    with pytest.raises(ValidationError) as exc:
        hazard(wp, doc_project.owner, "Støy", 4, 5, residual=(6, 1))
    assert "residual_likelihood" in exc.value.message_dict


def test_the_form_keeps_the_input_and_names_the_missing_field(client, doc_project):
    wp = workproduct_start(project=doc_project, kind="risk_assessment", by=doc_project.owner)
    client.force_login(doc_project.owner)
    url = reverse("workproducts:row_add", args=[doc_project.pk, "risk_assessment", "hazards"])
    response = client.post(url, {"description": "Støy", "exposed": "Alle", "likelihood": 4, "consequence": 5,
                                 "residual_likelihood": 2, "status": "open"})  # fmt: skip
    assert response.status_code == 400
    assert "residual_consequence" in response.context["form"].errors
    assert 'value="2"' in response.content.decode()
    assert not Hazard.objects.filter(work_product=wp).exists()


def test_pdf_prints_the_residual_risk(doc_project, risk):
    with TestCase.captureOnCommitCallbacks(execute=True):
        doc = document_request(project=doc_project, kind="risk_assessment", by=doc_project.owner)
    doc.refresh_from_db()
    with doc.file.open("rb") as f:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages).split())
    assert "Score (før → etter tiltak)" in text
    assert "20 høy → 4 lav" in text
    assert "1 → 0" in text and "0 → 1" in text  # the matrix's cells


def test_portfolio_matrix_shows_before_to_after(client, doc_project, risk):
    client.force_login(coordinator())
    response = client.get(reverse("dashboard:risks"))
    matrix = response.context["matrix"]
    assert matrix["residual"] is True
    got = {(c["likelihood"], c["consequence"]): (c["count"], c["after"]) for _, row in matrix["rows"] for c in row}
    assert got[(4, 5)] == (1, 0) and got[(2, 2)] == (0, 1) and got[(3, 3)] == (1, 1)
    response = client.get(reverse("dashboard:risks") + "?cell=4-5")
    page = " ".join(response.content.decode().split())
    assert "20 → 4" in page


def test_signed_content_holds_the_residual_risk_only_where_set(doc_project, risk):
    content = selectors.workproduct_content(risk)
    keys = {k.rsplit(".", 1)[-1]: (label, value) for k, label, value in content["fields"] if k.startswith("hazards.")}
    noisy = Hazard.objects.get(description__startswith="Støy")
    quiet = Hazard.objects.get(description__startswith="For få")
    fields = {k: v for k, _label, v in content["fields"]}
    assert fields[f"hazards.{noisy.pk}.residual_likelihood"] == "2"
    assert fields[f"hazards.{noisy.pk}.residual_consequence"] == "2"
    assert f"hazards.{quiet.pk}.residual_likelihood" not in fields  # unchanged rows keep the content they had
    assert "sannsynlighet etter tiltakene (1–5)" in keys["residual_likelihood"][0]


def test_the_risk_steps_content_carries_the_residual_risk_once_set(doc_project, risk):
    """The sent version keeps what it was; the draft (what the owner sends next) carries the residual values."""
    from participation import services as participation

    step = doc_project.participation_steps.get(key="risk-assessment-signoff")
    quiet = Hazard.objects.get(description__startswith="For få")
    key = f"hazards.{quiet.pk}.residual_likelihood"
    step = participation.step_send(step=step, by=doc_project.owner)
    assert key not in step.content
    hazard(risk, doc_project.owner, quiet.description, 3, 3, residual=(1, 3), row=quiet)
    step = type(step).objects.get(pk=step.pk)  # a step object reads its document once
    assert key in participation.step_content(step)
    assert key not in step.content  # the version sent for sign-off never changes
