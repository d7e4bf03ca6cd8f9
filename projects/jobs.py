"""The core's kinds of deferred work in the outbox (`projects.outbox`): generated documents, invitations,
reminder e-mails, imports of uploaded files and a person's data export, as `outbox_handler` hook entries.
Imported by `projects/hooks.py`, so that web processes and workers know them alike."""

from . import outbox


def _document_failed(job):
    from .models import GeneratedDocument

    GeneratedDocument.objects.filter(pk=job.payload["document_id"]).exclude(
        status=GeneratedDocument.Status.DONE
    ).update(status=GeneratedDocument.Status.FAILED, error=job.last_error)


@outbox.handler("documents.render", max_attempts=3, on_failure=_document_failed)
def document_render(job):
    from .services import document_render as render

    render(document_id=job.payload["document_id"])


@outbox.handler("invitations.email", max_attempts=8)
def invitation_email(job):
    from .tasks import invitation_send

    invitation_send(**job.payload)


@outbox.handler("reminders.email", max_attempts=8)
def reminder_email(job):
    from .services import reminder_email_send

    reminder_email_send(email_id=job.payload["email_id"])


@outbox.handler("auth.password_reset", max_attempts=8)
def password_reset_email(job):
    """The password-reset e-mail; its token is made here, never stored in the job."""
    from .services import password_reset_send

    password_reset_send(user_id=job.payload["user_id"])


def _import_failed(job):
    from .models import FileImport

    FileImport.objects.filter(
        pk=job.payload["import_id"], status__in=[FileImport.Status.PENDING, FileImport.Status.RUNNING]
    ).update(status=FileImport.Status.FAILED)


@outbox.handler("imports.run", max_attempts=3, on_failure=_import_failed)
def file_import_run(job):
    """An uploaded spreadsheet, read, checked and written by `projects.services.file_import_run`."""
    from .services import file_import_run as run

    run(import_id=job.payload["import_id"])


def _personal_data_failed(job):
    from .services import personal_data_export_failed

    personal_data_export_failed(export_id=job.payload["export_id"])


@outbox.handler("personal_data.export", max_attempts=3, on_failure=_personal_data_failed)
def personal_data_export(job):
    """A person's data export (Settings → Your data): the JSON file and the notification that it is ready."""
    from .services import personal_data_export_make

    personal_data_export_make(export_id=job.payload["export_id"])
