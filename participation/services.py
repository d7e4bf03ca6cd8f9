"""Writes for participation: steps and their content, meetings, sign-offs and the protocol PDF."""

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phases.models import Activity
from projects import extensions
from projects.models import EMPLOYER_ROLES, Project, User
from projects.permissions import acting_for, project_roles
from projects.services import fields_assign, with_history_user
from projects.uploads import attachment_store
from workproducts import selectors as workproducts

from . import rollups
from .models import Meeting, MeetingAttachment, SignOff, Step, StepVersion


def step_content(step: Step) -> str:
    """The content of a step as it stands (the draft), as canonical JSON: the step, its summary, every linked
    meeting with its participants, agenda, minutes, decisions and files, and the activity's document. Sending
    the step for sign-off stores this text as the version the representatives see and sign."""
    meetings = []
    if not step.pk:
        linked = []
    elif "meetings" in getattr(step, "_prefetched_objects_cache", {}):  # a page prefetched them
        linked = sorted(step.meetings.all(), key=lambda m: (m.held_on, m.id))
    else:
        linked = step.meetings.order_by("held_on", "id").prefetch_related("attachments", "participants")
    for m in linked:
        meetings.append(
            {
                "id": m.id,
                "type": m.type,
                "title": m.title,
                "date": m.held_on.isoformat(),
                "participants": sorted(p.full_name for p in m.participants.all()),
                "other_participants": m.other_participants,
                "agenda": m.agenda,
                "minutes": m.minutes,
                "decisions": m.decisions,
                "attachments": [{"name": a.original_name, "sha256": a.sha256} for a in m.attachments.all()],
            }
        )
    content = {
        "step": step.key,
        "name": step.name_nb,
        "description": step.description_nb,
        "summary": step.summary,
        "meetings": meetings,
    }
    document = step_document(step)
    if document is not None:
        content["work_product"] = document
    blocks = step_blocks(step)
    if blocks:  # left out when there are none, so the content of every other step keeps its SHA-256
        content["blocks"] = blocks
    return json.dumps(content, ensure_ascii=False, indent=1, sort_keys=True)


def step_blocks(step: Step) -> list[dict]:
    """Further content another app adds to this one step (hook `step_block`: fn(step) -> {"key", "title",
    "fields": [[key, label, value], …]} in bokmål, or None), e.g. a comment round's summary and answers."""
    if not step.pk:
        return []
    return [block for fn in extensions.get("step_block") if (block := fn(step))]


def step_document(step: Step) -> dict | None:
    """The work product of the step's activity (the mandate, say), which is part of what is signed. An
    information step confirms that information was given in time, not the document, so it has none."""
    if step.kind == Step.Kind.INFORMATION or not step.activity_id:
        return None
    if "_document" not in step.__dict__:  # read once per step object (a page asks several times)
        step.__dict__["_document"] = workproducts.content_for_activity(
            step.activity_id
        ) or workproducts.content_for_step_kind(step.kind, step.project_id)
    return step.__dict__["_document"]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


content_hash_of = _hash


def step_refresh(*, step: Step, by: User | None) -> Step:
    """Recompute the hash of the draft. A changed draft is only a draft: the version sent for sign-off, its
    content and its sign-offs stay as they are until the owner sends the step again (`step_send`)."""
    digest = _hash(step_content(step))
    if digest != step.draft_hash:
        step.draft_hash = digest
        with_history_user(step, by).save()
    return step


def _has_something_to_sign(step: Step, content: str) -> bool:
    data = json.loads(content)
    document = data.get("work_product") or {}
    blocks = data.get("blocks", [])  # another app's content of this one step: a comment round's summary, say
    return bool(
        data["summary"].strip()
        or data["meetings"]
        or any(value for _k, _l, value in document.get("fields", []))
        or any(value for block in blocks for _k, _l, value in block.get("fields", []))
    )


