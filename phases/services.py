"""Writes to a project's process: starting it from a template, working checklist items, completing phases."""

import hashlib
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import extensions
from projects.models import COORDINATOR_GROUP, Project, User
from projects.permissions import WORKING_ROLES, project_roles
from projects.services import notification_send, notifications_resolve, with_history_user
from projects.uploads import attachment_store
from projects.validators import sensible_date

from . import planning, rollups, selectors
from . import reminders as item_reminders
from .definition import parse_template
from .models import (
    Activity,
    ChecklistItem,
    Criterion,
    CriterionAssessment,
    CriterionStatus,
    ItemAttachment,
    ItemComment,
    Phase,
    Process,
    ProcessTemplate,
)
from .signals import process_started

# Templates ------------------------------------------------------------------------------------------------


@transaction.atomic
def template_load(*, text: str, source: str, by: User | None = None) -> tuple[ProcessTemplate, bool]:
    """Load one template version. Same key, version and content again: nothing happens. Same key and version
    with other content: refused (raise the version). Returns (template, created)."""
    definition = parse_template(text, source=source)
    digest = hashlib.sha256(text.encode()).hexdigest()
    existing = _loaded_version(definition["key"], definition["version"])
    if existing is not None:
        if existing.sha256 == digest:
            return existing, False
        raise ValidationError(
            _("%(source)s: version %(version)s of “%(key)s” is already loaded with other content. Raise the version.")
            % {"source": source, "version": definition["version"], "key": definition["key"]}
        )
    newest = ProcessTemplate.objects.filter(key=definition["key"]).order_by("-version").first()
    if newest is not None and newest.version > definition["version"]:
        raise ValidationError(
            _("%(source)s: version %(version)s of “%(key)s” is older than the loaded version %(newest)s.")
            % {
                "source": source,
                "version": definition["version"],
                "key": definition["key"],
                "newest": newest.version,
            }
        )
    try:
        with transaction.atomic():
            template = _template_create(definition, text, digest, by)
    except IntegrityError:
        # Another upload of the same key and version won between the check above and this insert.
        existing = _loaded_version(definition["key"], definition["version"])
        if existing is not None and existing.sha256 == digest:
            return existing, False
        raise ValidationError(
            _("%(source)s: version %(version)s of “%(key)s” is already loaded with other content. Raise the version.")
            % {"source": source, "version": definition["version"], "key": definition["key"]}
        ) from None
    return template, True


def _loaded_version(key, version):
    return ProcessTemplate.objects.filter(key=key, version=version).first()


def _template_create(definition, text, digest, by):
    return ProcessTemplate.objects.create(
        key=definition["key"],
        version=definition["version"],
        name_nb=definition["name"]["nb"],
        name_en=definition["name"]["en"],
        description_nb=definition["description"]["nb"],
        description_en=definition["description"]["en"],
        definition=definition,
        source=text,
        sha256=digest,
        loaded_by=by,
    )


def template_load_file(*, path: Path, by: User | None = None):
    return template_load(text=Path(path).read_text(encoding="utf-8"), source=str(path), by=by)


# Starting a process -----------------------------------------------------------------------------------------


def _durations(definition) -> list[dict]:
    return [p.get("duration", {"share": 1}) for p in definition["phases"]]


