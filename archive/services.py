"""Every write of the archive app: asking for an archiving, sending it, reading its receipt, screening.

- `archive_event` / `archiving_request`: in the transaction of the event (a phase completed, the mandate's
  consultation signed, the evaluation completed, the project completed) or of the owner's "Send til arkiv": a
  new document version (for an event) and its `Archiving` row, unique per document version. Its sending job
  (outbox kind "archive.send") is stored once the PDF exists: at once for a document that is done, else in the
  transaction that stores the rendered file (hook `document_rendered`).
- `archiving_send`: with the archiving's row locked (one sender at a time, whatever the number of workers), and
  only while it is queued: build the arkivmelding, validate it against KS's XSD (invalid: failed with the
  schema's error, never sent), send it through the transport (idempotent per message id), record it as sent.
  A transport error is recorded with the attempt and raised, so the outbox tries again later with a growing
  pause; after ARCHIVE_MAX_ATTEMPTS it is failed with the reason.
- `receipts_read` / `receipt_record`: a receipt is validated; a valid one sets the archive's record number on
  the archiving, and its case number on the project's case folder (and on the project when it had none); an
  invalid one is refused with the schema's error, shown on the document's row.
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from projects import documents, outbox
from projects import services as project_services
from projects.models import GeneratedDocument, Membership, Project, Role, User
from projects.services import with_history_user

from . import message, transports
from .models import ArchiveCase, Archiving, Screening

logger = logging.getLogger(__name__)

SEND_JOB = "archive.send"
CASE_NUMBER = re.compile(r"^\s*(\d{4})\s*/\s*(\d{1,9})\s*$")

# What each event sends: the kind of generated document.
EVENT_KINDS = {
    Archiving.Trigger.PHASE: "participation-protocol",
    Archiving.Trigger.MANDATE: "mandate",
    Archiving.Trigger.EVALUATION: "evaluation-report",
    Archiving.Trigger.CLOSED: "final-documentation",
}


def config() -> message.Config:
    return message.Config(
        system=settings.ARCHIVE_SYSTEM,
        part=settings.ARCHIVE_PART,
        class_system=settings.ARCHIVE_CLASS_SYSTEM,
        class_value=settings.ARCHIVE_CLASS_VALUE,
    )


def screening_for(kind: str) -> tuple[str, str] | None:
    """The screening of a kind of document: a coordinator's choice, else ARCHIVE_SCREENING's default."""
    row = Screening.objects.filter(kind=kind).first()
    if row is not None:
        return (row.code, row.legal_basis) if row.code else None
    default = settings.ARCHIVE_SCREENING.get(kind)
    if default and default[0]:
        return (str(default[0]), str(default[1]) if len(default) > 1 else "")
    return None


# Asking ---------------------------------------------------------------------------------------------------


def _enqueue(archiving: Archiving) -> None:
    """Its send job (no transport: none; the poll gives it one once a transport is set)."""
    if not transports.configured():
        return
    outbox.enqueue(SEND_JOB, key=archiving.job_key, payload={"archiving_id": archiving.pk})


def archiving_request(*, document: GeneratedDocument, trigger: str, by: User | None = None) -> Archiving:
    """The archiving of this document version (created once, however often and by however many asked)."""
    key = Archiving.key_for(document)
    with transaction.atomic():
        existing = Archiving.objects.filter(key=key).first()
        if existing is not None:
            return existing
        archiving = with_history_user(
            Archiving(key=key, project_id=document.project_id, document=document, trigger=trigger, requested_by=by),
            by,
        )
        try:
            with transaction.atomic():
                archiving.save()
        except IntegrityError:  # asked for at the same moment elsewhere
            return Archiving.objects.get(key=key)
        if document.status == GeneratedDocument.Status.DONE:
            _enqueue(archiving)
    return archiving


def renderable(project: Project, kind: str) -> bool:
    """Whether the project has what a version of this kind is made from (a project completed before it moved in
    has no evaluation, so neither a report nor final documentation; a mandate consultation may be signed before
    anybody started the mandate's document)."""
    from evaluation.models import Evaluation
    from workproducts.models import WorkProduct
    from workproducts.registry import kinds as workproduct_kinds

    if kind in ("evaluation-report", "final-documentation"):
        return Evaluation.objects.filter(project=project).exists()
    if kind in workproduct_kinds():
        return WorkProduct.objects.filter(project=project, kind=kind).exists()
    return kind in documents.kinds()


def archive_event(*, project: Project, trigger: str, by: User) -> Archiving | None:
    """A new version of the event's document, asked for the record, and its archiving (in the event's
    transaction). The version is rendered by the worker and sent once it exists. Nothing when the project has
    nothing such a document is made from."""
    kind = EVENT_KINDS[trigger]
    if kind not in documents.kinds() or not renderable(project, kind):
        return None
    document = project_services.document_request(project=project, kind=kind, by=by, check_perm=False)
    return archiving_request(document=document, trigger=trigger, by=by)


@transaction.atomic
def archiving_send_by_hand(*, document: GeneratedDocument, by: User) -> Archiving:
    """The owner's "Send til arkiv" on a generated PDF's row."""
    if not by.has_perm("archive.send_document", document.project):
        raise PermissionDenied
    if not document.is_done:
        raise ValidationError(_("Only a finished version can be sent to the archive."))
    return archiving_request(document=document, trigger=Archiving.Trigger.MANUAL, by=by)


def document_rendered(document: GeneratedDocument) -> None:
    """Hook `document_rendered`: the archiving that waited for this version's file may now be sent."""
    archiving = Archiving.objects.filter(key=Archiving.key_for(document), state=Archiving.State.QUEUED).first()
    if archiving is not None:
        _enqueue(archiving)


# Sending --------------------------------------------------------------------------------------------------


def _owners(project) -> str:
    owners = (
        Membership.objects.filter(project=project, role=Role.OWNER).select_related("user").order_by("user__full_name")
    )
    return ", ".join(m.user.full_name for m in owners if m.user.full_name)


def _folder(archiving: Archiving, case: ArchiveCase) -> message.CaseFolder:
    project = archiving.project
    key = f"prosjekt-{project.pk}"
    number = CASE_NUMBER.match(project.case_number or "")
    if number:
        return message.CaseFolder(message.Folder.NUMBER, key, year=int(number[1]), sequence=int(number[2]))
    if case.case_year and case.case_sequence:
        return message.CaseFolder(message.Folder.NUMBER, key, year=case.case_year, sequence=case.case_sequence)
    if case.created_by_id and case.created_by_id != archiving.pk:
        return message.CaseFolder(message.Folder.KEY, key)
    units = ", ".join(u.name for u in project.units.all().order_by("name")[:3])
    return message.CaseFolder(
        message.Folder.CREATE,
        key,
        title=project.name,
        unit=units,
        responsible=_owners(project),
        opened=project.start_date,
    )


def file_name(document: GeneratedDocument) -> str:
    stem = slugify(documents.kind(document.kind).filename) or "dokument"
    return f"{stem}-{document.project_id}-v{document.version}.pdf"


def build(archiving: Archiving, case: ArchiveCase) -> tuple[message.CaseFolder, bytes, bytes]:
    """(folder, arkivmelding.xml, the PDF) of this archiving as it would leave now."""
    document = archiving.document
    with document.file.open("rb") as f:
        pdf = f.read()
    kind = documents.kind(document.kind)
    folder = _folder(archiving, case)
    title = f"{str(kind.label)[:1].upper()}{str(kind.label)[1:]}, versjon {document.version} – {archiving.project.name}"
    record = message.Record(
        title=title,
        kind=document.kind,
        key=f"dokument-{document.pk}",
        document_date=timezone.localdate(document.generated_at),
        author=documents.author(document),
        file_name=file_name(document),
        file_ref=file_name(document),
        sha256=document.sha256,
        size=document.size or len(pdf),
        version=document.version,
        created=document.generated_at,
        screening=screening_for(document.kind),
    )
    return folder, message.build(config=config(), folder=folder, record=record), pdf


def archiving_send(*, archiving_id: int, transport: transports.Transport | None = None) -> Archiving | None:
    """Send one queued archiving (the outbox's job, `archive_send`). Exactly once: the row is locked while it
    is sent and only a queued one is sent; the transport recognises a message it already has."""
    transport = transport or transports.get()
    error = None
    with transaction.atomic():
        archiving = (
            Archiving.objects.select_for_update(of=("self",))
            .select_related("project", "document")
            .filter(pk=archiving_id)
            .first()
        )
        if archiving is None or archiving.state != Archiving.State.QUEUED or transport is None:
            return archiving
        if not archiving.document.is_done:  # waits for the worker to render it (`document_rendered`)
            return archiving
        ArchiveCase.objects.get_or_create(project=archiving.project)
        case = ArchiveCase.objects.select_for_update().get(project=archiving.project)  # one folder per project
        with translation.override("nb"):  # the record's words are bokmål, whoever's request sends it
            folder, xml, pdf = build(archiving, case)
        problems = message.validate(xml)
        if problems:
            _fail(archiving, _("The message does not validate against the archive's schema: %(errors)s")
                  % {"errors": "; ".join(problems)})  # fmt: skip
            return archiving
        archiving.attempts += 1
        try:
            transport.send(
                transports.Message(id=str(archiving.message_id), xml=xml, files=[(file_name(archiving.document), pdf)])
            )
        except Exception as exc:  # recorded, then raised after the commit so that the outbox tries again
            error = exc
            reason = f"{type(exc).__name__}: {exc}"[:2000]
            if archiving.attempts >= settings.ARCHIVE_MAX_ATTEMPTS:
                _fail(archiving, reason)
                error = outbox.GiveUp(reason)
            else:
                archiving.error = reason
                with_history_user(archiving, None).save(update_fields=["attempts", "error"])
        else:
            archiving.state = Archiving.State.SENT
            archiving.sent_at = timezone.now()
            archiving.error = ""
            archiving.creates_case = folder.mode == message.Folder.CREATE
            with_history_user(archiving, None).save(
                update_fields=["state", "sent_at", "error", "attempts", "creates_case"]
            )
            if archiving.creates_case:
                case.created_by = archiving
                case.save(update_fields=["created_by"])
    if error is not None:
        raise error
    return archiving


def _fail(archiving: Archiving, reason: str) -> None:
    archiving.state = Archiving.State.FAILED
    archiving.error = reason[:4000]
    with_history_user(archiving, None).save(update_fields=["state", "error", "attempts"])


def archiving_failed(job) -> None:
    """The outbox gave up on a send job (on_failure): the archiving is failed with the job's last error."""
    archiving_id = (job.payload or {}).get("archiving_id")
    with transaction.atomic():
        archiving = Archiving.objects.select_for_update().filter(pk=archiving_id).first()
        if archiving is not None and archiving.state == Archiving.State.QUEUED:
            _fail(archiving, job.last_error or _("Sending failed."))


def archiving_resend(*, key: str, by: User | None = None) -> Archiving:
    """Queue a failed archiving again (after its cause is fixed): a new message id, attempts from 0."""
    import uuid

    with transaction.atomic():
        archiving = Archiving.objects.select_for_update().filter(key=key).first()
        if archiving is None:
            raise ValidationError(_("No archiving has the key %(key)s.") % {"key": key})
        if by is not None and not by.has_perm("archive.manage_archive"):
            raise PermissionDenied
        if archiving.state != Archiving.State.FAILED:
            raise ValidationError(_("Only a failed archiving can be sent again."))
        archiving.state = Archiving.State.QUEUED
        archiving.attempts = 0
        archiving.error = ""
        archiving.rounds += 1
        archiving.message_id = uuid.uuid4()
        with_history_user(archiving, by).save()
        if archiving.document.is_done:
            _enqueue(archiving)
    return archiving


def queued_send(*, transport=None, render=True) -> dict:
    """Send every queued archiving now (the command `archive_send`): a version still waiting to be rendered is
    rendered first (its own outbox job, claimed as the worker would). Returns the counts by outcome."""
    from projects.models import Job

    transport = transport or transports.get()
    counts = {"sent": 0, "failed": 0, "waiting": 0, "errors": 0}
    if transport is None:
        counts["waiting"] = Archiving.objects.filter(state=Archiving.State.QUEUED).count()
        return counts
    ids = list(Archiving.objects.filter(state=Archiving.State.QUEUED).order_by("created_at", "pk").values_list(
        "pk", "document_id", "document__status"
    ))  # fmt: skip
    for pk, document_id, status in ids:
        if status != GeneratedDocument.Status.DONE and render:
            job = Job.objects.filter(key=f"document:{document_id}").first()
            if job is not None:
                outbox.run(job.pk)
            else:
                project_services.document_render(document_id=document_id)
        try:
            archiving = archiving_send(archiving_id=pk, transport=transport)
        except Exception:
            logger.warning("Archiving %s could not be sent", pk, exc_info=True)
            archiving = Archiving.objects.get(pk=pk)
            counts["errors"] += archiving.state == Archiving.State.QUEUED
        if archiving.state == Archiving.State.SENT:
            counts["sent"] += 1
        elif archiving.state == Archiving.State.FAILED:
            counts["failed"] += 1
        elif archiving.state == Archiving.State.QUEUED:
            counts["waiting"] += 1
    counts["failed"] += unrenderable_fail()
    counts["waiting"] = Archiving.objects.filter(state=Archiving.State.QUEUED).count()
    return counts


def unrenderable_fail() -> int:
    """A queued archiving whose version could not be generated is failed with the reason (the coordinator sees it
    on *Oversikt*; a new version is archived when the event comes again or the owner sends it)."""
    failed = 0
    for archiving in Archiving.objects.filter(
        state=Archiving.State.QUEUED, document__status=GeneratedDocument.Status.FAILED
    ).select_related("document")[:500]:
        with transaction.atomic():
            locked = Archiving.objects.select_for_update().get(pk=archiving.pk)
            if locked.state == Archiving.State.QUEUED:
                _fail(locked, _("The PDF could not be generated: %(error)s") % {"error": archiving.document.error})
                failed += 1
    return failed


def waiting_enqueue() -> int:
    """The periodic task's net under the outbox: a queued archiving whose PDF exists and whose send job is not
    pending or running (it ran while no transport was set, or the job was lost) gets a new one; one whose PDF
    could not be made is failed."""
    from projects.models import Job

    unrenderable_fail()
    if not transports.configured():
        return 0
    waiting = Archiving.objects.filter(
        state=Archiving.State.QUEUED, document__status=GeneratedDocument.Status.DONE
    ).order_by("pk")[:500]
    by_key = {a.job_key: a for a in waiting}
    live = set(
        Job.objects.filter(key__in=list(by_key), state__in=[Job.State.PENDING, Job.State.RUNNING]).values_list(
            "key", flat=True
        )
    )
    known = set(Job.objects.filter(key__in=list(by_key)).values_list("key", flat=True))
    n = 0
    for key, archiving in by_key.items():
        if key in live:
            continue
        with transaction.atomic():
            if key in known:  # done or failed without sending: a new round
                Archiving.objects.filter(pk=archiving.pk, rounds=archiving.rounds).update(rounds=archiving.rounds + 1)
                archiving.rounds += 1
            _enqueue(archiving)
        n += 1
    return n


# Receipts -------------------------------------------------------------------------------------------------


def receipt_record(*, message_id: str, content: bytes) -> tuple[Archiving | None, str]:
    """Record one receipt. Returns (the archiving it answers or None, the error; empty when accepted)."""
    archiving = Archiving.objects.filter(message_id=message_id).first() if _is_uuid(message_id) else None
    if archiving is None:
        return None, _("No message with the id %(id)s was sent from here.") % {"id": message_id}
    receipt = message.parse_receipt(content)
    with transaction.atomic():
        archiving = Archiving.objects.select_for_update().select_related("project").get(pk=archiving.pk)
        if receipt.errors:
            error = _("The receipt does not validate against the archive's schema: %(errors)s") % {
                "errors": "; ".join(receipt.errors)
            }
            archiving.receipt_error = error[:4000]
            with_history_user(archiving, None).save(update_fields=["receipt_error"])
            return archiving, error
        if receipt.failed:
            _fail(archiving, _("The archive refused the message: %(reason)s") % {"reason": receipt.failed})
            archiving.receipt_error = ""
            archiving.save(update_fields=["receipt_error"])
            return archiving, ""
        archiving.state = Archiving.State.RECEIPT
        archiving.receipt_at = timezone.now()
        archiving.receipt_error = ""
        archiving.record_year = receipt.record_year
        archiving.record_sequence = receipt.record_sequence
        archiving.record_system_id = receipt.record_system_id[:64]
        with_history_user(archiving, None).save()
        if receipt.case_year and receipt.case_sequence:
            case, _created = ArchiveCase.objects.get_or_create(project=archiving.project)
            case = ArchiveCase.objects.select_for_update().get(pk=case.pk)
            case.case_year, case.case_sequence = receipt.case_year, receipt.case_sequence
            case.system_id = receipt.case_system_id[:64]
            with_history_user(case, None).save()
            _project_case_number(archiving.project, case.case_number)
    return archiving, ""


def _project_case_number(project: Project, number: str) -> None:
    """The archive's case number becomes the project's, when the project had none (and no other has it)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.case_number or Project.objects.filter(case_number=number).exists():
        return
    project.case_number = number
    with_history_user(project, None).save(update_fields=["case_number"])


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def receipts_read(*, transport=None) -> dict:
    """Read every receipt the transport has (the periodic task): each is accepted or refused with its error."""
    transport = transport or transports.get()
    counts = {"accepted": 0, "refused": 0}
    if transport is None:
        return counts
    for incoming in transport.receipts():
        try:
            _archiving, error = receipt_record(message_id=incoming.message_id, content=incoming.content)
        except Exception as exc:  # never stop at one bad file
            logger.exception("Receipt %s could not be read", incoming.name)
            error = f"{type(exc).__name__}: {exc}"
        if error:
            incoming.refuse(error)
            counts["refused"] += 1
        else:
            incoming.accept()
            counts["accepted"] += 1
    return counts


# Screening ------------------------------------------------------------------------------------------------


@transaction.atomic
def screening_set(*, kind: str, code: str, legal_basis: str, by: User) -> Screening:
    """A coordinator sets the screening of a kind of document (an empty code: not screened)."""
    if not by.has_perm("archive.manage_archive"):
        raise PermissionDenied
    if kind not in documents.kinds():
        raise ValidationError(_("Unknown kind of document."))
    code, legal_basis = (code or "").strip(), (legal_basis or "").strip()
    if code and not legal_basis:
        raise ValidationError({"legal_basis": _("Screening needs its legal basis, e.g. Offl. § 13.")})
    row = Screening.objects.select_for_update().filter(kind=kind).first() or Screening(kind=kind)
    row.code, row.legal_basis = code, legal_basis if code else ""
    row.updated_by, row.updated_at = by, timezone.now()
    row.full_clean()
    with_history_user(row, by).save()
    return row
