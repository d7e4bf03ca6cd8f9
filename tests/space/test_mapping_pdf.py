"""The one PDF of the mapping and the area programme (heatmap, chart and tables), the area programme in the
final documentation, and the mapping's content in a participation step."""

import io

import pytest
from django.test import TestCase
from pypdf import PdfReader

from projects.services import document_request
from space.models import Proximity
from tests.space.test_mapping import area_programme, small_study

pytestmark = pytest.mark.django_db


def pdf_text(doc):
    with doc.file.open("rb") as f:
        data = f.read()
    reader = PdfReader(io.BytesIO(data))
    return data, " ".join(" ".join(page.extract_text() for page in reader.pages).replace("\xa0", " ").split())


def test_the_pdf_holds_heatmap_chart_tables_and_the_norm_warning(doc_project, tmp_path):
    wp, _study, _zones, (a, b) = small_study(doc_project)
    Proximity.objects.create(work_product=wp, unit_a=a, unit_b=b, need=3)
    area_programme(doc_project, employees=7)  # 30.3 m² per employee, over the 28 of a rebuild
    with TestCase.captureOnCommitCallbacks(execute=True):
        doc = document_request(project=doc_project, kind="mapping", by=doc_project.owner)
    doc.refresh_from_db()
    assert doc.status == "done", doc.error if hasattr(doc, "error") else doc.status
    data, text = pdf_text(doc)
    assert data.startswith(b"%PDF")
    assert "Nærhetsmatrise" in text and "Økonomi" in text and "Innkjøp" in text
    assert "MappingUnit" not in text  # the header names the organisation, not the mapping's units
    assert "Tilstedeværelsesregistrering: Før flytting" in text
    assert "67 % 87 % 67 % 13 15 (buffer 10 %)" in text  # average, peak, modal, most present, needed
    assert "08:00 2 57 % 67 %" in text  # the chart's table: hour, rounds, average, peak
    assert "Arealprogram" in text and "Advarsel: 30.3 m² per ansatt er over normen på 28.0 m²" in text.replace(",", ".")
    assert "Netto i alt 163.0" in text.replace(",", ".")
    (tmp_path / "kartlegging.pdf").write_bytes(data)


def test_the_area_programme_enters_the_final_documentation(doc_project):
    from django.template.loader import render_to_string

    from evaluation.final_sections import area_programme_section

    assert area_programme_section(doc_project)["wp"] is None  # the process has the activity; not started yet
    area_programme(doc_project, employees=7)
    section = area_programme_section(doc_project)
    assert section["order"] > 30 and section["area"]["check"].over_norm
    html = render_to_string(section["template"], {"section": section})
    assert "Arealprogram" in html and "mer enn normen på 28,0 m²" in html and "163,0" in html


def test_a_participation_step_signs_the_mapping_with_its_studies(doc_project):
    from workproducts.selectors import content_for_activity

    wp, study, _zones, _units = small_study(doc_project)
    content = content_for_activity(wp.activity_id)
    keys = [k for k, _label, _value in content["fields"]]
    assert content["kind"] == "mapping" and f"study.{study.pk}" in keys
    assert any(k.startswith("units.") for k in keys)


def _figures(reader):
    """The Figure elements of a tagged PDF's structure tree, with their alternative text."""
    found, seen = [], set()

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_chart_has_alternative_text_in_the_tagged_pdf(doc_project):
    """PDF/A-2a is tagged: the occupancy chart is a Figure whose alternative text says what it shows, hour by hour
    (issue 24 point 7)."""
    small_study(doc_project)
    with TestCase.captureOnCommitCallbacks(execute=True):
        doc = document_request(project=doc_project, kind="mapping", by=doc_project.owner)
    doc.refresh_from_db()
    with doc.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    figures = _figures(reader)
    assert figures, "no Figure in the structure tree"
    assert all(figures), f"a figure without alternative text: {figures}"
    chart = next(alt for alt in figures if alt.startswith("Søylediagram"))
    assert "Før flytting" in chart and "kl. 08 gjennomsnitt 57 %, topp 67 %" in chart