@transaction.atomic
def process_start(*, project: Project, template: ProcessTemplate, by: User) -> Process:
    """Copy the template into the project. Later template versions never change this copy."""
    if Process.objects.filter(project=project).exists():
        raise ValidationError(_("This project already follows a process."))
    process = with_history_user(Process(project=project, template=template), by)
    process.save()
    items = []
    dates = planning.Dates(project.start_date, project.planned_move_in)
    ranges = planning.phase_ranges(_durations(template.definition), dates)
    for p_order, (p, span) in enumerate(zip(template.definition["phases"], ranges, strict=True), start=1):
        phase = with_history_user(
            Phase(
                project=project, key=p["key"], order=p_order,
                name_nb=p["name"]["nb"], name_en=p["name"]["en"],
                description_nb=p["description"]["nb"], description_en=p["description"]["en"],
                planned_start=span[0], planned_end=span[1],
            ),
            by,
        )  # fmt: skip
        phase.save()
        for a_order, a in enumerate(p["activities"], start=1):
            activity = Activity.objects.create(
                project=project, phase=phase, key=a["key"], order=a_order, name_nb=a["name"]["nb"],
                name_en=a["name"]["en"], guidance_nb=a["guidance"]["nb"], guidance_en=a["guidance"]["en"],
                owner_role=a["owner_role"], track=a["track"], work_product=a["work_product"],
                participation_steps=a["participation_steps"], due_date=planning.due_date(a["due"], dates, span),
            )  # fmt: skip
            for i_order, i in enumerate(a["items"], start=1):
                items.append(
                    ChecklistItem(
                        project=project, phase=phase, activity=activity, key=i["key"], order=i_order,
                        text_nb=i["text"]["nb"], text_en=i["text"]["en"], mandatory=i["mandatory"],
                        due_date=planning.due_date(i["due"] or a["due"], dates, span),
                    )
                )  # fmt: skip
    ChecklistItem.objects.bulk_create(items)
    # bulk_create skips simple-history; record the creation once per item so the history is complete.
    ChecklistItem.history.bulk_history_create(items, default_user=by, default_date=timezone.now())
    process_started.send(sender=Process, process=process, by=by)
    rollups.refresh(project.pk)
    return process


@transaction.atomic
def process_replan(*, project: Project, before: planning.Dates, by: User) -> None:
    """After the project's start or planned move-in changed: plan the phases not completed again, and move
    the deadlines of their open items and activities that still stand where the old plan put them (a
    deadline somebody set by hand stays)."""
    process = Process.objects.filter(project=project).select_related("template").first()
    if process is None:
        return
    definition = process.template.definition
    phases = list(Phase.objects.select_for_update().filter(project=project).order_by("order"))
    if len(phases) != len(definition["phases"]):
        return
    after = planning.Dates(project.start_date, project.planned_move_in)
    fixed = {n: (p.planned_start, p.planned_end) for n, p in enumerate(phases) if p.is_completed}
    ranges = planning.phase_ranges(_durations(definition), after, fixed=fixed)
    specs = {}
    for p in definition["phases"]:
        for a in p["activities"]:
            specs[a["key"]] = a["due"]
            for i in a["items"]:
                specs[(a["key"], i["key"])] = i["due"] or a["due"]
    for phase, span in zip(phases, ranges, strict=True):
        if phase.is_completed:
            continue
        old_span = (phase.planned_start, phase.planned_end)
        for activity in Activity.objects.filter(phase=phase):
            spec = specs.get(activity.key)
            if activity.due_date == planning.due_date(spec, before, old_span):
                activity.due_date = planning.due_date(spec, after, span)
                activity.save(update_fields=["due_date"])
        items = ChecklistItem.objects.filter(phase=phase, status=ChecklistItem.Status.OPEN).select_related("activity")
        for item in items:
            spec = specs.get((item.activity.key, item.key))
            if item.due_date == planning.due_date(spec, before, old_span):
                new = planning.due_date(spec, after, span)
                if new != item.due_date:
                    item.due_date = new
                    with_history_user(item, by).save()
        if old_span != span:
            phase.planned_start, phase.planned_end = span
            with_history_user(phase, by).save()
    rollups.refresh(project.pk)


# Checklist items --------------------------------------------------------------------------------------------


def _require(by, perm, obj):
    if not by.has_perm(perm, obj):
        raise PermissionDenied


def _lock_open_phase(phase_id) -> Phase:
    """Lock the phase row an item belongs to and refuse when the phase is completed: its items are read-only.
    `phase_complete` takes the same lock, so an un-tick and a completion never both succeed."""
    phase = Phase.objects.select_for_update().get(pk=phase_id)
    if phase.is_completed:
        raise ValidationError(
            _("The phase “%(phase)s” is completed, so its items can no longer be changed. A coordinator can reopen it.")
            % {"phase": phase.name}
        )
    return phase


@transaction.atomic
def item_set_done(*, item: ChecklistItem, by: User, done: bool) -> ChecklistItem:
    _require(by, "phases.change_item", item)
    _lock_open_phase(item.phase_id)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if done:
        item.status = ChecklistItem.Status.DONE
        item.completed_at, item.completed_by = timezone.now(), by
    else:
        item.status = ChecklistItem.Status.OPEN
        item.completed_at, item.completed_by = None, None
    item.not_applicable_reason = ""
    with_history_user(item, by).save()
    if done:
        _reminders_resolved(item)
    rollups.refresh(item.project_id)
    return item


