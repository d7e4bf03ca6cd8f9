"""Background work for projects. The broker carries only wake-ups: the work itself is a row of the outbox
(`projects.outbox`, `projects.models.Job`), claimed with a lease and run by its registered handler."""

from celery import shared_task
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _


def invitation_send(user_id: int, by_id: int, project_id: int | None, base_url: str = "") -> None:
    """E-mail an invited person how to log in: a link for choosing a password, or, while local log-in is off,
    the log-in page where they use their municipality account, as plain text and as HTML (the same words and
    link). Sends nothing once a password is set.

    Links start with SITE_URL, never with the inviter's host (`base_url` is ignored: tasks queued before the
    change still carry it).
    """
    from django.conf import settings

    from .models import Project, User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return
    by = User.objects.get(pk=by_id)
    project = Project.objects.filter(pk=project_id).first() if project_id else None
    if settings.LOCAL_LOGIN_ENABLED:
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    else:
        path = reverse("login")
    context = {
        "user": user,
        "by": by,
        "project": project,
        "link": settings.SITE_URL + path,
        "local_login": settings.LOCAL_LOGIN_ENABLED,
        "sso_provider": settings.OIDC_PROVIDER_NAME,
    }
    with translation.override(user.preferred_language):
        subject = _("You have been invited to Prosessguiden")
        context = {**context, "subject": subject, "LANGUAGE_CODE": user.preferred_language}
        body = render_to_string("registration/invitation_email.txt", context)
        html = render_to_string("registration/invitation_email.html", context)
    # Plain text and HTML with the same words and the same link (from SITE_URL), as the reminder e-mails
    message = EmailMultiAlternatives(subject, body, None, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def job_run(job_id: int) -> str:
    """Run one job of the outbox (idempotent: a job that is done, or running elsewhere, is left alone)."""
    from . import outbox

    return outbox.run(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def jobs_sweep() -> int:
    """The periodic sweep (CELERY_BEAT_SCHEDULE): wake what waits and what a dead worker left."""
    from . import outbox

    return outbox.sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def reminders_scan() -> int:
    """The periodic scan (CELERY_BEAT_SCHEDULE): record what is due and put the e-mails in the outbox."""
    from .services import reminders_scan as scan

    return scan().new
