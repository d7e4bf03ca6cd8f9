"""How the process plugs into projects: tab, overview panel, list columns, create field, history, demo."""

from django import forms
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects import calendars, extensions
from projects.history import HistorySource, history_of, tr
from projects.permissions import project_roles

from . import planning, reminders, selectors, services  # noqa: F401  (reminders registers its sources)
from .models import (
    Activity,
    ChecklistItem,
    CriterionAssessment,
    ItemAttachment,
    ItemComment,
    Phase,
    Process,
    ProcessTemplate,
)

extensions.register("project_tab", extensions.Tab("phases", _("Phases"), "phases:overview", 10))
extensions.register("project_list_decorator", selectors.decorate_project_list)
extensions.register("history_hidden_fields", ("definition", "source", "sha256"))


@extensions.register("nav_item", order=30)
def _templates_link(request):
    if not request.user.has_perm("phases.view_templates"):
        return None
    return {
        "label": _("Process templates"),
        "url": reverse("phases:templates"),
        "active": request.resolver_match is not None and request.resolver_match.view_name == "phases:templates",
    }


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} (v{obj.version})"


def _template_field():
    newest = selectors.newest_templates()
    default = selectors.default_template()
    return TemplateChoiceField(
        label=_("Process"),
        queryset=ProcessTemplate.objects.filter(pk__in=[t.pk for t in newest]),
        initial=default.pk if default else None,
        required=bool(newest),
        empty_label=None,
        help_text=_("The project gets its own copy of the process; later changes to the template do not affect it."),
    )


extensions.register("project_create_field", extensions.CreateField("template", _template_field))


@receiver(extensions.project_created)
def _start_process(sender, project, by, options, **kwargs):
    template = options.get("template")
    if template is None:
        template = selectors.default_template()
    if template is not None:
        services.process_start(project=project, template=template, by=by)


@receiver(extensions.project_updated)
def _replan(sender, project, by, before, **kwargs):
    if {"start_date", "planned_move_in"} & set(before):
        old = planning.Dates(
            before.get("start_date", project.start_date), before.get("planned_move_in", project.planned_move_in)
        )
        services.process_replan(project=project, before=old, by=by)


@extensions.register("project_overview_panel", order=10)
def _overview_panel(request, project):
    today = timezone.localdate()
    views = selectors.project_phases(project=project, with_activities=False, today=today)
    if not views:
        return None
    current = selectors.current_phase(views)
    if current:
        current.phase.project = project  # the blockers then read the page's steps (read once for all panels)
    return {
        "template": "phases/_overview_panel.html",
        "phase_views": views,
        "current": current,
        "next_items": selectors.next_items_for(
            user=request.user,
            project=project,
            roles=project_roles(request.user, project),
            current=current.phase if current else None,
        ),
        "overdue": sum(v.progress.overdue for v in views),
        "blockers": selectors.phase_blockers(current.phase) if current else [],
        "overrides": [v.phase for v in views if v.phase.overridden],
        "today": today,
    }


def _item_label(record):
    return str(_("Checklist item: %(item)s") % {"item": tr(record, "text")})


def _phase_label(record):
    return str(_("Phase: %(phase)s") % {"phase": tr(record, "name")})


