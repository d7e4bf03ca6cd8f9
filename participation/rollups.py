"""Each project's participation rollup for the coordinators' overview (`ParticipationRollup`).

`participation_refresh(project_ids)` computes it from the steps, sign-offs and memberships and stores it, inside
the calling service's transaction, with the rollup rows locked first (as `phases.rollups` explains): the
services that send a step or record a sign-off call it, and projects' membership services call every app's
refresher (`projects.extensions.rollups_refresh`), since a sign-off counts only while its signer holds the role.

`open_signoffs_refresh(project_ids)` likewise stores the projects' open sign-off obligations (`OpenSignOff`, one
row per step and role still to sign), which "waiting for my sign-off" reads, and `latest_signoffs_refresh` each
person's newest sign-off of each step (`LatestSignOff`), which the inbox's *Dine avgjørelser* reads; `refresh`
runs all three, the rollup first, so the others are written under its row locks.
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from projects import extensions
from projects.models import PARTY_ROLES

FIELDS = ("signoffs_waiting", "objections", "safety_reps")


def fresh(project_ids) -> dict:
    """{project id: {field: value}}: the rollup as the rows stand now (two queries), with the number of safety
    representatives among the members (the overview's "no safety representative"). The steps waiting for a
    sign-off are the distinct steps of the open sign-offs (`open_signoff_rows`): the same rule as "waiting for my
    sign-off", computed rather than read from `OpenSignOff`, which is stored after this row is locked."""
    from projects.models import Membership, Project, Role

    from .selectors import live_objections

    ids = list(project_ids)
    objections = live_objections().filter(step__project=OuterRef("pk"))  # answered ones are not counted
    counted = objections.order_by().values("step__project").annotate(n=Count("pk")).values("n")
    reps = (
        Membership.objects.filter(project=OuterRef("pk"), role=Role.SAFETY_REP)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = Project.objects.filter(pk__in=ids).annotate(
        n=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
        reps=Coalesce(Subquery(reps, output_field=IntegerField()), 0),
    )
    waiting = Counter(project for _step, project in {(step, project) for step, project, *_ in open_signoff_rows(ids)})
    return {
        pk: {"signoffs_waiting": waiting[pk], "objections": n, "safety_reps": reps}
        for pk, n, reps in rows.values_list("pk", "n", "reps")
    }


def stored(project_ids) -> dict:
    from .models import ParticipationRollup

    rows = ParticipationRollup.objects.filter(project_id__in=project_ids).values("project_id", *FIELDS)
    return {row.pop("project_id"): row for row in rows}


@extensions.register("rollup_refresher")
def participation_refresh(project_ids) -> None:
    from .models import ParticipationRollup

    extensions.rollup_rows_store(ParticipationRollup, project_ids, fresh, FIELDS)


def open_signoffs_computed(project_ids) -> set[tuple]:
    """(step id, role, time the version was sent) of every sign-off the projects' steps wait for, from the rows
    as they stand now: the step was sent for sign-off, requires the role, and no sign-off of its current version
    counts for it (`selectors.counting_signoffs`). One query."""
    return {(step, role, version_at) for step, _project, role, version_at in open_signoff_rows(project_ids)}


def open_signoff_rows(project_ids) -> set[tuple]:
    from django.db.models import Exists

    from .models import Step
    from .selectors import counting_signoffs

    signed = {f"signed_{role}": Exists(counting_signoffs(role)) for role in sorted(PARTY_ROLES)}
    rows = (
        Step.objects.filter(project_id__in=list(project_ids), is_sent=True)
        .annotate(**signed)
        .values("pk", "project_id", "required_roles", "version_at", *signed)
    )
    return {
        (row["pk"], row["project_id"], role, row["version_at"])
        for row in rows
        for role in row["required_roles"]
        if role in PARTY_ROLES and not row[f"signed_{role}"]
    }


def open_signoffs_stored(project_ids) -> set[tuple]:
    from .models import OpenSignOff

    rows = OpenSignOff.objects.filter(project_id__in=list(project_ids)).values_list("step_id", "role", "version_at")
    return set(rows)


def _lock_rollup_rows(ids) -> None:
    """Lock the projects' rollup rows in project order, as `participation_refresh` does. In a service's
    transaction they are held already; a refresher run on its own (the repair command runs each in turn, outside
    any service) takes them before it computes, so a service on the same project waits for what it writes, and
    it waits for a service in progress, instead of writing rows computed before that service over its rows."""
    from .models import ParticipationRollup

    rows = ParticipationRollup.objects.select_for_update().filter(project_id__in=ids).order_by("project_id")
    list(rows.values_list("project_id", flat=True))


def rows_replace(model, fields, project_ids, rows) -> None:
    """Delete the projects' rows of `model` and insert `rows` (tuples of `fields`): how the refreshers below
    and a data migration that fills these tables would store them (passing its own historical model)."""
    model.objects.filter(project_id__in=project_ids).delete()
    model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in sorted(rows)], batch_size=1000)


def _store(model, fields, project_ids, compute) -> None:
    """Compute the projects' rows with `compute(ids)` and store them again, under the projects' rollup rows'
    locks (`_lock_rollup_rows`), so a second transaction on the same project waits for this one."""
    ids = sorted(set(project_ids))
    if not ids:
        return
    with transaction.atomic():
        _lock_rollup_rows(ids)
        rows_replace(model, fields, ids, compute(ids))


OPEN_FIELDS = ("step_id", "project_id", "role", "version_at")  # the order of `open_signoff_rows`' tuples


@extensions.register("rollup_refresher")
def open_signoffs_refresh(project_ids) -> None:
    """Store the projects' open sign-offs again (delete and insert)."""
    from .models import OpenSignOff

    _store(OpenSignOff, OPEN_FIELDS, project_ids, open_signoff_rows)


LATEST_FIELDS = ("signer_id", "step_id", "project_id", "signoff_id", "step_version", "decision", "signed_at")


def latest_signoff_rows(project_ids) -> list[tuple]:
    """Each person's newest sign-off of each step of the projects (newest by time, then by id), from the
    sign-offs as they stand, as tuples of `LATEST_FIELDS`, sorted. One query."""
    from .models import SignOff

    newest = {}
    rows = (
        SignOff.objects.filter(step__project_id__in=list(project_ids))
        .order_by("signed_at", "id")
        .values_list("signer_id", "step_id", "step__project_id", "id", "step_version", "decision", "signed_at")
    )
    for row in rows:
        newest[row[:2]] = row
    return sorted(newest.values())


def latest_signoffs_computed(project_ids) -> set[tuple]:
    return set(latest_signoff_rows(project_ids))


def latest_signoffs_stored(project_ids) -> set[tuple]:
    from .models import LatestSignOff

    return set(LatestSignOff.objects.filter(project_id__in=list(project_ids)).values_list(*LATEST_FIELDS))


@extensions.register("rollup_refresher")
def latest_signoffs_refresh(project_ids) -> None:
    """Store each person's newest sign-off of each step of the projects again (delete and insert). Sign-offs are
    never changed or deleted, so only recording one changes what is stored; the repair command runs it too."""
    from .models import LatestSignOff

    _store(LatestSignOff, LATEST_FIELDS, project_ids, latest_signoff_rows)


def refresh(project_id) -> None:
    participation_refresh([project_id])
    open_signoffs_refresh([project_id])
    latest_signoffs_refresh([project_id])
