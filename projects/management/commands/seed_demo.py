"""Demo data for trying the application: one municipality, a user per role and five projects.

Idempotent: what exists already (matched by e-mail, unit name or case number) is left as it is, so running
it twice changes nothing.
"""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from projects import extensions, services
from projects.models import COORDINATOR_GROUP, HR_GROUP, OrgUnit, Project, Role, User

DEMO_PASSWORD = "demo-passord-2026"

# (e-mail, full name, global groups, staff)
USERS = [
    ("eier@demo.kommune.no", "Kari Nordmann", (), False),
    ("prosjektleder@demo.kommune.no", "Ola Berg", (), False),
    ("verneombud@demo.kommune.no", "Siri Verne", (), False),
    ("tillitsvalgt@demo.kommune.no", "Tor Tillit", (), False),
    ("bht@demo.kommune.no", "Berit Helse", (), False),
    ("amu@demo.kommune.no", "Arne Utvalg", (), False),
    ("medlem@demo.kommune.no", "Mona Medlem", (), False),
    ("koordinator@demo.kommune.no", "Knut Koordinator", (COORDINATOR_GROUP,), False),
    ("hr@demo.kommune.no", "Hanne HR", (HR_GROUP,), False),
    ("admin@demo.kommune.no", "Ada Admin", (), True),
    ("leder2@demo.kommune.no", "Per Leder", (), False),
]

# department -> units (unit name, leader e-mail)
ORGANISATION = {
    "Byrådsavdeling for finans": [
        ("Økonomiseksjonen", "eier@demo.kommune.no"),
        ("Innkjøpsseksjonen", None),
        ("Byarkivet", None),
    ],
    "Etat for bygg og eiendom": [("Eiendomsforvaltning", None), ("Arbeidsplasskonsept", None)],
    "Byrådsavdeling for helse og omsorg": [
        ("Etat for tjenestekontor", "leder2@demo.kommune.no"),
        ("Etat for sykehjem", None),
    ],
}

# case number, name, kind, units, headcount, start offset (days from today), move-in offset, actual move-in
# offset (recorded through the evaluation app's service by its demo seeder),
# owner e-mail, other roles.
#
# One story (issue 24 point 8): each unit is in one project at a time; a project's headcount is the one its mapping
# (the sum of its groups) and its area programme use; milestones lie between the start and the planned move-in,
# the move-in milestone on it; completed phases and done items are dated in the past, inside the project's time
# (phases' demo seeder `_date_demo_progress`). Apps that add demo data read these numbers, never repeat them.
PROJECTS = [
    (
        "2026/1001",
        "Økonomiseksjonen til aktivitetsbasert kontor",
        Project.Kind.REBUILD,
        ["Økonomiseksjonen"],
        50,
        -30,
        300,
        None,
        "eier@demo.kommune.no",
        [
            ("prosjektleder@demo.kommune.no", Role.MANAGER),
            ("verneombud@demo.kommune.no", Role.SAFETY_REP),
            ("tillitsvalgt@demo.kommune.no", Role.UNION_REP),
            ("bht@demo.kommune.no", Role.OH_SERVICE),
            ("medlem@demo.kommune.no", Role.MEMBER),
        ],
    ),
    (
        "2026/1002",
        "Innkjøpsseksjonen i nytt bygg",
        Project.Kind.NEW_PREMISES,
        ["Innkjøpsseksjonen"],
        30,
        -200,
        150,
        None,
        "eier@demo.kommune.no",
        [
            ("verneombud@demo.kommune.no", Role.SAFETY_REP),
            ("tillitsvalgt@demo.kommune.no", Role.UNION_REP),
            ("bht@demo.kommune.no", Role.OH_SERVICE),
        ],
    ),
    (
        "2025/2040",
        "Eiendomsforvaltning samlokaliseres",
        Project.Kind.REBUILD,
        ["Eiendomsforvaltning"],
        30,
        -420,
        -60,
        -55,
        "prosjektleder@demo.kommune.no",
        [
            ("eier@demo.kommune.no", Role.VIEWER),
            ("verneombud@demo.kommune.no", Role.SAFETY_REP),
            ("tillitsvalgt@demo.kommune.no", Role.UNION_REP),
            ("bht@demo.kommune.no", Role.OH_SERVICE),
            ("amu@demo.kommune.no", Role.AMU),
        ],
    ),
    (
        "2025/1500",
        "Tjenestekontoret flytter til Kronstad",
        Project.Kind.NEW_PREMISES,
        ["Etat for tjenestekontor"],
        80,
        -600,
        -320,
        -310,
        "leder2@demo.kommune.no",
        [
            ("tillitsvalgt@demo.kommune.no", Role.UNION_REP),
            ("verneombud@demo.kommune.no", Role.SAFETY_REP),
            ("bht@demo.kommune.no", Role.OH_SERVICE),
            ("amu@demo.kommune.no", Role.AMU),
            ("medlem@demo.kommune.no", Role.MEMBER),
        ],
    ),
    (
        "2024/0900",
        "Byarkivet i nye lokaler",
        Project.Kind.NEW_PREMISES,
        ["Byarkivet"],
        24,
        -900,
        -500,
        -490,
        "eier@demo.kommune.no",
        [
            ("verneombud@demo.kommune.no", Role.SAFETY_REP),
            ("tillitsvalgt@demo.kommune.no", Role.UNION_REP),
            ("bht@demo.kommune.no", Role.OH_SERVICE),
            ("amu@demo.kommune.no", Role.AMU),
            ("medlem@demo.kommune.no", Role.MEMBER),
        ],
    ),
    (
        "2026/1100",
        "Sykehjemsetatens administrasjon",
        Project.Kind.REBUILD,
        ["Etat for sykehjem"],
        18,
        14,
        400,
        None,
        "leder2@demo.kommune.no",
        [("bht@demo.kommune.no", Role.OH_SERVICE)],
    ),
]


