"""The one upload policy and the one file download, used by every app that stores attachments.

`upload_check` refuses a file by type (suffix, checked against the first bytes), size and emptiness;
`attachment_store` checks an upload and stores it on an `projects.models.Attachment` of any app;
`AttachmentField` is the form field whose hint names exactly those types; `file_download` sends a stored
file after the caller has checked access, once its SHA-256 matches the one recorded when it was stored;
`attachment_remove_page` is the confirmation page for removing an attachment; `projects.forms.form_errors_from` puts a
service's ValidationError on a form.

Files are stored and read through Django's storage API only (never a path on disk), so the same code works
with the local folder and with object storage (config/storage.py).
"""

import hashlib
import logging
import mimetypes
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# A download is read whole and checked before its first byte is sent: up to this size in memory, beyond it
# in a temporary file of this process (never shared, gone when the response closes).
DOWNLOAD_SPOOL_BYTES = 4 * 1024 * 1024
ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".pptx": b"PK\x03\x04",
    ".odt": b"PK\x03\x04",
    ".ods": b"PK\x03\x04",
    ".txt": None,
    ".csv": None,
}


def allowed_types_text() -> str:
    return ", ".join(sorted(ALLOWED_ATTACHMENT_TYPES))


def _hint():
    return _("Accepted file types: %(types)s; at most %(size)s.") % {
        "types": allowed_types_text(),
        "size": filesizeformat(MAX_ATTACHMENT_BYTES),
    }


class AttachmentField(forms.FileField):
    """A file field whose hint and `accept` list name exactly the types `upload_check` accepts."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("File"))
        kwargs.setdefault("help_text", lazy(_hint, str)())
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(sorted(ALLOWED_ATTACHMENT_TYPES))


def upload_check(upload) -> str:
    """Refuse what may not be stored; return the file's suffix."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(
            {"file": _("Files of this type cannot be attached. Allowed: %(types)s.") % {"types": allowed_types_text()}}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    magic = ALLOWED_ATTACHMENT_TYPES[suffix]
    head = upload.read(8)
    upload.seek(0)
    if magic is not None and not head.startswith(magic):
        raise ValidationError(
            {"file": _("The file's content does not match its name (%(suffix)s).") % {"suffix": suffix}}
        )
    if magic is None and b"\x00" in upload.read(4096):
        raise ValidationError(
            {"file": _("The file's content does not match its name (%(suffix)s).") % {"suffix": suffix}}
        )
    upload.seek(0)
    return suffix


def upload_content_type(suffix: str) -> str:
    """The content type a checked upload is served with (from its suffix, never from the browser)."""
    return mimetypes.types_map.get(suffix, "application/octet-stream")


def attachment_store(attachment, *, upload, by):
    """Check `upload` and store it on the unsaved `attachment` (name, size, type, SHA-256, file), saving it.
    The calling service has checked who may attach and set the owner's foreign key and history user."""
    suffix = upload_check(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment.original_name = Path(upload.name).name[:255]
    attachment.size = upload.size
    attachment.sha256 = digest.hexdigest()
    attachment.content_type = upload_content_type(suffix)
    attachment.uploaded_by = by
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def attachment_remove_page(request, *, project, attachment, back, tab, remove):
    """Confirm, then remove an attachment with the service `remove()`; a refusal is shown on the page."""
    error = None
    if request.method == "POST":
        try:
            remove()
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
            return redirect(back)
    return render(
        request,
        "includes/attachment_remove.html",
        {"project": project, "attachment": attachment, "back": back, "error": error, "tab": tab},
        status=400 if error else 200,
    )


class StoredFileError(Exception):
    """A stored file that cannot be served as it was stored: missing, unreadable, or not matching its SHA-256.
    `projects.middleware.StoredFileErrorMiddleware` shows it as an error page; nothing of the file is sent."""


def verified_copy(file):
    """The stored `file`'s bytes in a temporary file positioned at 0, once their SHA-256 matches the one on its
    record (`file.instance.sha256`, kept when it was stored); StoredFileError when not."""
    expected = getattr(file.instance, "sha256", "")
    record = f"{type(file.instance).__name__} {file.instance.pk} ({file.name})"
    if not expected or not file.name:
        logger.error("Download refused: %s has no stored file or no SHA-256", record)
        raise StoredFileError(record)
    copy = tempfile.SpooledTemporaryFile(max_size=DOWNLOAD_SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    digest = hashlib.sha256()
    try:
        with file.open("rb") as stored:
            for chunk in stored.chunks():
                digest.update(chunk)
                copy.write(chunk)
    except Exception as exc:
        copy.close()
        logger.exception("Download refused: %s could not be read from the storage", record)
        raise StoredFileError(record) from exc
    if digest.hexdigest() != expected:
        copy.close()
        logger.error(
            "Download refused: %s has SHA-256 %s, but %s was recorded when it was stored",
            record,
            digest.hexdigest(),
            expected,
        )
        raise StoredFileError(record)
    copy.seek(0)
    return copy


def file_download(file, filename, content_type, inline=False):
    """Send a stored file after the caller has checked access: a download unless `inline`, never sniffed.

    The file is read from the storage (local or object storage) and its SHA-256 checked against its record
    before anything is sent; a missing or changed file raises StoredFileError (an error page, not the file).
    """
    response = FileResponse(verified_copy(file), as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
