"""Big documents (issue 30): the final documentation of a rich project against a one-page PDF, in the same run.

The rich project is made once (kept databases reuse it): started from the Bergen process through the services,
its goals, mandate (20 milestones) and risk assessment (40 hazards) written, a sent step with an objection, the
move-in recorded, and then the rows a long project gathers written in bulk (criteria at every phase gate, 40 HMS
measures, 20 change requests, goal and criterion results, before/after figures, the evaluation's texts). Its final
documentation runs to some 15 pages. The mandate against the same one-page PDF is `benchmarks.mandate_pdf`.
"""

import datetime
from decimal import Decimal

from benchmarks import register

CASE = "2027/9900"
FILE_BUDGET_MS = 2000  # issue 30: the final documentation of a rich project under 2 s


def rich_project():
    from django.utils import timezone

    from evaluation import services as evaluation
    from evaluation.models import ChangeRequest, Evaluation, EvaluationResult, Figure, Measure
    from participation import services as participation
    from phases.models import Criterion, CriterionAssessment, CriterionStatus
    from phases.services import process_start, template_load_file
    from projects.models import Membership, Project, Role, User
    from workproducts import services as work_products

    found = Project.objects.filter(case_number=CASE).first()
    if found is not None:
        return found
    template = template_load_file(path="phases/process_templates/bergen_abw.toml")[0]
    owner = User.objects.create_user("rik-eier@bench.kommune.no", full_name="Rita Rik")
    rep = User.objects.create_user("rik-verne@bench.kommune.no", full_name="Vera Verne")
    start = timezone.localdate() - datetime.timedelta(days=700)
    project = Project.objects.create(
        name="Samlokalisering av helse og omsorg", case_number=CASE, created_by=owner, start_date=start,
        planned_move_in=start + datetime.timedelta(days=420), headcount=140, address="Kaigaten 4, 5015 Bergen",
        description="Fire enheter samles i tre etasjer med aktivitetsbaserte soner. " * 3,
    )  # fmt: skip
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    Membership.objects.create(project=project, user=rep, role=Role.SAFETY_REP)
    process_start(project=project, template=template, by=owner)

    goals = work_products.workproduct_start(project=project, kind="goals", by=owner)
    work_products.workproduct_save(
        work_product=goals, by=owner,
        data={"vision": "Et samlet fagmiljø i lokaler som støtter arbeidet. " * 4,
              "overall_goals": "Bedre samhandling mellom enhetene.\nFærre kvadratmeter per ansatt.\n" * 5},
    )  # fmt: skip
    mandate = work_products.workproduct_start(project=project, kind="mandate", by=owner)
    work_products.workproduct_save(
        work_product=mandate, by=owner,
        data={"background": "Enhetene samles i nye lokaler. " * 20, "scope": "Tre etasjer. " * 10,
              "frame_amount": 12_500_000, "frame_covers": "Ombygging, møbler og flytting",
              "delivery_requirements": "Klart til innflytting. " * 10, "quality_requirements": "Universell utforming.",
              "roles_text": "EBE leder byggeprosjektet.", "steering_group": "Direktør og enhetsledere.",
              "working_groups": "Arbeidsgrupper for soner, IKT og flytting."},
    )  # fmt: skip
    for n in range(20):
        work_products.workproduct_row_save(
            work_product=mandate, section="milestones", by=owner,
            data={"name": f"Milepæl {n + 1}: {['forprosjekt', 'anbud', 'bygging', 'flytting'][n % 4]}",
                  "date": start + datetime.timedelta(days=21 * (n + 1))},
        )  # fmt: skip
    risk = work_products.workproduct_start(project=project, kind="risk_assessment", by=owner)
    for n in range(40):
        work_products.workproduct_row_save(
            work_product=risk, section="hazards", by=owner,
            data={"description": f"Fare {n + 1}: støy og avbrytelser i åpent landskap", "exposed": "Alle ansatte",
                  "likelihood": 1 + n % 5, "consequence": 1 + (n * 2) % 5, "new_measures": "Stillerom og regler"},
        )  # fmt: skip
    work_products.workproduct_set_state(work_product=mandate, by=owner, state="consultation")
    step = project.participation_steps.filter(key="mandate-consultation").first()
    if step is not None:
        step = participation.step_send(step=step, by=owner)
        participation.signoff_record(step=step, by=rep, decision="objection", text="Rammen er for lav. " * 5)

    evaluation.movein_record(
        early_confirmed=True, project=project, by=owner, move_in=start + datetime.timedelta(days=440)
    )
    ev = Evaluation.objects.get(project=project)
    Evaluation.objects.filter(pk=ev.pk).update(
        scope="Evaluere om arbeidsplassløsningen fungerer etter målene. " * 3,
        summary="De fleste er fornøyde; støy og stillerom må følges opp. " * 8,
        follow_up_plan="Tiltakene følges opp i AMU hvert kvartal. " * 6,
        lessons_learned="Involver verneombudet tidlig. Sett av tid til prøveopphold. " * 12,
    )
    phases = list(project.phases.order_by("order"))
    CriterionAssessment.objects.bulk_create(
        [
            CriterionAssessment(phase=phase, criterion=c, status=CriterionStatus.values[(i + j) % 3],
                                comment="Følges opp i neste fase." if (i + j) % 3 else "", assessed_by=owner)
            for i, phase in enumerate(phases) for j, c in enumerate(Criterion.values)
        ]
    )  # fmt: skip
    Measure.objects.bulk_create(
        [
            Measure(project=project, number=n + 1, focus_area=["Støy", "Lys", "Inneklima", "Samarbeid"][n % 4],
                    goal="Bedre arbeidsmiljø i sonene", activity="Tiltak avtalt med verneombudet og enhetsleder",
                    due_date=start + datetime.timedelta(days=500 + 7 * n), responsible="Enhetsleder",
                    status=Measure.Status.values[n % len(Measure.Status.values)], source=Measure.Source.EVALUATION,
                    created_by=owner, sensitive=n % 10 == 9)
            for n in range(40)
        ]
    )  # fmt: skip
    ChangeRequest.objects.bulk_create(
        [
            ChangeRequest(project=project, what=f"Endring {n + 1}: flytte skillevegg i sone {n % 5 + 1}",
                          why="Sonen er for trang for møtene som holdes der.",
                          category=ChangeRequest.Category.values[n % len(ChangeRequest.Category.values)],
                          requested_by="Enhetsleder", requested_on=ev.move_in + datetime.timedelta(days=10 + n),
                          status=ChangeRequest.Status.values[0], logged_by=owner)
            for n in range(20)
        ]
    )  # fmt: skip
    EvaluationResult.objects.bulk_create(
        [EvaluationResult(evaluation=ev, kind=EvaluationResult.Kind.GOAL, subject=f"Prosjektmål {n + 1}",
                          score=1 + n % 5, text="Delvis nådd; se tiltakene. " * 3) for n in range(8)]
        + [EvaluationResult(evaluation=ev, kind=EvaluationResult.Kind.CRITERION, criterion=c, score=3,
                            text="Godt ivaretatt i prosessen.") for c in Criterion.values]
    )  # fmt: skip
    Figure.objects.bulk_create(
        [
            Figure(evaluation=ev, kind=Figure.Kind.values[n % len(Figure.Kind.values)], label=f"Måling {n + 1}",
                   before=Decimal("7.5") + n, after=Decimal("6.25") + n, entered_by=owner)
            for n in range(12)
        ]
    )  # fmt: skip
    return project


