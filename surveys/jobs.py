"""The surveys' deferred work in the outbox: invitation and reminder e-mails (idempotent: an invitation that was
sent, a reminder number that went out, somebody who answered or a closed survey gets nothing)."""

from projects import outbox


@outbox.handler("surveys.invite", max_attempts=8)
def invite(job):
    from .services import invitation_send

    invitation_send(invitation_id=job.payload["id"], number=0)


@outbox.handler("surveys.remind", max_attempts=8)
def remind(job):
    from .services import invitation_send

    invitation_send(invitation_id=job.payload["id"], number=job.payload["number"])


@outbox.handler("surveys.round_invite", max_attempts=8)
def round_invite(job):
    from .services import round_invitation_send

    round_invitation_send(recipient_id=job.payload["id"])