@transaction.atomic
def step_send(*, step: Step, by: User, draft_hash: str | None = None) -> Step:
    """Send the draft to the representatives as the next version: only a sent version is shown to them and
    can be signed, and sending it outdates the sign-offs of the version before. `draft_hash` is the draft the
    sender looked at; if the draft changed since, nothing is sent."""
    _require_manage(by, step.project)
    step = Step.objects.select_for_update(no_key=True).select_related("project").get(pk=step.pk)
    content = step_content(step)
    digest = _hash(content)
    if draft_hash is not None and draft_hash != digest:
        raise ValidationError(_("The draft changed since you opened it. Check it again before you send it."))
    if not _has_something_to_sign(step, content):
        raise ValidationError(_("There is nothing to sign yet: write a summary or link a meeting first."))
    if step.is_sent and digest == step.content_hash:
        raise ValidationError(_("Nothing has changed since version %(v)s was sent for sign-off.") % {"v": step.version})
    step.version += 1
    step.content, step.content_hash, step.draft_hash = content, digest, digest
    step.version_at = timezone.now()
    step.is_sent = True
    with_history_user(step, by).save()
    StepVersion.objects.create(
        step=step, number=step.version, content=content, content_hash=digest, sent_at=step.version_at, sent_by=by
    )
    rollups.refresh(step.project_id)
    return step


def steps_create(*, project: Project, by: User) -> list[Step]:
    """Create the participation steps the project's process template names on its activities."""
    steps = []
    for activity in Activity.objects.filter(project=project).order_by("phase__order", "order"):
        for spec in activity.participation_steps:
            step = Step(
                project=project, activity=activity, key=spec["key"], kind=spec["kind"],
                name_nb=spec["name"]["nb"], name_en=spec["name"]["en"],
                description_nb=spec["description"]["nb"], description_en=spec["description"]["en"],
                required_roles=list(spec["required_roles"]),
            )  # fmt: skip
            step.draft_hash = _hash(step_content(step))
            with_history_user(step, by).save()
            steps.append(step)
    return steps


def _require_manage(by, project):
    if not by.has_perm("participation.manage_plan", project):
        raise PermissionDenied


@transaction.atomic
def step_update(*, step: Step, by: User, summary: str, meetings) -> Step:
    _require_manage(by, step.project)
    step = Step.objects.select_for_update(no_key=True).get(pk=step.pk)
    if any(m.project_id != step.project_id for m in meetings):
        raise ValidationError({"meetings": _("Only meetings of this project can be linked.")})
    step.summary = summary.strip()
    step.meetings.set(meetings)
    return step_refresh(step=step, by=by)


@transaction.atomic
def meeting_save(*, project: Project, by: User, meeting: Meeting | None = None, participants=(), steps=(), **fields):
    """Create or change a meeting. Steps it is linked to (before or after) get a new version if their
    content changes as a result."""
    _require_manage(by, project)
    if any(s.project_id != project.pk for s in steps):
        raise ValidationError({"steps": _("Only steps of this project can be linked.")})
    before = set(meeting.steps.values_list("pk", flat=True)) if meeting else set()
    meeting = fields_assign(meeting or Meeting(project=project, created_by=by), fields, strip=False)
    meeting.full_clean(exclude=["created_by", "project"])
    with_history_user(meeting, by).save()
    meeting.participants.set(participants)
    meeting.steps.set(steps)
    for step in Step.objects.select_for_update(no_key=True).filter(pk__in=before | {s.pk for s in steps}):
        step_refresh(step=step, by=by)
    return meeting


@transaction.atomic
def meeting_attachment_add(*, meeting: Meeting, by: User, upload) -> MeetingAttachment:
    _require_manage(by, meeting.project)
    attachment = with_history_user(MeetingAttachment(meeting=meeting), by)
    attachment_store(attachment, upload=upload, by=by)
    for step in Step.objects.select_for_update(no_key=True).filter(meetings=meeting):
        step_refresh(step=step, by=by)
    return attachment


