"""The default room catalogue and area norms (DESIGN.md §5), as a starting point coordinators edit.

A data migration adds them; `seed_demo` adds them again where a test run has emptied the tables.
Sizes come from published practice guides for activity-based offices; the norms from Bergen byrådssak 1385/16
(23 m² per employee in new buildings, 28 m² in less efficient existing ones, common areas included) and
Arbeidstilsynet's guidance (at least 6 m² floor area per workstation).
"""

from decimal import Decimal as D

# (name, zone, default m², how it is sized, is a workstation)
ROOM_TYPES = [
    ("Åpen arbeidsplass", "work", D("6.0"), "4–6 m² per plass", True),
    ("Fokusrom", "focus", D("6.0"), "1 person, 6 m²", False),
    ("Telefonrom", "focus", D("3.0"), "1 person, 2–4 m²", False),
    ("Stillerom", "focus", D("12.0"), "etter antall plasser", False),
    ("Lite møterom (2–4)", "meeting", D("8.0"), "2–4 personer, 6–10 m²", False),
    ("Mellomstort møterom (8–12)", "meeting", D("27.0"), "8–12 personer, 24–30 m²", False),
    ("Stort møterom (14+)", "meeting", D("48.0"), "14 personer eller flere, minst 48 m²", False),
    ("Prosjektrom", "meeting", D("15.0"), "etter antall plasser", False),
    ("Multirom", "meeting", D("30.0"), "fleksibelt, etter bruk", False),
    ("Sosial sone / tekjøkken", "social", D("12.0"), "6–15 m² per 50 ansatte", False),
    ("Garderobeskap", "support", D("0.5"), "0,5 m² per skap", False),
    ("Lager", "support", D("1.0"), "omtrent 1 m² per person", False),
    ("Garderobe", "support", D("6.0"), "etter antall ansatte", False),
    ("Print og kopi", "support", D("4.0"), "ett per etasje eller sone", False),
]

# project kind -> (at most m² per employee, at least m² per workstation, source)
NORMS = {
    "new_premises": (D("23.0"), D("6.0"), "Bergen byrådssak 1385/16; Arbeidstilsynet (6 m² per arbeidsplass)"),
    "rebuild": (D("28.0"), D("6.0"), "Bergen byrådssak 1385/16; Arbeidstilsynet (6 m² per arbeidsplass)"),
}


def install(RoomType, AreaNorm):
    """Add what is missing of the defaults (never overwrites what coordinators changed)."""
    for n, (name, zone, m2, sizing, ws) in enumerate(ROOM_TYPES, start=1):
        RoomType.objects.get_or_create(
            name=name, defaults={"zone": zone, "m2": m2, "sizing": sizing, "is_workstation": ws, "order": n * 10}
        )
    for kind, (most, least, source) in NORMS.items():
        AreaNorm.objects.get_or_create(
            project_kind=kind,
            defaults={"max_m2_per_employee": most, "min_m2_per_workstation": least, "source": source},
        )
