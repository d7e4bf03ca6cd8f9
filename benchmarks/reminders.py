"""The reminder scan over 10 000 due checklist items: time and number of queries (`make bench`).

The items are made and scanned inside a transaction that is rolled back, so the world stays as it was.
"""

import time

from benchmarks import Measurement, register


def make_due_items(*, n, today, people=50):
    """A project with `n` open items due tomorrow, assigned round-robin to `people` working-group members."""
    from datetime import timedelta

    from phases.models import Activity, ChecklistItem, Phase
    from projects.models import Membership, Project, Role, User

    owner = User.objects.create_user(f"bench-owner-{n}@example.no", full_name="Bench Owner")
    project = Project.objects.create(name=f"Benk {n}", created_by=owner)
    users = User.objects.bulk_create(
        [User(email=f"bench-{n}-{i}@example.no", full_name=f"Person {i}") for i in range(people)]
    )
    users = list(User.objects.filter(email__startswith=f"bench-{n}-"))
    Membership.objects.bulk_create([Membership(project=project, user=u, role=Role.MEMBER) for u in users])
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    phase = Phase.objects.create(project=project, key="p", order=1, name_nb="Fase", name_en="Phase")
    activity = Activity.objects.create(
        project=project, phase=phase, key="a", order=1, name_nb="Aktivitet", name_en="Activity", owner_role=Role.OWNER
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                project=project, phase=phase, activity=activity, key=f"i{i}", order=i % 30000,
                text_nb=f"Punkt {i}", text_en=f"Item {i}", assignee=users[i % len(users)],
                due_date=today + timedelta(days=1),
            )
            for i in range(n)
        ],
        batch_size=2000,
    )  # fmt: skip
    return project


class _Rollback(Exception):
    pass


@register("reminder scan", order=60)
def reminder_scan(ctx, n=10_000, runs=3):
    """The periodic scan when 10 000 items fall due at once (on top of the world's own reminders): the first
    scan records them and creates the digests; a repeat scan finds nothing new. Each run is rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from projects.services import reminders_scan

    first, repeat, queries, counts = [], [], 0, None
    now = timezone.now().replace(hour=9)
    for _ in range(runs):
        try:
            with transaction.atomic():
                make_due_items(n=n, today=timezone.localdate())
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    result = reminders_scan(now=now)
                    first.append((time.perf_counter() - started) * 1000)
                queries, counts = len(captured.captured_queries), result
                started = time.perf_counter()
                reminders_scan(now=now)
                repeat.append((time.perf_counter() - started) * 1000)
                raise _Rollback
        except _Rollback:
            pass
    note = f"{counts.new} reminders, {len(counts.emails)} digests"
    return [
        Measurement(f"reminder scan, {n:,} items due".replace(",", " "), first, queries, note=note),
        Measurement("reminder scan repeated (nothing new)", repeat),
    ]
