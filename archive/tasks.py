"""The archive's periodic task (Celery beat, `archive-poll` in CELERY_BEAT_SCHEDULE): read the receipts the
transport has, and give a send job to what waits without one. The sending itself is the outbox's job."""

from celery import shared_task


@shared_task(acks_late=True)
def archive_poll() -> dict:
    from . import services

    counts = services.receipts_read()
    counts["enqueued"] = services.waiting_enqueue()
    return counts