def _final_documentation(project):
    from evaluation.pdf import render_final_documentation
    from projects.models import GeneratedDocument, Role

    owner = project.memberships.filter(role=Role.OWNER).first().user
    document = GeneratedDocument(project=project, kind="final-documentation", version=1, requested_by=owner)
    return lambda: render_final_documentation(document)


@register("Final documentation of a rich project against a one-page PDF", order=61)
def final_documentation_pdf(ctx):
    from benchmarks import Measurement
    from benchmarks.mandate_pdf import _interleaved, _one_page

    render = _final_documentation(rich_project())
    pages = render().pages
    wall, cpu = _interleaved(_one_page, render, n=max(5, ctx.requests // 3))
    final = Measurement(f"final documentation PDF ({pages} pages)", wall[1], budget_ms=FILE_BUDGET_MS)
    one = Measurement("one-page WeasyPrint PDF (again, beside it)", wall[0])
    import statistics

    print(
        f"    final documentation / one-page PDF: {final.median / one.median:.1f}× wall-clock, "
        f"{statistics.median(cpu[1]) / statistics.median(cpu[0]):.1f}× CPU "
        f"({statistics.median(cpu[1]):.0f} ms against {statistics.median(cpu[0]):.0f} ms)",
        flush=True,
    )
    return [one, final]
