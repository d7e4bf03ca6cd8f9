"""Import of a 20 000-row occupancy file, and the study's results over it (`make bench`).

Each run makes a project with a study of 182 zones, imports the file (streamed, validated whole, written in
batches inside one transaction) and computes the results; everything is rolled back afterwards.
"""

import time
from datetime import date

from benchmarks import Measurement, register


class _Rollback(Exception):
    pass


def _study(n):
    from phases.models import Activity, Phase
    from projects.models import Membership, Project, Role, User
    from space import services as space

    owner = User.objects.create_user(f"bench-occupancy-{n}@example.no", full_name="Bench Owner")
    project = Project.objects.create(name=f"Belegg {n}", created_by=owner)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    phase = Phase.objects.create(project=project, key="p", order=1, name_nb="Fase", name_en="Phase")
    Activity.objects.create(
        project=project, phase=phase, key="mapping", order=1, name_nb="Kartlegging", name_en="Mapping",
        owner_role=Role.OWNER, work_product="mapping",
    )  # fmt: skip
    study = space.study_save(
        project=project, by=owner, data={"name": "Benk", "starts_on": date(2027, 2, 1), "ends_on": date(2027, 2, 12)}
    )
    zones = [f"Sone {i:03d}" for i in range(182)]
    for z in zones:
        space.zone_save(study=study, by=owner, data={"name": z, "places": 8})
    return project, owner, study, zones


def _file(zones):
    import csv
    import io
    from datetime import timedelta

    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(["dato", "time", "sone", "opptatt", "midlertidig borte", "ledig", "personer"])
    days = [date(2027, 2, 1) + timedelta(days=d) for d in range(12)]
    days = [d for d in days if d.weekday() < 5]
    n = 0
    for d in days:
        for h in range(7, 18):
            for i, z in enumerate(zones):
                w.writerow([d.strftime("%d.%m.%Y"), f"{h:02d}:00", z, (i + h) % 6, 1, 1, ""])
                n += 1
    return out.getvalue().encode("utf-8-sig"), n


@register("occupancy import", order=70)
def occupancy_import(ctx, runs=2):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from space import imports, selectors

    imported, results, rows = [], [], 0
    for _ in range(runs):
        try:
            with transaction.atomic():
                project, owner, study, zones = _study(len(imported))
                content, rows = _file(zones)
                upload = SimpleUploadedFile("runder.csv", content, content_type="text/csv")
                started = time.perf_counter()
                imports.observations_import(study=study, by=owner, upload=upload)
                imported.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                selectors.study_report(study, project=project)
                results.append((time.perf_counter() - started) * 1000)
                raise _Rollback
        except _Rollback:
            pass
    label = f"{rows:,}".replace(",", " ")
    return [
        Measurement(f"occupancy import, {label} rows (CSV)", imported, note="validated whole, batches of 2 000"),
        Measurement(f"occupancy results over {label} rows", results),
    ]
