"""The outbox: every piece of deferred work is a row (`projects.models.Job`) written in the same transaction as
the change that asks for it; the broker only carries a wake-up.

An app registers a handler for a kind of job under the hook `outbox_handler` (from its `hooks.py`, or a
`jobs.py` that its `hooks.py` imports):

    @outbox.handler("documents.render", max_attempts=3, on_failure=mark_failed)
    def render(job):
        ...  # job.payload is what was enqueued; idempotent: a run may repeat after a crash

and its service enqueues inside its transaction:

    outbox.enqueue("documents.render", key=f"document:{doc.pk}", payload={"document_id": doc.pk})

How a job runs (see docs/decisions.md, "One outbox for deferred work"):

- `enqueue` stores the row (its `key` is unique, so asking twice gives the same job) and, on commit, sends a
  wake-up (`projects.tasks.job_run`). A broker that cannot be reached is logged, never raised: the request
  has saved its change and the job waits in the table.
- `run` (the wake-up's task) claims the row with one conditional UPDATE: a pending job that is due, or a
  running job whose lease has expired (its worker died). The claim sets a lease that a heartbeat thread
  extends while the handler runs; the run's number (`attempts`) is the claim's token, so a worker that lost
  its lease cannot mark the job done or failed any more.
- A handler that raises is retried with growing pauses until `max_attempts`; `GiveUp` fails it at once. A
  failed job runs the kind's `on_failure(job)`.
- `sweep` (Celery beat, every OUTBOX_SWEEP_SECONDS) wakes what is due and was never woken (the broker was
  down), is due again after a pause, has waited past OUTBOX_REWAKE_SECONDS since its last wake-up, or was
  running past its lease; and fails what ran out of attempts that way.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import extensions
from .models import Job

logger = logging.getLogger(__name__)


class GiveUp(Exception):  # noqa: N818 (a verb, as in `raise outbox.GiveUp(...)`)
    """Raised by a handler when trying again cannot help (a template error, an object that is gone)."""


@dataclass(frozen=True)
class Kind:
    code: str
    fn: Callable[[Job], object]
    max_attempts: int = 5
    on_failure: Callable[[Job], object] | None = None


def handler(code: str, *, max_attempts: int = 5, on_failure: Callable[[Job], object] | None = None):
    """Register fn(job) as the handler of jobs of kind `code` (an `outbox_handler` hook entry)."""

    def register(fn):
        extensions.register("outbox_handler", Kind(code, fn, max_attempts, on_failure))
        return fn

    return register


def kinds() -> dict[str, Kind]:
    return extensions.by_key("outbox_handler", "code")


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 3600))


def enqueue(code: str, *, key: str, payload: dict | None = None) -> Job:
    """Store a job (or return the one with this key) and wake a worker once the transaction commits."""
    if code not in kinds():
        raise LookupError(f"No job handler {code!r} is registered")
    with transaction.atomic():
        job, created = Job.objects.get_or_create(key=key, defaults={"kind": code, "payload": payload or {}})
    if created:
        transaction.on_commit(lambda: wake([job.pk]), robust=True)
    return job


def enqueue_many(code: str, jobs: Iterable[tuple[str, dict]]) -> list[int]:
    """Store many jobs of one kind at once ((key, payload) pairs; known keys are left alone) and wake them on
    commit. Returns the ids of the jobs for these keys."""
    if code not in kinds():
        raise LookupError(f"No job handler {code!r} is registered")
    rows = [Job(kind=code, key=key, payload=payload) for key, payload in jobs]
    if not rows:
        return []
    Job.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    keys = [row.key for row in rows]
    ids = []
    for start in range(0, len(keys), 5000):
        ids += Job.objects.filter(key__in=keys[start : start + 5000], state=Job.State.PENDING).values_list(
            "pk", flat=True
        )
    transaction.on_commit(lambda: wake(ids), robust=True)
    return ids


def wake(job_ids: Iterable[int]) -> int:
    """Send a wake-up for each job. A broker that cannot be reached is logged and the rest are left to the
    sweep; `woken_at` records only wake-ups the broker took. Returns how many it took."""
    from .tasks import job_run

    sent = []
    for pk in job_ids:
        try:
            job_run.apply_async((pk,), retry=False)
        except Exception:
            logger.warning(
                "The broker did not take the wake-up of job %s; the outbox sweep sends it again later.",
                pk,
                exc_info=True,
            )
            break
        sent.append(pk)
    if sent:
        Job.objects.filter(pk__in=sent).update(woken_at=timezone.now())
    return len(sent)


def _claimable(now):
    return Q(state=Job.State.PENDING, run_after__lte=now) | Q(state=Job.State.RUNNING, lease_until__lt=now)


class _Heartbeat:
    """Extends the lease of a claimed job while its handler runs, from a thread of its own (so a worker that
    dies stops extending it, and the job is claimed again once the lease has run out)."""

    def __init__(self, pk, token):
        self.pk, self.token = pk, token
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"outbox-heartbeat-{pk}", daemon=True)

    def _beat(self):
        try:
            while not self.stop.wait(settings.OUTBOX_LEASE_SECONDS / 3):
                Job.objects.filter(pk=self.pk, state=Job.State.RUNNING, attempts=self.token).update(
                    lease_until=timezone.now() + _lease()
                )
        except Exception:
            logger.exception("Could not extend the lease of job %s", self.pk)
        finally:
            connections.close_all()  # this thread's own connections

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=30)


def run(job_id: int) -> str:
    """Claim the job and run its handler (the wake-up's task). Returns what happened: "done", "retry",
    "failed", or "skipped" when the job was not claimable (done, running elsewhere, not due yet, gone)."""
    now = timezone.now()
    claimed = (
        Job.objects.filter(_claimable(now), pk=job_id)
        .exclude(state=Job.State.RUNNING, attempts__gte=_max_attempts_of(job_id))
        .update(state=Job.State.RUNNING, attempts=F("attempts") + 1, lease_until=now + _lease())
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    kind = kinds().get(job.kind)
    if kind is None:  # a worker without this kind's code (an older version during a deploy): leave it
        Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
            state=Job.State.PENDING,
            attempts=F("attempts") - 1,
            lease_until=None,
            run_after=now + _lease(),
            last_error=f"No handler for {job.kind!r} in this worker",
        )
        return "skipped"
    try:
        with _Heartbeat(job.pk, job.attempts):
            kind.fn(job)
    except Exception as exc:
        logger.warning("Job %s (%s) failed on attempt %s", job.key, job.kind, job.attempts, exc_info=True)
        give_up = isinstance(exc, GiveUp) or job.attempts >= kind.max_attempts
        return _fail(job, kind, exc) if give_up else _retry_later(job, exc)
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts).update(
        state=Job.State.DONE, lease_until=None, finished_at=timezone.now(), last_error=""
    )
    return "done"


def _max_attempts_of(job_id) -> int:
    """A job found running past its lease is claimed again only while it has attempts left (else the sweep
    fails it): jobs whose handler kills the worker each time stop after max_attempts."""
    code = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first()
    kind = kinds().get(code)
    return kind.max_attempts if kind is not None else 5


def _error_text(exc) -> str:
    return (f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)[:2000]


def _retry_later(job, exc) -> str:
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts).update(
        state=Job.State.PENDING,
        lease_until=None,
        run_after=timezone.now() + _backoff(job.attempts),
        last_error=_error_text(exc),
    )
    return "retry"


def _fail(job, kind, exc) -> str:
    failed = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts).update(
        state=Job.State.FAILED, lease_until=None, finished_at=timezone.now(), last_error=_error_text(exc)
    )
    if failed and kind.on_failure is not None:
        job.refresh_from_db()
        try:
            kind.on_failure(job)
        except Exception:
            logger.exception("on_failure of job %s failed", job.key)
    return "failed"


def sweep(*, now=None, limit: int = 1000) -> int:
    """Wake what waits, claim again what a dead worker left, fail what ran out of attempts that way.
    Returns the number of wake-ups the broker took."""
    now = now or timezone.now()
    expired = Job.objects.filter(state=Job.State.RUNNING, lease_until__lt=now)
    for job in expired.order_by("lease_until")[:limit]:
        kind = kinds().get(job.kind)
        if kind is not None and job.attempts >= kind.max_attempts:
            _fail(job, kind, RuntimeError("The worker stopped while running this job (lease expired)"))
    rewake = now - timedelta(seconds=settings.OUTBOX_REWAKE_SECONDS)
    never_woken_since = Q(woken_at__isnull=True) | Q(woken_at__lt=rewake)
    due = (
        Job.objects.filter(
            Q(state=Job.State.PENDING, run_after__lte=now) & (never_woken_since | Q(woken_at__lt=F("run_after")))
            | Q(state=Job.State.RUNNING, lease_until__lt=now) & (never_woken_since | Q(woken_at__lt=F("lease_until")))
        )
        .order_by("run_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return wake(list(due))


def retry(key: str) -> Job | None:
    """Try a job again now ("try again" on a late or failed piece of work): a failed job starts over, a
    pending one is due at once; a running one is left to its worker (or to the sweep once its lease expired).
    The caller checks the permission."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(key=key).first()
        if job is None or job.state == Job.State.DONE:
            return job
        if job.state == Job.State.FAILED:
            job.attempts = 0
            job.finished_at = None
        if job.state in (Job.State.FAILED, Job.State.PENDING):
            job.state = Job.State.PENDING
            job.run_after = timezone.now()
            job.save(update_fields=["state", "attempts", "finished_at", "run_after"])
        transaction.on_commit(lambda: wake([job.pk]), robust=True)
    return job


def is_late(job_or_since, *, now=None) -> bool:
    """Whether work asked for at `since` (a datetime or a job) and not done yet is later than usual."""
    since = getattr(job_or_since, "created_at", job_or_since)
    return (now or timezone.now()) - since > timedelta(seconds=settings.OUTBOX_LATE_SECONDS)