@transaction.atomic
def meeting_attachment_remove(*, attachment: MeetingAttachment, by: User) -> None:
    """Remove a file from a meeting, unless a sign-off approved content that includes it: what was signed
    stays as it was signed. Linked steps get a new version if their content changes."""
    meeting = attachment.meeting
    _require_manage(by, meeting.project)
    steps = list(Step.objects.select_for_update(no_key=True).filter(meetings=meeting))
    if (
        SignOff.objects.filter(step__in=steps, content__contains=attachment.sha256).exists()
        or StepVersion.objects.filter(step__in=steps, content__contains=attachment.sha256).exists()
    ):
        raise ValidationError(
            _("“%(name)s” is part of content sent for sign-off, so it stays with the meeting.")
            % {"name": attachment.original_name}
        )
    with_history_user(attachment, by).delete()
    for step in steps:
        step_refresh(step=step, by=by)


class StaleVersion(ValidationError):
    """The sign-off was given on a page that showed another version than the one sent now."""

    def __init__(self, message, *, seen_hash):
        super().__init__(message, code="stale")
        self.seen_hash = seen_hash


def _signing_roles(step, by, content_hash):
    """The roles `by` may sign the sent version of `step` in (refused if none, or if the page they read showed
    another version than the one sent now)."""
    roles_held = project_roles(by, step.project_id)
    held = [r for r in step.required_roles if r in roles_held]
    if not held:
        raise PermissionDenied(_("Only a holder of a role whose sign-off the step requires can sign it."))
    if roles_held & EMPLOYER_ROLES:
        raise PermissionDenied(_("The project's owner or manager cannot sign for the representatives."))
    if not step.is_sent:
        raise ValidationError(_("The step has not been sent for sign-off yet."))
    if content_hash is not None and content_hash != step.content_hash:
        raise StaleVersion(
            _(
                "The step was changed and sent again as version %(v)s while you were reading. Your decision is "
                "not recorded: read what changed and submit it again."
            )
            % {"v": step.version},
            seen_hash=content_hash,
        )
    return held


@transaction.atomic
def signoff_record(
    *, step: Step, by: User, decision: str, text: str = "", role: str | None = None, content_hash: str | None = None
) -> SignOff:
    """Record a representative's decision on the version sent for sign-off. Only a holder of a required role
    signs, once per version; remarks and objections need their text. `content_hash` is the SHA-256 of the
    content the signer's page showed (every form passes it): if another version has been sent since, the
    sign-off is refused with `StaleVersion`, so nobody signs content they have not seen."""
    step = Step.objects.select_for_update(no_key=True).get(pk=step.pk)
    held = _signing_roles(step, by, content_hash)
    if role is None:
        signed = set(step.signoffs.filter(step_version=step.version, signer=by).values_list("role", flat=True))
        role = next((r for r in held if r not in signed), held[0])
    if role not in held:
        raise PermissionDenied(_("You do not hold that role in this project."))
    principal = acting_for(by, step.project_id, role)  # a deputy signs in a representative's place
    if decision not in SignOff.Decision.values:
        raise ValidationError({"decision": _("Choose approve, approve with remarks, or objection.")})
    text = (text or "").strip()
    if decision != SignOff.Decision.APPROVED and not text:
        raise ValidationError({"text": _("Write your remarks or the objection that goes into the protocol.")})
    if SignOff.objects.filter(step=step, step_version=step.version, signer=by, role=role).exists():
        raise ValidationError(_("You have already signed this version of the step."))
    speaks_for = principal or by  # the representative and their deputy sign once between them
    done = SignOff.objects.filter(step=step, step_version=step.version, role=role).filter(
        Q(signer=speaks_for, on_behalf_of__isnull=True) | Q(on_behalf_of=speaks_for)
    )
    if done.exists():
        raise ValidationError(_("This version is already signed for this role, by the representative or their deputy."))
    content = step.content
    if _hash(content) != step.content_hash:
        raise ValidationError(_("The sent content does not match its SHA-256. Ask the owner to send the step again."))
    signoff = SignOff(
        step=step, step_version=step.version, role=role, signer=by, on_behalf_of=principal, decision=decision,
        text=text, content=content, content_hash=step.content_hash,
    )  # fmt: skip
    with_history_user(signoff, by).save()
    rollups.refresh(step.project_id)
    for fn in extensions.get("signoff_recorded"):  # in this transaction (a signed mandate goes to the record)
        fn(signoff, by)
    return signoff
