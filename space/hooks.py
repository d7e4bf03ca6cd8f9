"""How the mapping and the area programme plug in: their kinds (with their history), the catalogue link."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects import extensions

from . import imports, kinds  # noqa: F401  (the importer of observations; the two kinds of work product)
from . import models as m


@extensions.register("nav_item", order=36)
def _catalogue_link(request):
    if not request.user.has_perm("space.manage_room_catalogue"):
        return None
    return {
        "label": _("Room catalogue"),
        "url": reverse("space:room_catalogue"),
        "active": request.resolver_match is not None
        and request.resolver_match.view_name in ("space:room_catalogue", "space:room_type", "space:area_norm"),
    }


@extensions.register("demo_seeder", order=35)
def _seed_demo_mapping(projects, users):
    """The first demo project's mapping (four units, proximity, a two-week occupancy study imported from a
    generated file) and its area programme: generous with meeting rooms and storage, and above the norm, so that
    the warnings show."""
    import csv
    import io
    from datetime import timedelta
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from phases.models import Activity
    from workproducts.services import workproduct_row_save, workproduct_save, workproduct_start

    from . import services
    from .defaults import install

    project = projects.get("2026/1001")
    if project is None or m.WorkProduct.objects.filter(project=project, kind="mapping").exists():
        return
    if not Activity.objects.filter(project=project, work_product="mapping").exists():
        return
    install(m.RoomType, m.AreaNorm)  # a test run that flushed the database also removed the defaults
    owner = users["eier@demo.kommune.no"]
    mapping = workproduct_start(project=project, kind="mapping", by=owner)
    workproduct_save(
        work_product=mapping, by=owner,
        data={"findings": "Pultene står tomme store deler av dagen; møterommene er fulle før lunsj.",
              "methods": "Gåtur, intervjuer med seksjonslederne og tilstedeværelsesregistrering i to uker."},
    )  # fmt: skip
    units = {}
    for name, count, desk, meet, away, focus, special in (
        ("Økonomiseksjonen", 24, 55, 20, 25, 40, "Arkiv for bilag"),
        ("Innkjøp og avtaler", 12, 45, 30, 25, 35, "Rom for anbudsåpning"),
        ("Lønn", 9, 65, 15, 20, 50, ""),
        ("Ledelse og stab", 5, 30, 50, 20, 15, "Resepsjon"),
    ):
        units[name] = workproduct_row_save(
            work_product=mapping, section="units", by=owner,
            data={"name": name, "headcount": count, "desk_share": desk, "meeting_share": meet, "away_share": away,
                  "focus_share": focus, "special_functions": special},
        )  # fmt: skip
    u = list(units.values())
    services.proximity_save(
        work_product=mapping, by=owner,
        needs={(u[0].pk, u[1].pk): 3, (u[0].pk, u[2].pk): 2, (u[0].pk, u[3].pk): 1, (u[1].pk, u[3].pk): 2,
               (u[2].pk, u[3].pk): 0, (u[1].pk, u[2].pk): 1},
    )  # fmt: skip
    start = project.start_date + timedelta(days=(7 - project.start_date.weekday()) % 7 + 21)  # a Monday
    study = services.study_save(
        project=project, by=owner,
        data={"name": "Dagens lokaler", "starts_on": start, "ends_on": start + timedelta(days=11),
              "buffer_percent": 10, "sharing_ratio": Decimal("0.75")},
    )  # fmt: skip
    zones = [
        ("Økonomi 3. etg.", "workstations", units["Økonomiseksjonen"], 24),
        ("Innkjøp 3. etg.", "workstations", units["Innkjøp og avtaler"], 12),
        ("Lønn 4. etg.", "workstations", units["Lønn"], 9),
        ("Ledelse 4. etg.", "workstations", units["Ledelse og stab"], 5),
        ("Møterom Fløyen", "meeting_room", None, 8),
        ("Møterom Ulriken", "meeting_room", None, 14),
    ]
    for name, kind, unit, places in zones:
        services.zone_save(study=study, by=owner, data={"name": name, "kind": kind, "unit": unit, "places": places})
    # A typical day: few at 8, a peak before lunch, a dip at 12, fewer after 14 (fractions of the places).
    curve = {8: 0.35, 9: 0.6, 10: 0.72, 11: 0.68, 12: 0.4, 13: 0.6, 14: 0.55, 15: 0.42, 16: 0.2}
    out = io.StringIO()
    w = csv.writer(out, delimiter=";")
    w.writerow(imports.HEADERS)
    for d in range(12):
        day = start + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for hour, share in curve.items():
            for i, (name, kind, _unit, places) in enumerate(zones):
                wobble = ((d * 7 + hour * 3 + i * 5) % 9 - 4) / 40 - (0.1 if day.weekday() == 4 else 0)
                factor = (1.0, 1.15, 1.3, 0.7, 1.2, 0.8)[i]  # payroll stays at its desks; the leaders are out
                present = max(0, min(places, round(places * (share * factor + wobble))))
                if kind == "meeting_room":
                    persons = present if hour in (9, 10, 13, 14) else present // 2
                    w.writerow([day.strftime("%d.%m.%Y"), f"{hour:02d}:00", name, "", "", "", persons])
                else:
                    away = present // 5
                    w.writerow([day.strftime("%d.%m.%Y"), f"{hour:02d}:00", name, present - away, away,
                                places - present, ""])  # fmt: skip
    upload = SimpleUploadedFile("registrering.csv", out.getvalue().encode("utf-8-sig"), content_type="text/csv")
    imports.observations_import(study=study, by=owner, upload=upload)

    if not Activity.objects.filter(project=project, work_product="area_programme").exists():
        return
    area = workproduct_start(project=project, kind="area_programme", by=owner)
    workproduct_save(
        work_product=area, by=owner,
        data={"main_profile": "collaboration", "employees": project.headcount, "addition_percent": 40,
              "profile_notes": "Mye samarbeid på tvers av seksjonene; stillerom for lønnskjøringer.",
              "special_functions": "Arkiv for bilag, rom for anbudsåpning, resepsjon."},
    )  # fmt: skip
    for name, count, m2 in (
        ("Åpen arbeidsplass", 40, Decimal("5.5")),
        ("Fokusrom", 8, None),
        ("Telefonrom", 6, None),
        ("Stillerom", 2, Decimal("16")),
        ("Lite møterom (2–4)", 6, None),
        ("Mellomstort møterom (8–12)", 3, None),
        ("Stort møterom (14+)", 2, Decimal("60")),
        ("Prosjektrom", 4, None),
        ("Multirom", 2, None),
        ("Sosial sone / tekjøkken", 1, Decimal("120")),
        ("Garderobeskap", 50, None),
        ("Lager", 1, Decimal("80")),
        ("Garderobe", 2, None),
        ("Print og kopi", 3, None),
    ):
        workproduct_row_save(
            work_product=area, section="rooms", by=owner,
            data={"room_type": m.RoomType.objects.get(name=name), "count": count, "m2_each": m2},
        )  # fmt: skip