def _reminders_resolved(item):
    """Its reminders stop saying it is due or overdue, and an e-mail not yet sent leaves them out."""
    notifications_resolve(obj=f"item:{item.pk}", kinds=item_reminders.ITEM_KINDS, project_id=item.project_id)


@transaction.atomic
def item_set_not_applicable(*, item: ChecklistItem, by: User, reason: str) -> ChecklistItem:
    _require(by, "phases.change_item", item)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the item does not apply. The reason is kept on the project.")})
    _lock_open_phase(item.phase_id)
    item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    item.status = ChecklistItem.Status.NOT_APPLICABLE
    item.not_applicable_reason = reason
    item.completed_at, item.completed_by = timezone.now(), by
    with_history_user(item, by).save()
    _reminders_resolved(item)
    rollups.refresh(item.project_id)
    return item


def may_be_responsible(user: User, item: ChecklistItem) -> bool:
    """Who can be made responsible for an item: somebody who works in the project (owner, manager, working
    group), and for the building track also an EBE coordinator, who follows up the project plan there."""
    if project_roles(user, item.project_id) & WORKING_ROLES:
        return True
    return item.activity.track == Activity.Track.BUILDING and user.groups.filter(name=COORDINATOR_GROUP).exists()


@transaction.atomic
def item_plan(*, item: ChecklistItem, by: User, assignee: User | None, due_date: date | None) -> ChecklistItem:
    """Assign an item to a member of the project and set its deadline (owner and manager)."""
    _require(by, "phases.plan_item", item)
    if assignee is not None and not may_be_responsible(assignee, item):
        if item.activity.track == Activity.Track.BUILDING:
            message = _(
                "The responsible person must be the owner, the manager, a working group member or an EBE coordinator."
            )
        else:
            message = _("The responsible person must be the owner, the manager or a working group member.")
        raise ValidationError({"assignee": message})
    if due_date is not None:
        try:
            sensible_date(due_date)
        except ValidationError as exc:
            raise ValidationError({"due_date": exc.messages}) from None
    _lock_open_phase(item.phase_id)
    item = ChecklistItem.objects.select_for_update().select_related("project").get(pk=item.pk)
    newly_responsible = assignee is not None and assignee.pk != item.assignee_id
    item.assignee, item.due_date = assignee, due_date
    with_history_user(item, by).save()
    if newly_responsible and assignee.pk != by.pk:  # told at once, in the app and by the next e-mail
        notification_send(kind="item_assigned", due=item_reminders.item_assigned_due(item, at=timezone.now()))
    rollups.refresh(item.project_id)
    return item


@transaction.atomic
def item_comment(*, item: ChecklistItem, by: User, text: str) -> ItemComment:
    """Those who work on the item, and the safety and union representatives, the OH service and AMU."""
    _require(by, "phases.comment_item", item)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")})
    comment = with_history_user(ItemComment(item=item, author=by, text=text), by)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def attachment_add(*, item: ChecklistItem, by: User, upload) -> ItemAttachment:
    _require(by, "phases.change_item", item)
    _lock_open_phase(item.phase_id)
    attachment = with_history_user(ItemAttachment(item=item), by)
    attachment_store(attachment, upload=upload, by=by)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ItemAttachment, by: User) -> None:
    """Remove a file from an item (whoever may edit the item). The history keeps who added and removed it."""
    _require(by, "phases.change_item", attachment.item)
    _lock_open_phase(attachment.item.phase_id)
    with_history_user(attachment, by).delete()


# Phase gates ------------------------------------------------------------------------------------------------


def _assessment_errors(assessments, *, required: bool) -> dict:
    """The rules of the success-criterion assessment, by form field: every criterion assessed when completing
    by the gate (an override may leave them out), a known status, and a comment for "at risk"."""
    errors = {}
    for criterion, (status, comment) in assessments.items():
        Criterion(criterion)  # refuses an unknown criterion (a programming error)
        if status not in CriterionStatus.values:
            errors[f"{criterion}_status"] = _("Choose a status.")
        elif status == CriterionStatus.RED and not (comment or "").strip():
            errors[f"{criterion}_comment"] = _("Say what puts this criterion at risk.")
    if required:
        for c in Criterion:
            if c.value not in assessments:
                errors[f"{c.value}_status"] = _("Assess this criterion before completing the phase.")
    return errors


