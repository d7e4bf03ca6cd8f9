"""How the archive plugs into the apps below it (docs/architecture.md, "Hooks"): it learns of the events whose
document goes to the record (`phase_completed`, `signoff_recorded`, `evaluation_completed`, the signal
`project_updated` for a completed project), of a rendered version (`document_rendered`), shows its state on
each generated PDF's row (`document_row`), lists failed and overdue archivings for coordinators
(`coordinator_queue`), records each archiving in the project's history (`history_source`)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects import documents, extensions
from projects.extensions import project_updated
from projects.history import HistorySource, history_of
from projects.models import Project

from . import jobs, services, transports  # noqa: F401  (jobs registers the outbox handler)
from .models import Archiving


@extensions.register("phase_completed")
def _phase_completed(phase, by):
    services.archive_event(project=phase.project, trigger=Archiving.Trigger.PHASE, by=by)


@extensions.register("signoff_recorded")
def _mandate_signed(signoff, by):
    """The mandate goes to the record when its consultation step is signed by every required role (on the
    sign-off that completes it, once per version)."""
    from participation import selectors
    from participation.models import Step

    step = signoff.step
    if step.kind != Step.Kind.CONSULTATION or step.activity.work_product != "mandate":
        return
    if not services.renderable(step.project, "mandate"):
        return  # signed before anybody started the mandate's document: nothing to archive
    step = selectors._steps_queryset().get(pk=step.pk)
    signoffs = list(step.signoffs.all())
    if not selectors.step_view(step, signoffs).complete:
        return
    if selectors.step_view(step, [s for s in signoffs if s.pk != signoff.pk]).complete:
        return  # complete already before this sign-off: archived then
    services.archive_event(project=step.project, trigger=Archiving.Trigger.MANDATE, by=by)


@extensions.register("evaluation_completed")
def _evaluation_completed(evaluation, by):
    services.archive_event(project=evaluation.project, trigger=Archiving.Trigger.EVALUATION, by=by)


@receiver(project_updated, dispatch_uid="archive_project_completed")
def _project_completed(sender, project, by, before, **kwargs):
    if "status" in before and project.status == Project.Status.COMPLETED:
        services.archive_event(project=project, trigger=Archiving.Trigger.CLOSED, by=by)


extensions.register("document_rendered", services.document_rendered)


@extensions.register("document_row")
def _document_row(request, project, docs):
    """On each generated PDF's row: its archive state and numbers, and "Send til arkiv" for the owner."""
    if not docs:
        return None
    archivings = {
        a.document_id: a for a in Archiving.objects.filter(document_id__in=[d.pk for d in docs]).order_by("created_at")
    }
    can_send = transports.configured() and request.user.has_perm("archive.send_document", project)
    if not archivings and not can_send:
        return None
    case = None
    if archivings:
        from .models import ArchiveCase

        case = ArchiveCase.objects.filter(project=project).first()
    rows = {}
    for d in docs:
        archiving = archivings.get(d.pk)
        if archiving is None and not (can_send and d.is_done):
            continue
        rows[d.pk] = [{"template": "archive/_document_row.html", "archiving": archiving, "case": case,
                       "can_send": can_send, "document": d, "project": project}]  # fmt: skip
    polling = any(a.state in (Archiving.State.QUEUED, Archiving.State.SENT) for a in archivings.values())
    return {"rows": rows, "polling": polling and transports.configured()}


def _overdue_cutoff():
    return timezone.now() - timedelta(hours=settings.ARCHIVE_OVERDUE_HOURS)


def _problems():
    """Archivings a coordinator should look at: failed, a refused receipt, or queued past ARCHIVE_OVERDUE_HOURS
    while a transport is set."""
    condition = Q(state=Archiving.State.FAILED) | ~Q(receipt_error="")
    if transports.configured():
        condition |= Q(state=Archiving.State.QUEUED, created_at__lt=_overdue_cutoff())
    return Archiving.objects.filter(condition)


def _problem_rows(limit):
    rows = []
    for a in _problems().select_related("project", "document").order_by("created_at", "pk")[:limit]:
        if a.state == Archiving.State.FAILED:
            action = _("Failed: see why and send again")
        elif a.receipt_error:
            action = _("Receipt refused: see why")
        else:
            action = _("Not sent yet: see why")
        kind = documents.kinds().get(a.document.kind)
        label = str(kind.label) if kind else a.document.kind
        rows.append(
            extensions.QueueRow(
                title=_("%(what)s, version %(v)s") % {"what": label[:1].upper() + label[1:], "v": a.document.version},
                project=a.project,
                since=timezone.localdate(a.created_at),
                url=reverse("archive:settings") + f"#archiving-{a.pk}",
                action=action,
            )
        )
    return rows


extensions.register(
    "coordinator_queue",
    extensions.QueueSource("archive_problems", _("Archivings that failed or are late"), 60, _problems, _problem_rows),
)


def _history_label(record):
    return str(_("Archiving: %(key)s") % {"key": record.key})


extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(Archiving).filter(project_id=p.pk).select_related("history_user"), _history_label
    ),
)


@extensions.register("nav_item", order=70)
def _archive_link(request):
    if not request.user.has_perm("archive.manage_archive"):
        return None
    name = request.resolver_match.view_name if request.resolver_match else ""
    return {"label": _("Archive"), "url": reverse("archive:settings"), "active": name.startswith("archive:")}


@extensions.register("demo_seeder", order=95)
def _seed_demo(projects, users):
    from . import demo

    demo.seed(projects, users)
