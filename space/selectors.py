"""Reads of the mapping and the area programme: a study's results, the proximity matrix, the area check."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min

from workproducts.models import WorkProduct

from . import calc
from .models import AreaLine, AreaNorm, AreaProgramme, MappingUnit, Observation, OccupancyStudy, Proximity, StudyZone
from .models import Zone as ZoneChoice

# The defaults when coordinators have not stored a norm for a kind of project (DESIGN.md §5).
DEFAULT_NORMS = {
    "new_premises": (Decimal("23.0"), Decimal("6.0")),
    "rebuild": (Decimal("28.0"), Decimal("6.0")),
}


def mapping_of(project) -> WorkProduct | None:
    return WorkProduct.objects.filter(project=project, kind="mapping").first()


def units(wp) -> list[MappingUnit]:
    return list(MappingUnit.objects.filter(work_product=wp).order_by("id")) if wp else []


def headcount(project, wp=None) -> int | None:
    """The mapping's units added up; the project's own headcount when the mapping has none."""
    wp = wp if wp is not None else mapping_of(project)
    total = sum(u.headcount for u in units(wp))
    return total or project.headcount


# Proximity -----------------------------------------------------------------------------------------------------


@dataclass
class ProximityCell:
    row: MappingUnit
    col: MappingUnit
    need: int | None  # None on the diagonal
    key: str


def proximity_needs(wp) -> dict[tuple[int, int], int]:
    if wp is None:
        return {}
    return {(p.unit_a_id, p.unit_b_id): p.need for p in Proximity.objects.filter(work_product=wp)}


def proximity_matrix(wp, unit_list=None):
    """[(unit, [cells])], every pair both ways; a pair nobody filled in reads 0."""
    unit_list = unit_list if unit_list is not None else units(wp)
    needs = proximity_needs(wp)
    rows = []
    for a in unit_list:
        cells = []
        for b in unit_list:
            pair = (min(a.pk, b.pk), max(a.pk, b.pk))
            need = None if a.pk == b.pk else needs.get(pair, 0)
            cells.append(ProximityCell(a, b, need, f"need-{pair[0]}-{pair[1]}"))
        rows.append((a, cells))
    return rows


def proximity_pairs(wp, unit_list=None):
    """Each pair once with its need, highest first (the table alternative to the heatmap)."""
    unit_list = unit_list if unit_list is not None else units(wp)
    needs = proximity_needs(wp)
    out = []
    for i, a in enumerate(unit_list):
        for b in unit_list[i + 1 :]:
            out.append((a, b, needs.get((min(a.pk, b.pk), max(a.pk, b.pk)), 0)))
    return sorted(out, key=lambda t: (-t[2], t[0].name, t[1].name))


# Occupancy -----------------------------------------------------------------------------------------------------


def studies(wp) -> list[OccupancyStudy]:
    if wp is None:
        return []
    return list(OccupancyStudy.objects.filter(work_product=wp).annotate(n_obs=Count("observations", distinct=True)))


def zone_infos(study) -> list[calc.ZoneInfo]:
    return [
        calc.ZoneInfo(z.pk, z.name, z.kind, z.places, z.unit_id)
        for z in StudyZone.objects.filter(study=study).order_by("kind", "name")
    ]


def study_result(study) -> calc.StudyResult:
    """The study's results, computed from its observations streamed in one query."""
    rows = (
        Observation.objects.filter(study=study)
        .order_by()
        .values_list("zone_id", "date", "hour", "occupied", "away", "persons")
        .iterator(chunk_size=5000)
    )
    return calc.study_result(zone_infos(study), rows)


@dataclass
class StudyReport:
    study: OccupancyStudy
    zones: list
    result: calc.StudyResult
    headcount: int | None
    needed: int | None
    by_ratio: int | None
    unit_rows: list
    zone_rows: list
    hour_rows: list
    first_day: object
    last_day: object


