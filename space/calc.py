"""The arithmetic of the occupancy study and the area programme, free of the database (DESIGN.md §5).

Utilisation of a round = people present / places, where people present are the desks occupied plus those
temporarily away (signs of use) in a workstation zone, or the persons in a meeting room. Over the rounds of a
zone, a unit, an hour of the day or the whole study: the average, the peak and the modal (most frequent)
utilisation, the mode taken over whole per cents (a tie goes to the higher value, which sizes cautiously).
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass
class Stats:
    rounds: int = 0
    average: float | None = None  # fractions of 1
    peak: float | None = None
    modal: float | None = None
    peak_present: int = 0  # the most people present in one round
    places: int = 0

    @property
    def average_pct(self):
        return pct(self.average)

    @property
    def peak_pct(self):
        return pct(self.peak)

    @property
    def modal_pct(self):
        return pct(self.modal)


def pct(fraction) -> int | None:
    """0.625 -> 63 (half up, as a reader rounds)."""
    if fraction is None:
        return None
    return int((Decimal(str(fraction)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def stats(rounds: list[tuple[int, int]]) -> Stats:
    """`rounds`: (present, places) per round. Rounds without places are left out."""
    values = [(present / places, present, places) for present, places in rounds if places]
    if not values:
        return Stats()
    utilisations = [u for u, _, _ in values]
    counts = Counter(pct(u) for u in utilisations)
    top = max(counts.values())
    modal = max(p for p, n in counts.items() if n == top)
    return Stats(
        rounds=len(values),
        average=sum(utilisations) / len(utilisations),
        peak=max(utilisations),
        modal=modal / 100,
        peak_present=max(present for _, present, _ in values),
        places=max(places for _, _, places in values),
    )


@dataclass
class ZoneInfo:
    id: int
    name: str
    kind: str  # "workstations" or "meeting_room"
    places: int
    unit_id: int | None = None


@dataclass
class StudyResult:
    overall: Stats  # workstation zones together, per round
    zones: dict = field(default_factory=dict)  # zone id -> Stats
    units: dict = field(default_factory=dict)  # unit id -> Stats (its workstation zones together)
    hours: dict = field(default_factory=dict)  # hour -> Stats (workstation zones together, over the days)
    meeting_in_use: dict = field(default_factory=dict)  # zone id -> share of rounds with anybody in the room
    observations: int = 0


def study_result(zones: list[ZoneInfo], observations) -> StudyResult:
    """`observations`: (zone_id, date, hour, occupied, away, persons) in any order; streamed once."""
    by_id = {z.id: z for z in zones}
    per_zone = defaultdict(list)
    rounds = defaultdict(lambda: [0, 0])  # (date, hour) -> [present, places] over workstation zones
    unit_rounds = defaultdict(lambda: [0, 0])  # (unit, date, hour)
    in_use = defaultdict(lambda: [0, 0])
    n = 0
    for zone_id, day, hour, occupied, away, persons in observations:
        zone = by_id.get(zone_id)
        if zone is None:
            continue
        n += 1
        if zone.kind == "meeting_room":
            per_zone[zone_id].append((persons, zone.places))
            in_use[zone_id][0] += 1 if persons else 0
            in_use[zone_id][1] += 1
            continue
        present = occupied + away
        per_zone[zone_id].append((present, zone.places))
        r = rounds[(day, hour)]
        r[0] += present
        r[1] += zone.places
        if zone.unit_id is not None:
            u = unit_rounds[(zone.unit_id, day, hour)]
            u[0] += present
            u[1] += zone.places
    per_unit = defaultdict(list)
    for (unit_id, _day, _hour), (present, places) in unit_rounds.items():
        per_unit[unit_id].append((present, places))
    per_hour = defaultdict(list)
    for (_day, hour), (present, places) in rounds.items():
        per_hour[hour].append((present, places))
    return StudyResult(
        overall=stats(list(rounds.values())),
        zones={zid: stats(values) for zid, values in per_zone.items()},
        units={uid: stats(values) for uid, values in per_unit.items()},
        hours={h: stats(per_hour[h]) for h in sorted(per_hour)},
        meeting_in_use={zid: used / total for zid, (used, total) in in_use.items() if total},
        observations=n,
    )


def workstations_needed(peak_present: int, buffer_percent: int) -> int:
    """Peak people present plus the buffer, rounded up: 18 present with 10 % buffer -> 20 (19.8 up)."""
    return math.ceil(Decimal(peak_present) * (100 + Decimal(buffer_percent)) / 100)


def workstations_by_ratio(headcount: int, sharing_ratio) -> int:
    """Headcount × sharing ratio, rounded up: 25 × 0.7 -> 18 (17.5 up)."""
    return math.ceil(Decimal(headcount) * Decimal(str(sharing_ratio)))


# Area programme ---------------------------------------------------------------------------------------------


@dataclass
class AreaCheck:
    net_m2: Decimal
    gross_m2: Decimal
    zone_totals: list  # [(zone, m²)] in the catalogue's zone order, zones without rooms left out
    employees: int | None
    per_employee: Decimal | None  # gross m² per employee, one decimal
    norm_max: Decimal | None
    over_norm: bool
    workstations: int
    small_workstations: list  # lines whose workstations are under the minimum
    norm_min_workstation: Decimal | None


def area_check(lines, *, employees, addition_percent=0, norm_max=None, norm_min_workstation=None, zone_order=()):
    """`lines`: objects with `zone`, `count`, `m2_each`, `is_workstation`. Totals per zone and in all, gross
    area (net plus circulation and walls), m² per employee against the norm, and workstations under the
    minimum floor area."""
    totals = defaultdict(Decimal)
    net = Decimal(0)
    workstations = 0
    small = []
    for line in lines:
        area = Decimal(line.count) * Decimal(line.m2_each)
        totals[line.zone] += area
        net += area
        if line.is_workstation:
            workstations += line.count
            if norm_min_workstation is not None and Decimal(line.m2_each) < Decimal(norm_min_workstation):
                small.append(line)
    gross = (net * (100 + Decimal(addition_percent)) / 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    per_employee = None
    if employees:
        per_employee = (gross / Decimal(employees)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    order = list(zone_order) + sorted(z for z in totals if z not in zone_order)
    return AreaCheck(
        net_m2=net,
        gross_m2=gross,
        zone_totals=[(z, totals[z]) for z in order if z in totals],
        employees=employees,
        per_employee=per_employee,
        norm_max=norm_max,
        over_norm=per_employee is not None and norm_max is not None and per_employee > Decimal(norm_max),
        workstations=workstations,
        small_workstations=small,
        norm_min_workstation=norm_min_workstation,
    )
