"""The mandate PDF against a one-page WeasyPrint document, in the same run (DESIGN §7: under 2 s, under 10×).

With the shared harness (`benchmarks.register`) it joins `make bench`'s table; alone it runs as
`python -m benchmarks.mandate_pdf` on a throwaway SQLite database and prints its own small table.
"""

import statistics
import time

N = 15
MILESTONES, HAZARDS = 20, 40  # issue 30: "a realistic mandate (20 milestones, 40 hazards)"
ONE_PAGE = "<html lang='nb'><head><title>Én side</title></head><body><h1>Én side</h1><p>Tekst.</p></body></html>"


def _mandate_document(project_id=None):
    """A project with a realistic mandate (MILESTONES milestones; a risk assessment of HAZARDS hazards) and an
    objection, and an unsaved GeneratedDocument to render."""
    import datetime

    from participation import services as participation
    from projects.models import GeneratedDocument, Project, Role
    from workproducts import services

    project = _demo_project() if project_id is None else Project.objects.get(pk=project_id)
    owner = project.memberships.filter(role=Role.OWNER).first().user
    if project.work_products.filter(kind="mandate").exclude(state="draft").exists():
        # A kept database (--keep): an earlier run filled this mandate in and sent it; filling it in again would
        # add milestones and hazards on every run and time a longer document each time.
        return GeneratedDocument(project=project, kind="mandate", version=1, requested_by=owner)
    wp = services.workproduct_start(project=project, kind="mandate", by=owner)
    services.workproduct_save(
        work_product=wp, by=owner,
        data={"background": "Enheten samles i nye lokaler. " * 20, "scope": "Tre etasjer. " * 10,
              "frame_amount": 2_500_000, "frame_covers": "Ombygging, møbler og flytting",
              "delivery_requirements": "Klart til innflytting. " * 10, "quality_requirements": "Universell utforming.",
              "roles_text": "EBE leder byggeprosjektet.", "steering_group": "Direktør og enhetsledere.",
              "working_groups": "Arbeidsgruppe for soner."},
    )  # fmt: skip
    for n in range(MILESTONES):
        services.workproduct_row_save(
            work_product=wp, section="milestones", by=owner,
            data={"name": f"Milepæl {n + 1}", "date": project.start_date + datetime.timedelta(days=30 * (n + 1))},
        )  # fmt: skip
    risk = services.workproduct_start(project=project, kind="risk_assessment", by=owner)
    for n in range(HAZARDS):
        services.workproduct_row_save(
            work_product=risk, section="hazards", by=owner,
            data={"description": f"Fare {n + 1}", "exposed": "Alle ansatte", "likelihood": 1 + n % 5,
                  "consequence": 1 + (n * 2) % 5, "new_measures": "Tiltak"},
        )  # fmt: skip
    services.workproduct_set_state(work_product=wp, by=owner, state="consultation")
    step = project.participation_steps.filter(key="mandate-consultation").first()
    rep = project.memberships.filter(role=Role.SAFETY_REP).first()
    if step is not None and rep is not None:
        step = participation.step_send(step=step, by=owner)
        participation.signoff_record(step=step, by=rep.user, decision="objection", text="Rammen er for lav. " * 5)
    return GeneratedDocument(project=project, kind="mandate", version=1, requested_by=owner)


def _demo_project():
    from phases.services import process_start, template_load_file
    from projects.models import Membership, Project, Role, User

    template = template_load_file(path="phases/process_templates/bergen_abw.toml")[0]
    owner = User.objects.create_user("bench-eier@example.no", full_name="Kari Eier")
    project = Project.objects.create(name="Benchmark-prosjekt", case_number="2027/1", created_by=owner)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    rep = User.objects.create_user("bench-verne@example.no", full_name="Siri Verne")
    Membership.objects.create(project=project, user=rep, role=Role.SAFETY_REP)
    process_start(project=project, template=template, by=owner)
    return project


def _one_page():
    from weasyprint import HTML

    return HTML(string=ONE_PAGE).write_pdf(pdf_variant="pdf/a-2a")


def _mandate(document):
    from workproducts.pdf import render_workproduct

    return lambda: render_workproduct(document)


try:
    from benchmarks import register
except ImportError:  # the shared harness is not there: `python -m benchmarks.mandate_pdf` runs alone
    register = None

if register is not None:

    @register("Mandate PDF against a one-page PDF", order=60)
    def mandate_pdf(ctx):
        from benchmarks import Measurement
        from projects.models import Project

        document = _mandate_document(ctx.world.projects[0] if ctx.world.projects else Project.objects.first().pk)
        wall, cpu = _interleaved(_one_page, _mandate(document))
        one = Measurement("one-page WeasyPrint PDF", wall[0])
        mandate = Measurement("mandate PDF", wall[1], budget_ms=2000)
        ratio = mandate.median / one.median
        mandate.note = f"{ratio:.1f}× the one-page PDF (goal under 10×)"
        print(_summary(wall, cpu))
        return [one, mandate]


def _interleaved(one_page, mandate, n=N):
    """Both timed in turn, call by call (after one warm-up each), so a change in the machine's load falls on both
    alike; wall-clock and CPU times in ms. On a loaded machine the wall-clock ratio also counts waiting for a core,
    the CPU ratio does not."""
    one_page()
    mandate()
    wall, cpu = ([], []), ([], [])
    for _ in range(n):
        for i, fn in enumerate((one_page, mandate)):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            wall[i].append((time.perf_counter() - start) * 1000)
            cpu[i].append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _summary(wall, cpu):
    (one, mandate), (one_cpu, mandate_cpu) = (map(statistics.median, wall), map(statistics.median, cpu))
    return (
        f"mandate PDF / one-page PDF: {mandate / one:.1f}× (goal under 2 s and under 10×); CPU time (median) "
        f"{mandate_cpu:.0f} ms against {one_cpu:.0f} ms: {mandate_cpu / one_cpu:.1f}×"
    )


def main():
    import os
    import tempfile

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    db = os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    document = _mandate_document()
    wall, cpu = _interleaved(_one_page, _mandate(document))
    print(f"{'measurement':<28}{'median ms':>10}{'p90 ms':>10}")
    for name, times in (("one-page WeasyPrint PDF", wall[0]), ("mandate PDF", wall[1])):
        p90 = sorted(times)[max(0, round(0.9 * len(times)) - 1)]
        print(f"{name:<28}{statistics.median(times):>10.0f}{p90:>10.0f}")
    print(_summary(wall, cpu))


if __name__ == "__main__":
    main()