def _lock_project_phase(phase) -> Phase:
    # Project first, then the phase (the order project_update and the item services keep), so completing and
    # reopening phases of one project are serialised, and an item change waits for the phase.
    Project.objects.select_for_update(no_key=True).get(pk=phase.project_id)
    return Phase.objects.select_for_update(no_key=True).select_related("project").get(pk=phase.pk)


@transaction.atomic
def phase_complete(*, phase: Phase, by: User, override_reason: str = "", assessments=None) -> Phase:
    """Complete a phase: in order, with nothing blocking, by its owner or manager, with the five success
    criteria assessed; or, when blocked, by a coordinator overriding with a written reason. Checked with the
    project and phase rows locked, so an item cannot be un-ticked while the phase completes, nor two clicks
    complete it twice. Its items are read-only afterwards."""
    phase = _lock_project_phase(phase)
    override_reason = (override_reason or "").strip()
    assessments = dict(assessments or {})
    if phase.is_completed:
        raise ValidationError(_("This phase was completed already."))
    earlier = Phase.objects.filter(project=phase.project_id, order__lt=phase.order, completed_at__isnull=True)
    if earlier.exists():
        raise ValidationError(
            _("Phases are completed in order. Complete “%(phase)s” first.") % {"phase": earlier.first().name}
        )
    blockers = selectors.phase_blockers(phase)
    overriding = bool(override_reason or (blockers and by.has_perm("phases.override_gate", phase.project)))
    if overriding:
        if not by.has_perm("phases.override_gate", phase.project):
            raise PermissionDenied(_("Only a coordinator can override a phase gate."))
        if not override_reason:
            raise ValidationError({"override_reason": _("An override needs a written reason.")})
        phase.override_reason = override_reason
    else:
        if not by.has_perm("phases.complete_phase", phase.project):
            raise PermissionDenied(_("Only the project owner or manager can complete a phase."))
        if blockers:
            raise ValidationError([_("The phase cannot be completed yet:")] + blockers, code="blocked")
    errors = _assessment_errors(assessments, required=not overriding)
    if errors:
        raise ValidationError(errors)
    existing = {a.criterion: a for a in CriterionAssessment.objects.filter(phase=phase)}  # from before a reopening
    for criterion, (status, comment) in assessments.items():
        assessment = existing.get(criterion) or CriterionAssessment(phase=phase, criterion=criterion)
        assessment.status, assessment.comment = status, (comment or "").strip()
        assessment.assessed_by, assessment.assessed_at = by, timezone.now()
        with_history_user(assessment, by).save()
    phase.completed_at, phase.completed_by = timezone.now(), by
    phase.reopen_reason = ""
    with_history_user(phase, by).save()
    rollups.refresh(phase.project_id)
    for fn in extensions.get("phase_completed"):  # in this transaction (the protocol goes to the record)
        fn(phase, by)
    return phase


@transaction.atomic
def phase_reopen(*, phase: Phase, by: User, reason: str) -> Phase:
    """A coordinator reopens a completed phase with a written reason (kept on the phase and in the project's
    history): its items can be changed again and its gate has to be passed again. Phases are reopened from
    the last completed one, so no completed phase ever follows an open one."""
    phase = _lock_project_phase(phase)
    if not by.has_perm("phases.reopen_phase", phase.project):
        raise PermissionDenied(_("Only a coordinator can reopen a phase."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the phase is reopened. The reason is kept in the history.")})
    if not phase.is_completed:
        raise ValidationError(_("This phase is not completed."))
    later = (
        Phase.objects.filter(project=phase.project_id, order__gt=phase.order, completed_at__isnull=False)
        .order_by("-order")
        .first()
    )
    if later is not None:
        raise ValidationError(
            _("“%(later)s” comes after this phase and is completed. Reopen “%(later)s” first.") % {"later": later.name}
        )
    phase.completed_at, phase.completed_by = None, None
    phase.override_reason = ""
    phase.reopen_reason = reason
    with_history_user(phase, by).save()
    rollups.refresh(phase.project_id)
    return phase
