import hashlib
import io

from django.urls import reverse
from pypdf import PdfReader

from evaluation import services
from projects.models import GeneratedDocument
from projects.services import document_render
from tests.evaluation.test_freeze import complete


def _pdf_text(client, project, doc):
    response = client.get(reverse("projects:document", args=[project.pk, doc.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(p.extract_text() for p in reader.pages)


def test_owner_generates_the_final_documentation_from_the_evaluation_tab(client, moved_in, project, owner, today):
    services.measure_create(
        project=project, by=owner, focus_area="Hemmelig konflikt", goal="Ro", activity="Samtaler",
        responsible="Kari", source="evaluation", sensitive=True,
    )  # fmt: skip
    services.change_request_log(
        project=project, by=owner, what="Nytt møterom", why="For lite plass", category="adjustment", requested_by="Ola"
    )
    services.evaluation_follow_up_save(evaluation=moved_in, by=owner, lessons_learned="Test teknologien tidlig.")
    complete(moved_in, owner)
    client.force_login(owner)
    tab = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    assert reverse("projects:document_request", args=[project.pk, "final-documentation"]) in tab
    response = client.post(reverse("projects:document_request", args=[project.pk, "final-documentation"]))
    assert response.status_code == 302
    doc = GeneratedDocument.objects.get(project=project, kind="final-documentation")
    document_render(document_id=doc.pk)
    doc.refresh_from_db()
    text = _pdf_text(client, project, doc)
    assert "Sluttdokumentasjon" in text
    assert "Nytt møterom" in text
    assert "Oppfølging i AMU" in text
    assert "Hemmelig konflikt" not in text
    assert doc.sha256 == hashlib.sha256(doc.file.open("rb").read()).hexdigest()
    assert PdfReader(doc.file.open("rb")).metadata.author == owner.full_name  # not "Prosessguiden"


def test_a_viewer_reads_but_cannot_generate(client, moved_in, project, owner, today):
    client.force_login(project.viewer)
    url = reverse("projects:document_request", args=[project.pk, "final-documentation"])
    tab = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    assert url not in tab
    client.post(url)
    assert not GeneratedDocument.objects.filter(project=project).exists()


def test_final_documentation_holds_the_goals_and_the_mandate_of_the_case_file(
    client, project, owner, bergen_template, today
):
    import datetime

    from phases.services import process_start
    from workproducts import services as documents

    process_start(project=project, template=bergen_template, by=owner)
    goals = documents.workproduct_start(project=project, kind="goals", by=owner)
    documents.workproduct_save(work_product=goals, by=owner, data={"vision": "Et kontor der vi deler kunnskap."})
    documents.workproduct_row_save(
        work_product=goals, section="criteria", by=owner,
        data={"criterion": "Ansatte finner en egnet arbeidsplass", "measure": "Spørreundersøkelse",
              "target": "Minst 80 prosent"},
    )  # fmt: skip
    mandate = documents.workproduct_start(project=project, kind="mandate", by=owner)
    documents.workproduct_save(
        work_product=mandate, by=owner,
        data={"frame_amount": 2_500_000, "frame_covers": "Ombygging, møbler og flytting",
              "steering_group": "Direktør og enhetsleder"},
    )  # fmt: skip
    milestones = [("Mandat vedtatt", datetime.date(2026, 3, 1)), ("Innflytting", datetime.date(2026, 8, 31))]
    for name, day in milestones:
        documents.workproduct_row_save(
            work_product=mandate, section="milestones", by=owner, data={"name": name, "date": day}
        )
    services.movein_record(early_confirmed=True, project=project, by=owner, move_in=datetime.date(2026, 8, 31))
    doc = GeneratedDocument.objects.create(project=project, kind="final-documentation", version=1, requested_by=owner)
    document_render(document_id=doc.pk)
    client.force_login(owner)
    text = " ".join(_pdf_text(client, project, GeneratedDocument.objects.get(pk=doc.pk)).replace("\xa0", " ").split())
    assert "2 500 000 kr" in text
    assert "Ombygging, møbler og flytting" in text and "Direktør og enhetsleder" in text
    assert "Mandat vedtatt 1. mars 2026" in text and "Innflytting 31. august 2026" in text
    assert "Et kontor der vi deler kunnskap." in text and "Ansatte finner en egnet arbeidsplass" in text
    # The goals and the mandate come first, as the case file was built, before the participation summary.
    assert text.index("Et kontor der vi deler") < text.index("2 500 000 kr") < text.index("Medvirkning")


def test_final_documentation_prints_the_criteria_at_the_gates_as_a_matrix_and_stays_pdf_a(
    client, moved_in, project, owner, bergen_template, today
):
    """Issue 30: the success criteria at the phase gates are one small matrix (a row per phase, the status in the
    criterion's column) with the comments as lines beneath it; the document is still a tagged PDF/A-2a."""
    from phases.models import Criterion, CriterionAssessment, CriterionStatus
    from phases.services import process_start
    from projects.services import document_request

    process_start(project=project, template=bergen_template, by=owner)
    first, second = project.phases.order_by("order")[:2]
    for phase, status in ((first, CriterionStatus.GREEN), (second, CriterionStatus.RED)):
        for criterion in Criterion.values:
            CriterionAssessment.objects.create(phase=phase, criterion=criterion, status=status, assessed_by=owner)
    CriterionAssessment.objects.filter(phase=second, criterion=Criterion.FINANCES).update(comment="Rammen sprekker.")
    doc = document_request(project=project, kind="final-documentation", by=owner)
    document_render(document_id=doc.pk)
    doc.refresh_from_db()
    client.force_login(owner)
    text = _pdf_text(client, project, doc)
    assert "Suksesskriterier ved faseovergangene" in text
    assert text.count("I rute") >= 5 and text.count("I fare") >= 5
    assert f"{second.name}, økonomien er på plass: Rammen sprekker." in text
    reader = PdfReader(doc.file.open("rb"))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nb" and root["/MarkInfo"]["/Marked"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp and b"2" in xmp.split(b"pdfaid:part")[1][:8]
