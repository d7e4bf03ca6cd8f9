"""The HMS action plan (issue 28 point 4): goals for the whole plan with a target and the measured value ("sick leave
under 5,4 %"), *Når* as a date or a period in words, and the *Rapportering* column in every PDF that prints the plan
(the evaluation report and the final documentation), with deviation figures beside it."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from pypdf import PdfReader

from evaluation import figures, services
from evaluation.figures import FigureRow
from evaluation.models import Figure, Measure, PlanGoal
from projects.models import GeneratedDocument
from projects.services import document_render


def _pdf_text(client, project, doc):
    response = client.get(reverse("projects:document", args=[project.pk, doc.pk]))
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_owner_adds_a_plan_goal_with_a_comma_decimal_shown_with_a_comma(client, project, owner, moved_in, today):
    client.force_login(owner)
    tab = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    url = reverse("evaluation:plan_goal_create", args=[project.pk])
    assert url in tab
    data = {"description": "Sykefravær", "direction": "under", "target": "5,4", "unit": "%", "measured": "6,1"}
    response = client.post(url, data)
    assert response.status_code == 400  # a measured value needs its period
    assert "measured_when" in response.context["form"].errors
    assert 'value="5,4"' in response.content.decode()
    response = client.post(url, {**data, "measured_when": "2027"})
    assert response.status_code == 302
    goal = PlanGoal.objects.get()
    assert (goal.target, goal.measured, goal.reached) == (Decimal("5.4"), Decimal("6.1"), False)
    page = " ".join(client.get(reverse("evaluation:overview", args=[project.pk])).content.decode().split())
    assert "Sykefravær: under 5,4 %, målt 6,1 % (2027) – ikke nådd" in page


def test_a_plan_goal_is_only_for_the_owner_or_manager(client, project, moved_in, today):
    client.force_login(project.safety_rep)
    assert client.get(reverse("evaluation:plan_goal_create", args=[project.pk])).status_code == 403


def test_when_in_words_without_a_date_is_never_overdue(client, project, owner, moved_in, today):
    client.force_login(owner)
    response = client.post(
        reverse("evaluation:measure_create", args=[project.pk]),
        {"focus_area": "Oppfølging", "goal": "Alle ledere kan regelverket", "activity": "Statusmøter",
         "when_text": "høsten 2027 – løpende", "responsible": "Personalrådgiver", "reporting": "Partssammensatt møte",
         "status": "planned", "source": "evaluation"},
    )  # fmt: skip
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.due_date is None and not measure.is_overdue(datetime.date(2030, 1, 1))
    page = client.get(reverse("evaluation:overview", args=[project.pk])).content.decode()
    assert "høsten 2027 – løpende" in page
    measure.due_date = datetime.date(2027, 9, 1)
    assert measure.when_display == "høsten 2027 – løpende (01.09.2027)"


def test_evaluation_report_and_final_documentation_print_rapportering_goals_and_deviations(
    client, project, owner, hr, moved_in, today
):
    services.measure_create(
        project=project, by=owner, focus_area="Sykefravær", goal="Under 5,4 %", activity="Oppstartsmøter",
        when_text="hausten 2027", responsible="Personalrådgiver", reporting="Partssamansett møte i januar",
        source="evaluation",
    )  # fmt: skip
    services.plan_goal_save(
        project=project, by=owner, description="Sykefravær", direction="under", target=Decimal("5.4"), unit="%",
        measured=Decimal("5.1"), measured_when="2027",
    )  # fmt: skip
    figures.figures_replace(
        evaluation=moved_in, by=hr, source=Figure.Source.DEVIATION_IMPORT,
        rows=[FigureRow(Figure.Kind.DEVIATIONS, "HMS-avvik", Decimal(41), Decimal(23), unit="stk.", group="Byggesak",
                        period_before="2026", period_after="2028")],
    )  # fmt: skip
    client.force_login(owner)
    for kind in ("evaluation-report", "final-documentation"):
        client.post(reverse("projects:document_request", args=[project.pk, kind]))
        doc = GeneratedDocument.objects.get(project=project, kind=kind)
        document_render(document_id=doc.pk)
        text = _pdf_text(client, project, doc)
        assert "Rapportering" in text, kind
        assert "Partssamansett møte i januar" in text, kind
        assert "hausten 2027" in text, kind
        assert "Sykefravær: under 5,4 %, målt 5,1 % (2027) – nådd" in text, kind
        assert "HMS-avvik og hendelser (Byggesak): HMS-avvik" in text, kind
        assert "41 stk. (2026)" in text and "23 stk. (2028)" in text, kind