class Command(BaseCommand):
    help = "Create demo users, an organisation and six projects. Safe to run again: nothing existing changes."

    def handle(self, *args, **options):
        created = seed()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data: {created} objects created."))
        else:
            self.stdout.write("Demo data already in place; nothing changed.")


@transaction.atomic
def seed(*, people=None, scan=True) -> int:
    """Create what is missing of the demo data; the number of objects created. `people` maps demo e-mails to
    existing users who take those places (the benchmarks put their representative of every project there);
    `scan=False` leaves out the reminder scan over every project."""
    for prepare in extensions.get("demo_preparer"):
        prepare()
    created = 0
    users = dict(people or {})
    for email, name, groups, staff in USERS:
        if email in users:
            continue
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=name, is_staff=staff, is_superuser=staff
            )
            for group in groups:
                user.groups.add(Group.objects.get_or_create(name=group)[0])
            created += 1
        users[email] = user

    municipality, made = OrgUnit.objects.get_or_create(
        name="Demo kommune", parent=None, defaults={"kind": OrgUnit.Kind.MUNICIPALITY}
    )
    created += made
    units = {}
    for department_name, unit_specs in ORGANISATION.items():
        department, made = OrgUnit.objects.get_or_create(
            name=department_name, parent=municipality, defaults={"kind": OrgUnit.Kind.DEPARTMENT}
        )
        created += made
        for unit_name, leader in unit_specs:
            unit, made = OrgUnit.objects.get_or_create(
                name=unit_name,
                parent=department,
                defaults={"kind": OrgUnit.Kind.UNIT, "leader": users.get(leader)},
            )
            created += made
            units[unit_name] = unit

    today = timezone.localdate()
    new_projects = {}
    for case, name, kind, unit_names, heads, start, move_in, _actual, owner, others in PROJECTS:
        if Project.objects.filter(case_number=case).exists():
            continue
        owner_user = users[owner]
        project = services.project_create(
            by=owner_user,
            name=name,
            case_number=case,
            kind=kind,
            units=[units[u] for u in unit_names],
            headcount=heads,
            address="Rådhusgaten 10, 5014 Bergen" if kind == Project.Kind.REBUILD else "Kronstad, 5063 Bergen",
            start_date=_offset(today, start),
            planned_move_in=_offset(today, move_in),
            description="Demodata: et prosjekt for å prøve Prosessguiden.",
        )
        for email, role in others:
            services.membership_add(project=project, user=users[email], role=role, by=owner_user)
        new_projects[case] = project
        created += 1
    for seeder in extensions.get("demo_seeder"):
        seeder(new_projects, users)
    if scan:  # what is due now becomes notifications (the bell, My tasks' reminders), as the periodic scan does
        services.reminders_scan()
    return created


def _offset(today: date, days: int) -> date:
    return today + timedelta(days=days)
