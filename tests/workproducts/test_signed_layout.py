"""Issue 24 point 3: what a representative signs reads like the document. The step page shows the sent risk
assessment as its table and its matrix (not a list of "Fare «…» · sannsynlighet" lines), the way to the decision is
at the top of the page, and a new version shows what changed in the same table, each row marked in words."""

import re

import pytest
from django.urls import reverse

from participation import snapshot
from participation.models import Step
from participation.services import signoff_record, step_send
from workproducts.models import Hazard
from workproducts.services import workproduct_row_delete, workproduct_row_save, workproduct_start

pytestmark = pytest.mark.django_db

HAZARDS = [  # description, exposed, likelihood, consequence, new measures
    ("Støy i landskapet", "Saksbehandlere", 4, 3, "Stillerom"),
    ("Trange garderober", "Alle ansatte", 2, 2, "Flere skap"),
    ("Dårlig inneklima", "Alle ansatte", 3, 4, "Måle CO₂"),
]


@pytest.fixture
def risk_step(doc_project):
    wp = workproduct_start(project=doc_project, kind="risk_assessment", by=doc_project.owner)
    for description, exposed, likelihood, consequence, measures in HAZARDS:
        workproduct_row_save(
            work_product=wp, section="hazards", by=doc_project.owner,
            data={"description": description, "exposed": exposed, "likelihood": likelihood,
                  "consequence": consequence, "new_measures": measures, "existing_measures": "Ingen i dag",
                  "status": "open"},
        )  # fmt: skip
    noise = Hazard.objects.get(work_product=wp, description="Støy i landskapet")
    workproduct_row_save(
        work_product=wp, section="hazards", by=doc_project.owner, row=noise,
        data={"residual_likelihood": 2, "residual_consequence": 2},
    )  # fmt: skip
    step = Step.objects.get(project=doc_project, key="risk-assessment-signoff")
    return step_send(step=step, by=doc_project.owner), wp


def page(client, project, step, user):
    client.force_login(user)
    response = client.get(reverse("participation:step", args=[project.pk, step.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_safety_rep_reads_the_hazards_as_the_documents_table_and_matrix(client, doc_project, risk_step):
    step, _wp = risk_step
    html = page(client, doc_project, step, doc_project.safety_rep)
    assert "Fare «Støy i landskapet» · sannsynlighet" not in html  # no longer a list of fields
    assert re.search(r'<th scope="col">Sannsynlighet \(1–5\)</th>\s*<th scope="col">Konsekvens \(1–5\)</th>', html)
    assert '<th scope="col">Risikoverdi</th>' in html
    row = re.search(r'<th scope="row" class="fw-normal">Støy i landskapet.*?</tr>', html, re.S).group(0)
    assert "Saksbehandlere" in row and "Stillerom" in row and "12 Høy" in row
    assert "Eksisterende tiltak:</span> Ingen i dag" in row  # signed, though not a column of the table
    assert "Risikomatrise" in html and "Matrisen som liste" in html
    assert "?l=4&amp;c=3" not in html  # the signed matrix is not a filter of the document page
    assert '<span class="fs-6" aria-hidden="true"> → 1</span>' in html  # the residual risk, as signed
    # The decision is one tap away at the top, before the content.
    jump = html.index('href="#sign-heading"')
    assert jump < html.index("Risikomatrise") < html.index('id="sign-heading"')
    assert snapshot.wide(snapshot.display(step.content, project=doc_project, reader=doc_project.safety_rep))


def test_a_new_version_shows_added_removed_and_changed_rows_marked_in_words(client, doc_project, risk_step):
    step, wp = risk_step
    rep = doc_project.safety_rep
    signoff_record(step=step, by=rep, decision="approved", content_hash=step.content_hash)
    noise, lockers, air = Hazard.objects.filter(work_product=wp).order_by("pk")
    workproduct_row_save(work_product=wp, section="hazards", by=doc_project.owner, data={"likelihood": 5}, row=noise)
    workproduct_row_delete(row=lockers, by=doc_project.owner)
    workproduct_row_save(
        work_product=wp, section="hazards", by=doc_project.owner,
        data={"description": "Lite dagslys", "exposed": "Arkivet", "likelihood": 2, "consequence": 3, "status": "open"},
    )  # fmt: skip
    step.refresh_from_db()
    step = step_send(step=step, by=doc_project.owner)

    html = page(client, doc_project, step, rep)
    changes = html[html.index('id="changes-heading"') : html.index('id="content-heading"')]
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr class="diff-(\w+)">.*?</tr>', changes, re.S)}
    assert set(rows) == {"added", "removed", "changed"}
    assert "Rad endret" in rows["changed"] and "Støy i landskapet" in rows["changed"]
    assert re.search(r"<del><span class=\"visually-hidden\">Før: </span>4</del> <ins><span class=\"visually-"
                     r"hidden\">Nå: </span>5</ins>", rows["changed"])  # fmt: skip
    assert "Ny rad" in rows["added"] and "Lite dagslys" in rows["added"]
    assert "Rad fjernet" in rows["removed"] and "<del>Trange garderober</del>" in rows["removed"]
    assert "Dårlig inneklima" not in changes and "1 rad til er uendret." in changes


def test_the_difference_keeps_its_field_list_for_the_summary(doc_project, risk_step):
    step, _wp = risk_step
    first = step.content
    from participation.services import step_update

    step = step_send(step=step_update(step=step, by=doc_project.owner, summary="Ny runde", meetings=[]),
                     by=doc_project.owner)  # fmt: skip
    diff = snapshot.compare(first, step.content, project=doc_project, reader=doc_project.safety_rep)
    assert [(c.label, c.before, c.after) for c in diff["text"]] == [("Sammendrag", "", "Ny runde")]
    assert diff["tables"] == []


def test_a_block_another_app_adds_to_one_step_is_signed_shown_and_compared(client, doc_project, risk_step):
    """Hook `step_block` (a comment round's summary, say): part of this one step's signed content, shown on its
    page below the document, and its changes named in the list of changed fields."""
    from participation.services import step_content
    from projects import extensions

    step, _wp = risk_step
    before = step.content
    words = {"summary": "Garderobene var tema i 14 innspill."}

    def block(s):
        if s.pk != step.pk:
            return None
        fields = [["summary", "Oppsummering", words["summary"]], ["answers", "Antall svar", "37"]]
        return {"key": "round.1", "title": "Høringsrunde: Garderober", "fields": fields}

    other = Step.objects.filter(project=doc_project).exclude(pk=step.pk).first()
    with extensions.registered("step_block", block):
        assert "blocks" not in step_content(other)  # every other step keeps its content and its SHA-256
        step.refresh_from_db()
        step = step_send(step=step, by=doc_project.owner)
        assert "Garderobene var tema i 14 innspill." in step.content
        html = page(client, doc_project, step, doc_project.safety_rep)
        assert "Høringsrunde: Garderober" in html and "<dt>Oppsummering</dt>" in html
        words["summary"] = "Garderobene var tema i 15 innspill."
        step.refresh_from_db()
        second = step_send(step=step, by=doc_project.owner)
    changes = snapshot.changes(before, second.content, project=doc_project, reader=doc_project.safety_rep)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Høringsrunde: Garderober · Oppsummering", None, "Garderobene var tema i 15 innspill."),
        ("Høringsrunde: Garderober · Antall svar", None, "37"),
    ]
