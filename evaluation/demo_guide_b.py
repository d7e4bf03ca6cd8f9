"""Demo data for issue 28 points 4, 6, 7 and issue 25 point 6 (guide-b), with dates counted from today:

- 2026/1001: Arne Utvalg is the safety representative's deputy for two weeks from the day before yesterday, and the
  risk assessment's first two hazards have their residual risk after the measures;
- 2025/1500 (inside its evaluation window): goals of the HMS action plan with target and measured value, a
  measure whose *Når* is a period in words, HMS deviations and incidents per unit from HR, and a unit's 10-faktor
  results.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from projects.models import Role
from projects.services import deputy_set

from . import figures, services
from .figures import FigureRow
from .models import Figure, Measure


def seed(projects, users):
    today = timezone.localdate()
    first = projects.get("2026/1001")
    if first is not None:
        _deputy(first, users, today)
        _residual_risk(first)
    inside = projects.get("2025/1500")  # inside its evaluation window, not completed (figures lock with it)
    if inside is not None and hasattr(inside, "evaluation"):
        _hms_plan(inside, users)
        _figures(inside, users)


def _deputy(project, users, today):
    rep, deputy = users.get("verneombud@demo.kommune.no"), users.get("amu@demo.kommune.no")
    if rep is None or deputy is None or not project.memberships.filter(user=rep, role=Role.SAFETY_REP).exists():
        return
    deputy_set(
        project=project, principal=rep, role=Role.SAFETY_REP, deputy=deputy,
        starts=today - timedelta(days=2), ends=today + timedelta(days=12), by=rep,
    )  # fmt: skip


def _residual_risk(project):
    from workproducts.models import Hazard
    from workproducts.services import workproduct_row_save

    hazards = list(Hazard.objects.filter(project=project).order_by("pk")[:2])
    for hazard, (lk, c) in zip(hazards, ((2, 2), (2, 3)), strict=False):
        owner = project.memberships.filter(role=Role.OWNER).first().user
        data = {f: getattr(hazard, f) for f in ("description", "exposed", "likelihood", "consequence",
                                                "existing_measures", "new_measures", "responsible", "deadline",
                                                "status")}  # fmt: skip
        workproduct_row_save(
            work_product=hazard.work_product, section="hazards", by=owner, row=hazard,
            data={**data, "residual_likelihood": lk, "residual_consequence": c},
        )  # fmt: skip


def _hms_plan(project, users):
    owner = project.memberships.filter(role=Role.OWNER).first().user
    services.plan_goal_save(
        project=project, by=owner, description="Sykefravær", direction="under", target=Decimal("5.4"), unit="%",
        measured=Decimal("5.9"), measured_when="2026",
    )  # fmt: skip
    services.plan_goal_save(
        project=project, by=owner, description="Medarbeidere som trives i nye lokaler", direction="at_least",
        target=Decimal("80"), unit="%", measured=Decimal("84"), measured_when="2026",
    )  # fmt: skip
    services.measure_create(
        project=project, by=owner, focus_area="Oppfølging og tilrettelegging",
        goal="Alle med personalansvar kjenner reglene for oppfølging av sykmeldte",
        activity="Statusmøter med alle ledere etter malen «Oppstartsmøter», med minikurs",
        when_text="høsten 2027 – løpende", responsible="Personalrådgiver",
        reporting="Partssammensatt møte i januar", source=Measure.Source.EVALUATION,
    )  # fmt: skip


def _figures(project, users):
    hr = users.get("hr@demo.kommune.no")
    evaluation = project.evaluation
    if hr is None:
        return
    if hr is not None:
        rows = [
            FigureRow(Figure.Kind.DEVIATIONS, label, Decimal(before), Decimal(after), unit="stk.", group=unit,
                      period_before="2025", period_after="2026")
            for unit, label, before, after in (
                ("Seksjon for byggesak", "HMS-avvik", 41, 23),
                ("Seksjon for byggesak", "Personskader", 3, 1),
                ("Seksjon for plan", "HMS-avvik", 18, 15),
            )
        ]  # fmt: skip
        figures.figures_replace(evaluation=evaluation, by=hr, source=Figure.Source.DEVIATION_IMPORT, rows=rows)
    rows = [
        FigureRow(Figure.Kind.EMPLOYEE_SURVEY, f"10-faktor: {factor}", Decimal(before), Decimal(after),
                  group="Seksjon for byggesak", period_before="2025", period_after="2026")
        for factor, before, after in (
            ("Mestringsorientert ledelse", "4.1", "4.3"), ("Mestringstro", "4.2", "4.2"),
            ("Fleksibilitetsvilje", "3.8", "4.0"),
        )
    ]  # fmt: skip
    figures.figures_replace(
        evaluation=evaluation, by=hr, source=Figure.Source.SURVEY_IMPORT, batch="10-faktor:seksjon for byggesak",
        rows=rows,
    )  # fmt: skip