extensions.register(
    "history_source",
    HistorySource(
        lambda p: (
            history_of(ChecklistItem).filter(project_id=p.pk).select_related("history_user", "assignee", "completed_by")
        ),
        _item_label,
        show_created=False,
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(Process).filter(project_id=p.pk).select_related("history_user", "template"),
        lambda r: str(_("Process: %(name)s (version %(v)s)") % {"name": r.template.name, "v": r.template.version}),
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(Phase).filter(project_id=p.pk).select_related("history_user", "completed_by"),
        _phase_label,
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(ItemComment).filter(item__project_id=p.pk).select_related("history_user", "item"),
        lambda r: str(_("Comment on “%(item)s”") % {"item": tr(r.item, "text")}),
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(ItemAttachment).filter(item__project_id=p.pk).select_related("history_user", "item"),
        lambda r: str(_("Attachment %(name)s on “%(item)s”") % {"name": r.original_name, "item": tr(r.item, "text")}),
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(CriterionAssessment).filter(phase__project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Success criterion: %(c)s") % {"c": r.get_criterion_display()}),
    ),
)


@extensions.register("demo_preparer")
def _load_templates():
    from django.core.management import call_command

    call_command("load_process_templates", verbosity=0)


# How far each demo project has come: phases completed, and the share of the current phase's items done.
DEMO_PROGRESS = {
    "2026/1001": (0, 0.4),
    "2026/1002": (1, 0.5),
    "2025/2040": (2, 0.7),
    "2025/1500": (3, 0.3),
    "2024/0900": (3, 0.5),
}


@extensions.register("demo_seeder", order=10)
def _seed_demo_progress(projects, users):
    from .models import Criterion, CriterionStatus

    statuses = [CriterionStatus.GREEN, CriterionStatus.GREEN, CriterionStatus.YELLOW, CriterionStatus.GREEN]
    for case, (completed, share) in DEMO_PROGRESS.items():
        project = projects.get(case)
        if project is None:
            continue
        owner = project.memberships.filter(role="owner").select_related("user").first().user
        phases = list(project.phases.order_by("order"))
        for phase in phases[:completed]:
            for item in phase.items.filter(status=ChecklistItem.Status.OPEN):
                services.item_set_done(item=item, by=owner, done=True)
            assessments = {c.value: (statuses[(i + phase.order) % len(statuses)], "") for i, c in enumerate(Criterion)}
            services.phase_complete(phase=phase, by=owner, assessments=assessments)
        if completed < len(phases):
            items = list(phases[completed].items.order_by("activity__order", "order"))
            for item in items[: int(len(items) * share)]:
                services.item_set_done(item=item, by=owner, done=True)
            member = users.get("medlem@demo.kommune.no")
            open_items = [i for i in items if i.status == ChecklistItem.Status.OPEN]
            if member and project.memberships.filter(user=member).exists():
                for item in open_items[:2]:
                    services.item_plan(item=item, by=owner, assignee=member, due_date=item.due_date)


@extensions.register("demo_seeder", order=95)
def _date_demo_progress(projects, users):
    """The demo's completed phases and done items are dated in the past, inside each project's time, instead of
    the moment the demo was loaded (issue 24 point 8): a completed phase on its planned end (at the latest
    yesterday, never before the one before it), its items and success-criterion assessments with it, and the
    items done in the current phase spread over the days since the phase began. Only the demo's new projects."""
    from datetime import datetime, time, timedelta

    from .models import CriterionAssessment

    today = timezone.localdate()

    def moment(day):
        return timezone.make_aware(datetime.combine(day, time(14, 0)))

    for project in projects.values():
        previous = project.start_date
        for phase in project.phases.order_by("order"):
            if phase.completed_at is None:
                done = ChecklistItem.objects.filter(phase=phase).exclude(status=ChecklistItem.Status.OPEN)
                begin = max(previous, phase.planned_start or previous)
                span = max((today - begin).days - 1, 0)
                for n, pk in enumerate(done.order_by("activity__order", "order").values_list("pk", flat=True)):
                    day = begin + timedelta(days=span * (n + 1) // (done.count() + 1)) if span else today
                    ChecklistItem.objects.filter(pk=pk).update(completed_at=moment(min(day, today)))
                break
            day = min(max(phase.planned_end or previous, previous), today - timedelta(days=1))
            Phase.objects.filter(pk=phase.pk).update(completed_at=moment(day))
            ChecklistItem.objects.filter(phase=phase).exclude(status=ChecklistItem.Status.OPEN).update(
                completed_at=moment(day)
            )
            CriterionAssessment.objects.filter(phase=phase).update(assessed_at=moment(day))
            previous = day


def _my_item_rows(user, today, ids):
    return {
        item.pk: extensions.TaskRow(
            kind=_("Checklist item"),
            title=item.text,
            url=reverse("phases:item", args=[item.project_id, item.pk]),
            project=item.project,
            due_date=item.due_date,
            detail=item.activity.name,
        )
        for item in selectors.items_by_id(ids).values()
    }


extensions.register(
    "task_source",
    extensions.TaskSource(
        key="items",
        order=10,
        counts=lambda user, today: selectors.items_assigned_counts(user=user, today=today),
        keys=lambda user, today, limit: selectors.items_assigned_keys(user=user, limit=limit),
        rows=_my_item_rows,
    ),
)


# A saved or deleted item, activity or phase (completing one closes its activities) changes the project's feeds;
# process_start creates the items in bulk and saves the Process.
for _model in (ChecklistItem, Activity, Phase, Process):
    calendars.watch(_model)


@extensions.register("calendar_events", order=10)
def _calendar_items(projects, user, window):
    """Item and activity deadlines, read lean: a representative in 2 000 projects has some 90 000 of them in
    all (the default window leaves the done and the distant out). The projects come from the caller and each
    link from one reversed pattern."""
    by_id = {p.pk: p for p in projects}
    item_url = reverse("phases:item", args=[0, 0]).replace("/0/", "/{}/")
    activity_url = reverse("phases:activity", args=[0, 0]).replace("/0/", "/{}/")
    deadline = str(_("Deadline: %(item)s"))
    events, summaries = [], {}  # the same item text in every project of a template: its summary made once
    for pk, project_id, due_date, text, activity in selectors.dated_items(projects=projects, window=window):
        summary = summaries.get(text)
        if summary is None:
            summary = summaries[text] = deadline % {"item": text}
        events.append(
            extensions.CalendarEvent(
                uid=f"item-{pk}",
                day=due_date,
                summary=summary,
                project=by_id[project_id],
                url=item_url.format(project_id, pk),
                description=activity,
            )
        )
    activity_deadline = str(_("Activity deadline: %(activity)s"))
    for pk, project_id, due_date, name in selectors.dated_activities(projects=projects, window=window):
        events.append(
            extensions.CalendarEvent(
                uid=f"activity-{pk}",
                day=due_date,
                summary=activity_deadline % {"activity": name},
                project=by_id[project_id],
                url=activity_url.format(project_id, pk),
            )
        )
    return events


@extensions.register("demo_seeder", order=90)
def _seed_demo_member_tasks(projects, users):
    """The working-group member has open items waiting on *Mine oppgaver*: one overdue, one due soon."""
    from datetime import timedelta

    project, worker = projects.get("2026/1001"), users.get("medlem@demo.kommune.no")
    if project is None or worker is None:
        return
    owner = project.memberships.filter(role="owner").select_related("user").first().user
    today = timezone.localdate()
    items = ChecklistItem.objects.filter(project=project, status=ChecklistItem.Status.OPEN, assignee__isnull=True)
    for item, days in zip(items.order_by("phase__order", "activity__order", "order")[:3], (-4, 2, 12), strict=False):
        services.item_plan(item=item, by=owner, assignee=worker, due_date=today + timedelta(days=days))
