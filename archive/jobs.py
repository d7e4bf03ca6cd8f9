"""The archive's kind of deferred work in the outbox (`projects.outbox`): sending one archiving. Imported by
`archive/hooks.py`, so that web processes and workers know it alike.

The outbox retries a raising handler with a growing pause; `archiving_send` counts the attempts itself
(ARCHIVE_MAX_ATTEMPTS) and gives up with `outbox.GiveUp`, so the job's own limit is only a ceiling."""

from projects import outbox


def _failed(job):
    from .services import archiving_failed

    archiving_failed(job)


@outbox.handler("archive.send", max_attempts=50, on_failure=_failed)
def archive_send(job):
    from .services import archiving_send

    archiving_send(archiving_id=job.payload["archiving_id"])
