"""2 000 projects that look like the municipality's: the Bergen process copied into each, phases completed by
age, items done, deadlines passed, steps signed (a few with objections), some projects without a safety rep.

One project is started through the services (`process_start`), and its rows are copied into the others with
bulk_create, so building the data takes seconds rather than the hours that the services would need.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

TEMPLATE = "phases/process_templates/bergen_abw.toml"
SEED = 2026
BATCH = 2000
ROLLUP_BATCH = 2000


REPRESENTATIVE = "tillitsvalgt@bench.kommune.no"  # the union rep of every project


HISTORY_ROWS = 10_000  # recorded changes of the sample project, for the history page


@dataclass
class World:
    coordinator: object
    busy_owner: object
    sample: object
    sample_owner: object
    representative: object = None
    hr: object = None
    projects: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)  # role -> the person who holds it in the demo projects
    demo: dict = field(default_factory=dict)  # case number -> demo project (seed_demo's, with all their content)

    def summary(self):
        return ", ".join(f"{n} {name}" for name, n in self.counts.items())


def insert(model, objs):
    """Insert unsaved `objs` and give them their primary keys, as bulk_create does. On PostgreSQL through COPY, with
    the keys taken from the table's sequence first: several times faster than bulk_create's multi-row INSERTs for
    the millions of rows of 20 000 projects (bulk_create spends most of its time building and parsing the SQL).
    Elsewhere (SQLite) bulk_create."""
    from django.db import connection

    objs = list(objs)
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs, batch_size=BATCH)
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk and not getattr(f, "generated", False)]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    converted = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    for obj in objs:
        for f in stamped:
            f.pre_save(obj, True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, len(objs)])
        first = cursor.fetchone()[0] - len(objs) + 1
        columns = ", ".join(connection.ops.quote_name(c) for c in [pk.column, *(f.column for f in fields)])
        table = connection.ops.quote_name(meta.db_table)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for n, obj in enumerate(objs):
                obj.pk = first + n
                copy.write_row(
                    [obj.pk]
                    + [
                        f.get_db_prep_save(getattr(obj, f.attname), connection)
                        if f.attname in converted
                        else getattr(obj, f.attname)
                        for f in fields
                    ]
                )
    for obj in objs:
        obj._state.adding, obj._state.db = False, "default"
    return objs


class _Laps:
    """Prints how long each step of the build took (a developer waits for it: the 20 000 projects say where)."""

    def __init__(self):
        self.start = self.last = time.perf_counter()

    def __call__(self, what, n=None):
        now = time.perf_counter()
        rows = f" ({n} rows)" if n is not None else ""
        print(f"    {what}{rows}: {now - self.last:.1f} s", flush=True)
        self.last = now


def _analyze():
    """Planner statistics for the rows just inserted (in this transaction: PostgreSQL's ANALYZE counts them), so
    that the rollups' correlated subqueries use the indexes instead of scanning millions of rows per project."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@transaction.atomic
def build(*, projects=2000, template_path=TEMPLATE) -> World:
    from participation.models import SignOff, Step
    from phases.models import Activity, ChecklistItem, Phase, Process
    from phases.services import process_start, template_load_file
    from projects.models import COORDINATOR_GROUP, Membership, OrgUnit, Project, ProjectUnit, Role, User

    rng = random.Random(SEED)  # noqa: S311  (repeatable data, not secrets)
    today = timezone.localdate()
    now = timezone.now()
    template = template_load_file(path=template_path)[0]
    lap = _Laps()

    # People and the organisation.
    probe = User(email="probe@bench.no")
    probe.set_password("bench-passord")
    password = probe.password
    users = User.objects.bulk_create(
        [User(email=f"person{n}@bench.kommune.no", full_name=f"Person {n:04d}", password=password) for n in range(400)]
    )
    coordinator = User.objects.create(email="koordinator@bench.kommune.no", full_name="Knut Koordinator")
    representative = User.objects.create(email=REPRESENTATIVE, full_name="Tove Tillitsvalgt", password=password)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    busy_owner = users[0]
    top = OrgUnit.objects.create(name="Bergen kommune", kind=OrgUnit.Kind.MUNICIPALITY)
    departments = [
        OrgUnit.objects.create(name=f"Byrådsavdeling {d}", kind=OrgUnit.Kind.DEPARTMENT, parent=top) for d in range(6)
    ]
    units = OrgUnit.objects.bulk_create(
        [OrgUnit(name=f"Enhet {u:02d}", kind=OrgUnit.Kind.UNIT, parent=departments[u % 6]) for u in range(40)]
    )

    # The prototype: one project started through the services.
    proto_start = today
    prototype = Project.objects.create(name="Prototype", created_by=coordinator, start_date=proto_start)
    Membership.objects.create(project=prototype, user=coordinator, role=Role.OWNER)
    process_start(project=prototype, template=template, by=coordinator)
    p_phases = list(Phase.objects.filter(project=prototype).order_by("order"))
    p_activities = list(Activity.objects.filter(project=prototype).order_by("phase__order", "order"))
    p_items = list(ChecklistItem.objects.filter(project=prototype).order_by("phase__order", "activity__order", "order"))
    p_steps = list(Step.objects.filter(project=prototype).select_related("activity__phase"))
    phase_order = {ph.pk: ph.order for ph in p_phases}
    for s in p_steps:  # the content a prepared step was sent with (its summary written, no meetings)
        from participation.services import content_hash_of, step_content

        s.summary = "Lagt fram og drøftet."
        s.sent = step_content(s)
        s.sent_hash = content_hash_of(s.sent)
    prototype.delete()
    lap("people, units and the prototype")

    # The projects.
    plans = []
    for _n in range(projects):
        age = rng.randint(0, 1100)
        start = today - timedelta(days=age)
        completed = min(len(p_phases), max(0, int((age + rng.randint(-120, 120)) / (960 / len(p_phases)))))
        planned = start + timedelta(days=rng.randint(330, 520))
        actual = planned + timedelta(days=rng.randint(-10, 40)) if completed >= 3 else None
        if actual and actual > today:
            actual = None
        status = Project.Status.ACTIVE
        if completed == len(p_phases):
            status = Project.Status.COMPLETED
        elif rng.random() < 0.02:
            status = Project.Status.CANCELLED
        plans.append((start, completed, planned, actual, status))
    created = Project.objects.bulk_create(
        [
            Project(
                name=f"{rng.choice(['Flytting', 'Ombygging', 'Samlokalisering', 'Nytt kontor'])} {n + 1:04d}",
                case_number=f"{start.year}/{10000 + n}", kind=rng.choice(Project.Kind.values),
                headcount=rng.randint(8, 160), start_date=start, planned_move_in=planned, actual_move_in=actual,
                status=status, created_by=coordinator, address=f"Gate {n % 90 + 1}",
            )
            for n, (start, completed, planned, actual, status) in enumerate(plans)
        ],
        batch_size=BATCH,
    )  # fmt: skip
    insert(Process, [Process(project=p, template=template) for p in created])
    lap("projects", len(created))

    memberships, project_units = [], []
    holders = {}
    for n, project in enumerate(created):
        owner = busy_owner if n % 33 == 0 else users[rng.randint(1, 399)]
        people = {role: users[rng.randint(1, 399)] for role in (Role.MANAGER, Role.UNION_REP, Role.OH_SERVICE,
                                                                 Role.AMU, Role.MEMBER)}  # fmt: skip
        people[Role.UNION_REP] = representative
        people[Role.OWNER] = owner
        if rng.random() < 0.93:
            people[Role.SAFETY_REP] = users[rng.randint(1, 399)]
        holders[project.pk] = people
        memberships += [Membership(project=project, user=u, role=r) for r, u in people.items()]
        chosen = rng.sample(units, rng.choice([1, 1, 1, 2]))
        project_units += [ProjectUnit(project=project, unit=u) for u in chosen]
    insert(Membership, memberships)
    insert(ProjectUnit, project_units)
    lap("memberships and units", len(memberships) + len(project_units))

    # Phases, activities, items and steps, copied with the project's own dates and progress.
    phases = []
    for project, (_start, completed, *_rest) in zip(created, plans, strict=True):
        for ph in p_phases:
            done = ph.order <= completed
            phases.append(
                Phase(
                    project=project, key=ph.key, order=ph.order, name_nb=ph.name_nb, name_en=ph.name_en,
                    description_nb=ph.description_nb, description_en=ph.description_en,
                    completed_at=now - timedelta(days=max(1, (len(p_phases) - ph.order) * 120 - 60)) if done else None,
                    completed_by=holders[project.pk][Role.OWNER] if done else None,
                )
            )  # fmt: skip
    phases = insert(Phase, phases)
    phase_of = {(ph.project_id, ph.order): ph for ph in phases}
    lap("phases", len(phases))

    activities = []
    for project, (start, *_rest) in zip(created, plans, strict=True):
        shift = start - proto_start
        for a in p_activities:
            activities.append(
                Activity(
                    project=project, phase=phase_of[(project.pk, phase_order[a.phase_id])], key=a.key, order=a.order,
                    name_nb=a.name_nb, name_en=a.name_en, guidance_nb=a.guidance_nb, guidance_en=a.guidance_en,
                    owner_role=a.owner_role, track=a.track, work_product=a.work_product,
                    participation_steps=a.participation_steps, due_date=a.due_date + shift if a.due_date else None,
                )
            )  # fmt: skip
    activities = insert(Activity, activities)
    activity_of = {(a.project_id, a.key): a for a in activities}
    lap("activities", len(activities))
    p_activity_key = {a.pk: a.key for a in p_activities}

    items, n_items = [], 0
    for project, (start, completed, *_rest) in zip(created, plans, strict=True):
        shift = start - proto_start
        share = rng.random()
        for i in p_items:
            order = phase_order[i.phase_id]
            done = order <= completed or (order == completed + 1 and rng.random() < share)
            items.append(
                ChecklistItem(
                    project=project, phase=phase_of[(project.pk, order)],
                    activity=activity_of[(project.pk, p_activity_key[i.activity_id])], key=i.key, order=i.order,
                    text_nb=i.text_nb, text_en=i.text_en, mandatory=i.mandatory,
                    status=ChecklistItem.Status.DONE if done else ChecklistItem.Status.OPEN,
                    due_date=i.due_date + shift if i.due_date else None, completed_at=now if done else None,
                )
            )  # fmt: skip
        if len(items) >= 20000:
            insert(ChecklistItem, items)
            n_items += len(items)
            items = []
    insert(ChecklistItem, items)
    n_items += len(items)
    lap("checklist items", n_items)

    steps = []
    for project, (_start, completed, *_rest) in zip(created, plans, strict=True):
        for s in p_steps:
            order = s.activity.phase.order
            steps.append(
                Step(
                    project=project, activity=activity_of[(project.pk, s.activity.key)], key=s.key, kind=s.kind,
                    name_nb=s.name_nb, name_en=s.name_en, description_nb=s.description_nb,
                    description_en=s.description_en, required_roles=s.required_roles,
                    summary="Lagt fram og drøftet." if order <= completed + 1 else "",
                    version=1 if order <= completed + 1 else 0,
                    content_hash=s.sent_hash if order <= completed + 1 else "",
                    content=s.sent if order <= completed + 1 else "",
                    draft_hash=s.sent_hash if order <= completed + 1 else s.draft_hash,
                    is_sent=order <= completed + 1,
                )
            )  # fmt: skip
    steps = insert(Step, steps)
    lap("steps", len(steps))
    completed_of = {p.pk: plan[1] for p, plan in zip(created, plans, strict=True)}
    step_phase = {s.key: s.activity.phase.order for s in p_steps}
    signoffs = []
    for step in steps:
        if step_phase[step.key] > completed_of[step.project_id]:
            continue
        for role in step.required_roles:
            signer = holders[step.project_id].get(role)
            if signer is None:
                continue
            objection = rng.random() < 0.02
            signoffs.append(
                SignOff(
                    step=step, step_version=1, role=role, signer=signer,
                    decision=SignOff.Decision.OBJECTION if objection else SignOff.Decision.APPROVED,
                    text="Vi mener skjermingsbehovet ikke er ivaretatt." if objection else "",
                    content_hash=step.content_hash, content="{}", signed_at=now,
                )
            )  # fmt: skip
    insert(SignOff, signoffs)
    lap("sign-offs", len(signoffs))
    n_evaluations, n_measures = _after_move_in(created, plans, holders, rng, today)
    n_notifications = _notifications(representative, created, now)
    lap("evaluations, measures, notifications", n_evaluations + n_measures + n_notifications)
    _analyze()
    lap("planner statistics (ANALYZE)")
    # bulk_create bypasses the services, so store the overview's rollups as a backfill would.
    from projects.extensions import rollups_refresh

    ids = [p.pk for p in created]
    for start in range(0, len(ids), ROLLUP_BATCH):
        rollups_refresh(ids[start : start + ROLLUP_BATCH])
    lap("the overview's rollups", len(ids))

    active = [p for p, plan in zip(created, plans, strict=True) if plan[4] == Project.Status.ACTIVE] or created
    in_phase_two = (p for p, plan in zip(created, plans, strict=True) if plan[1] == 1 and plan[4] == "active")
    sample = next(in_phase_two, active[0])
    return World(
        coordinator=coordinator,
        busy_owner=busy_owner,
        sample=sample,
        sample_owner=holders[sample.pk][Role.OWNER],
        representative=representative,
        projects=[p.pk for p in created],
        counts={
            "projects": len(created),
            "phases": len(phases),
            "activities": len(activities),
            "items": n_items,
            "steps": len(steps),
            "sign-offs": len(signoffs),
            "memberships": len(memberships),
            "evaluations": n_evaluations,
            "HMS measures": n_measures,
            "notifications": n_notifications,
        },
    )


def _after_move_in(created, plans, holders, rng, today):
    """What `evaluation.services.movein_record` would have made for every project that moved in (its evaluation,
    with the window and freeze dates), with three HMS measures each, one overdue: HR's lists span them all."""
    from evaluation.models import Evaluation, Measure
    from evaluation.services import _set_dates
    from projects.models import Role

    evaluations, measures = [], []
    for project, (_start, _completed, _planned, actual, _status) in zip(created, plans, strict=True):
        if actual is None:
            continue
        owner = holders[project.pk][Role.OWNER]
        evaluation = Evaluation(project=project, move_in_recorded_by=owner)
        _set_dates(evaluation, actual)
        if evaluation.window_closes < today and rng.random() < 0.7:
            evaluation.completed_at, evaluation.completed_by = timezone.now(), owner
            evaluation.summary = "De fleste er fornøyde med løsningen."
        evaluations.append(evaluation)
        for number, (area, due, status) in enumerate(
            (("Støy i åpent landskap", -30, Measure.Status.IN_PROGRESS), ("Stillesoner", 30, Measure.Status.PLANNED),
             ("Garderobe", -60, Measure.Status.DONE)), start=1,
        ):  # fmt: skip
            measures.append(
                Measure(
                    project=project, number=number, focus_area=area, goal="Bedre arbeidsmiljø",
                    activity="Tiltak avtalt med verneombudet", due_date=actual + timedelta(days=120 + due),
                    responsible="Enhetsleder", status=status, source=Measure.Source.EVALUATION, created_by=owner,
                    sensitive=number == 2 and rng.random() < 0.2,
                )
            )  # fmt: skip
    insert(Evaluation, evaluations)
    insert(Measure, measures)
    return len(evaluations), len(measures)


def _notifications(user, created, now):
    """The representative's bell: a reminder of a waiting sign-off from each project, the older half read."""
    from projects.models import Notification

    rows = [
        Notification(
            key=f"bench:signoff_waiting:{project.pk}:{user.pk}", kind="signoff_waiting", recipient=user,
            project=project, text={"nb": f"«Drøfting» i {project.name} venter på din godkjenning.",
                                   "en": f"“Consultation” in {project.name} is waiting for your sign-off."},
            url=f"/projects/{project.pk}/participation/", due_date=(now - timedelta(days=n % 30)).date(),
            created_at=now - timedelta(hours=n), read_at=now if n > len(created) // 2 else None,
        )
        for n, project in enumerate(created)
    ]  # fmt: skip
    insert(Notification, rows)
    return len(rows)


def existing() -> World | None:
    """The world of a kept database built by an earlier run, or None when it holds none."""
    from django.db.models import Exists, OuterRef

    from evaluation.models import Evaluation, Measure
    from participation.models import SignOff, Step
    from phases.models import Activity, ChecklistItem, Phase
    from projects.models import Membership, Notification, Project, Role, User

    coordinator = User.objects.filter(email="koordinator@bench.kommune.no").first()
    representative = User.objects.filter(email=REPRESENTATIVE).first()
    if coordinator is None or representative is None:
        return None
    phase_two_open = Phase.objects.filter(project=OuterRef("pk"), order=2, completed_at__isnull=True)
    phase_one_done = Phase.objects.filter(project=OuterRef("pk"), order=1, completed_at__isnull=False)
    active = Project.objects.filter(status=Project.Status.ACTIVE).order_by("pk")
    sample = active.filter(Exists(phase_one_done), Exists(phase_two_open)).first() or active.first()
    owner = Membership.objects.filter(project=sample, role=Role.OWNER).select_related("user").first().user
    demo_cases = _demo_cases()
    projects = list(
        Project.objects.exclude(name="Prototype").exclude(case_number__in=demo_cases).order_by("pk")
        .values_list("pk", flat=True)
    )  # fmt: skip
    return World(
        coordinator=coordinator,
        busy_owner=User.objects.get(email="person0@bench.kommune.no"),
        sample=sample,
        sample_owner=owner,
        representative=representative,
        projects=projects,
        counts={
            "projects": len(projects),
            "phases": Phase.objects.count(),
            "activities": Activity.objects.count(),
            "items": ChecklistItem.objects.count(),
            "steps": Step.objects.count(),
            "sign-offs": SignOff.objects.count(),
            "memberships": Membership.objects.count(),
            "evaluations": Evaluation.objects.count(),
            "HMS measures": Measure.objects.count(),
            "notifications": Notification.objects.count(),
        },
    )


def prepare(world: World) -> World:
    """What the page benchmarks need besides the projects (idempotent, so a kept database gets it too): an HR
    person, a sample project with HISTORY_ROWS recorded changes, and fresh planner statistics."""
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.db import connection

    from projects.models import HR_GROUP, Project, User

    hr, _created = User.objects.get_or_create(email="hr@bench.kommune.no", defaults={"full_name": "Hanne HR"})
    hr.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    world.hr = hr
    historical = Project.history.model
    have = historical.objects.filter(id=world.sample.pk).count()
    if have < HISTORY_ROWS:
        first = historical.objects.filter(id=world.sample.pk).order_by("history_id").first()
        if first is None:
            kept = {f.attname for f in historical._meta.concrete_fields}  # not the generated search_text
            first = historical(**{name: getattr(world.sample, name) for name in kept if hasattr(world.sample, name)})
        fields = {f.attname: getattr(first, f.attname) for f in historical._meta.concrete_fields}
        fields.pop("history_id", None)
        start = timezone.now() - timedelta(days=400)
        historical.objects.bulk_create(
            [
                historical(**{**fields, "headcount": 10 + n % 150, "history_type": "~",
                              "history_user_id": world.sample_owner.pk, "history_date": start + timedelta(minutes=n)})
                for n in range(HISTORY_ROWS - have)
            ],
            batch_size=BATCH,
        )  # fmt: skip
    world.counts["history rows of the sample"] = HISTORY_ROWS
    _demo(world)
    with connection.cursor() as cursor:  # both databases plan with statistics (SQLite has none until ANALYZE)
        cursor.execute("ANALYZE")
    return world


def _demo_cases():
    """The demo projects' case numbers (seed_demo's list, imported late: it needs Django set up)."""
    from projects.management.commands.seed_demo import PROJECTS

    return [case for case, *_rest in PROJECTS]


# The demo people whose places the benchmark's own take, so that the representative of every project, the
# coordinator and HR see the demo projects with their load of 2 000 projects on the top bar and in the lists.
STAND_INS = {
    "tillitsvalgt@demo.kommune.no": REPRESENTATIVE,
    "koordinator@demo.kommune.no": "koordinator@bench.kommune.no",
    "hr@demo.kommune.no": "hr@bench.kommune.no",
}
# Who holds each role in the demo projects (2026/1001 has them all): the pages are timed as each of them.
DEMO_PEOPLE = {
    "owner": "eier@demo.kommune.no",
    "manager": "prosjektleder@demo.kommune.no",
    "member": "medlem@demo.kommune.no",
    "safety rep": "verneombud@demo.kommune.no",
    "OH": "bht@demo.kommune.no",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _demo(world):
    """The demo projects (`seed_demo`: work products with rows, meetings, a mapping study with zones and
    observations, an area programme, evaluations with plans, results and measures …), made through the services
    once, with a file on a meeting, an item and the area programme, and generated documents. The demo seeders
    are the content the application's pages are made for, kept up to date with each new page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from participation.models import Meeting
    from participation.services import meeting_attachment_add
    from phases.models import ChecklistItem
    from phases.services import attachment_add, item_comment
    from projects.management.commands import seed_demo
    from projects.models import GeneratedDocument, Project, Role, User
    from projects.services import membership_add
    from space.models import PlanFile
    from space.services import plan_add

    cases = _demo_cases()
    if not Project.objects.filter(case_number__in=cases).exists():
        seed_demo.seed(people={demo: User.objects.get(email=ours) for demo, ours in STAND_INS.items()}, scan=False)
        first = Project.objects.get(case_number="2026/1001")
        owner = User.objects.get(email=DEMO_PEOPLE["owner"])
        membership_add(  # the manager also in a project with an evaluation
            project=Project.objects.get(case_number="2024/0900"), user=User.objects.get(email=DEMO_PEOPLE["manager"]),
            role=Role.MANAGER, by=owner,
        )  # fmt: skip
        meeting = Meeting.objects.filter(project=first).order_by("held_on").first()
        meeting_attachment_add(
            meeting=meeting, by=owner, upload=SimpleUploadedFile("referat.pdf", PDF, "application/pdf")
        )
        plan_add(
            project=first, by=owner, kind=PlanFile.Kind.FLOOR, description="Plantegning 3. etasje",
            upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
        )  # fmt: skip
        item = ChecklistItem.objects.filter(project=first, phase__completed_at__isnull=True).order_by("pk").first()
        attachment_add(item=item, by=owner, upload=SimpleUploadedFile("notat.pdf", PDF, "application/pdf"))
        for text in ("Verneombudet ønsker en befaring først.", "Befaring avtalt til neste uke."):
            item_comment(item=item, by=owner, text=text)
    # Two finished protocol versions per demo project, numbered after whatever the seeding asked for (the archive asks
    # for a protocol on the consultation's last sign-off, so version 1 may already stand, pending); outside the `if`
    # so a kept database whose earlier preparation stopped half-way gets them on the next run.
    from django.db.models import Max

    DONE = GeneratedDocument.Status.DONE
    owner = User.objects.get(email=DEMO_PEOPLE["owner"])
    for project in Project.objects.filter(case_number__in=cases):
        protocols = GeneratedDocument.objects.filter(project=project, kind="participation-protocol")
        if protocols.filter(file__startswith="documents/bench-").exists():
            continue
        last = protocols.aggregate(last=Max("version"))["last"] or 0
        GeneratedDocument.objects.bulk_create(
            [
                GeneratedDocument(project=project, kind="participation-protocol", version=v, status=DONE,
                         file=f"documents/bench-{project.pk}-{v}.pdf", sha256="0" * 64, size=len(PDF), pages=1,
                         requested_by=owner, generated_at=timezone.now())
                for v in (last + 1, last + 2)
            ]
        )  # fmt: skip
    world.demo = {p.case_number: p for p in Project.objects.filter(case_number__in=cases)}
    world.people = {role: User.objects.get(email=email) for role, email in DEMO_PEOPLE.items()}
    world.people.update(rep=world.representative, coordinator=world.coordinator, HR=world.hr)
