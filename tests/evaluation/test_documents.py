import hashlib
import io

from django.urls import reverse
from pypdf import PdfReader

from evaluation import services
from projects.models import Document
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
    doc = Document.objects.get(project=project, kind="final-documentation")
    document_render(document_id=doc.pk)
    doc.refresh_from_db()
    text = _pdf_text(client, project, doc)
    assert "Sluttdokumentasjon" in text
    assert "Nytt møterom" in text
    assert "Oppfølging i AMU" in text
    assert "Hemmelig konflikt" not in text
    assert doc.sha256 == hashlib.sha256(doc.file.open("rb").read()).hexdigest()


def test_a_viewer_reads_but_cannot_generate(client, moved_in, project, owner, today):
    client.force_login(project.viewer)
    url = reverse("projects:document_request", args=[project.pk, "final-documentation"])
    tab = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    assert url not in tab
    client.post(url)
    assert not Document.objects.filter(project=project).exists()