def study_report(study, *, project, unit_list=None, wp=None) -> StudyReport:
    zones = list(StudyZone.objects.filter(study=study).select_related("unit").order_by("kind", "name"))
    result = study_result(study)
    unit_list = unit_list if unit_list is not None else units(wp or study.work_product)
    count = sum(u.headcount for u in unit_list) or project.headcount
    needed = None
    if result.overall.rounds:
        needed = calc.workstations_needed(result.overall.peak_present, study.buffer_percent)
    by_ratio = calc.workstations_by_ratio(count, study.sharing_ratio) if count else None
    names = {u.pk: u.name for u in unit_list}
    span = Observation.objects.filter(study=study).aggregate(first=Min("date"), last=Max("date"))
    return StudyReport(
        study=study, zones=zones, result=result, headcount=count, needed=needed, by_ratio=by_ratio,
        unit_rows=[(names.get(uid, "–"), s) for uid, s in result.units.items() if uid in names],
        zone_rows=[(z, result.zones.get(z.pk), result.meeting_in_use.get(z.pk)) for z in zones],
        hour_rows=list(result.hours.items()),
        first_day=span["first"], last_day=span["last"],
    )  # fmt: skip


def chart(report: StudyReport, *, width=640, height=240):
    """Geometry of the bar chart of average and peak utilisation per hour of the day (server-rendered SVG)."""
    left, bottom, top, right = 44, 28, 12, 8
    plot_w, plot_h = width - left - right, height - top - bottom
    hours = report.hour_rows
    slot = plot_w / max(len(hours), 1)
    bar = max(slot / 2 - 4, 2)
    bars = []
    for i, (hour, s) in enumerate(hours):
        x = left + i * slot + 2
        avg_h = plot_h * (s.average or 0)
        peak_h = plot_h * (s.peak or 0)
        bars.append({
            "hour": hour, "x_avg": round(x, 1), "x_peak": round(x + bar, 1), "w": round(bar, 1),
            "y_avg": round(top + plot_h - min(avg_h, plot_h), 1), "h_avg": round(min(avg_h, plot_h), 1),
            "y_peak": round(top + plot_h - min(peak_h, plot_h), 1), "h_peak": round(min(peak_h, plot_h), 1),
            "label_x": round(x + bar, 1), "avg": s.average_pct, "peak": s.peak_pct,
        })  # fmt: skip
    grid = [{"pct": p, "y": round(top + plot_h - plot_h * p / 100, 1)} for p in (0, 25, 50, 75, 100)]
    return {"width": width, "height": height, "left": left, "right": width - right, "bars": bars, "grid": grid,
            "axis_y": top + plot_h, "label_y": top + plot_h + 16}  # fmt: skip


# Area programme ------------------------------------------------------------------------------------------------


def norm_for(kind: str) -> tuple[Decimal, Decimal, str]:
    norm = AreaNorm.objects.filter(project_kind=kind).first()
    if norm is not None:
        return norm.max_m2_per_employee, norm.min_m2_per_workstation, norm.source
    m, w = DEFAULT_NORMS.get(kind, DEFAULT_NORMS["rebuild"])
    return m, w, ""


@dataclass
class _Line:
    zone: str
    count: int
    m2_each: Decimal
    is_workstation: bool
    line: AreaLine


def area_lines(wp) -> list[AreaLine]:
    if wp is None:
        return []
    return list(AreaLine.objects.filter(work_product=wp).select_related("room_type"))


def area_check(wp, project, lines=None) -> calc.AreaCheck:
    lines = lines if lines is not None else area_lines(wp)
    programme = AreaProgramme.objects.filter(work_product=wp).first() if wp else None
    employees = (programme.employees if programme else None) or headcount(project)
    norm_max, norm_min, _source = norm_for(project.kind)
    check = calc.area_check(
        [_Line(ln.room_type.zone, ln.count, ln.m2_each or ln.room_type.m2, ln.room_type.is_workstation, ln)
         for ln in lines],
        employees=employees, addition_percent=programme.addition_percent if programme else 0,
        norm_max=norm_max, norm_min_workstation=norm_min, zone_order=ZoneChoice.values,
    )  # fmt: skip
    check.zone_totals = [(ZoneChoice(z).label, m2) for z, m2 in check.zone_totals]
    check.small_workstations = [x.line for x in check.small_workstations]
    return check


def area_report(project, wp=None) -> dict:
    """The area programme of a project as the page, the PDF and the final documentation show it: its lines, the
    check against the norm, the main profile and the plans. `wp` None: the project's own, if started."""
    from .models import PlanFile

    wp = wp if wp is not None else WorkProduct.objects.filter(project=project, kind="area_programme").first()
    lines = area_lines(wp)
    return {
        "wp": wp, "lines": lines, "check": area_check(wp, project, lines),
        "programme": AreaProgramme.objects.filter(work_product=wp).first() if wp else None,
        "plans": list(PlanFile.objects.filter(work_product=wp).select_related("uploaded_by")) if wp else [],
    }  # fmt: skip
