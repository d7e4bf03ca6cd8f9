"""Reads for the process pages, each with a fixed number of queries whatever the number of items."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Min, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from projects.models import Project, Role, User

from . import gates
from .models import (
    Activity,
    ChecklistItem,
    CriterionAssessment,
    ItemAttachment,
    ItemComment,
    Phase,
    ProcessTemplate,
    is_english,
)

OPEN = ChecklistItem.Status.OPEN


def phase_blockers(phase: Phase) -> list[str]:
    """Texts naming everything that keeps the phase from completing."""
    open_mandatory = (
        ChecklistItem.objects.filter(phase=phase, mandatory=True, status=OPEN)
        .select_related("activity")
        .order_by("activity__order", "order")
    )
    out = [
        gates.Blocker(
            _("Mandatory item not done: “%(item)s” (%(activity)s)") % {"item": i.text, "activity": i.activity.name},
            reverse("phases:item", args=[i.project_id, i.pk]),
        )
        for i in open_mandatory
    ]
    return out + gates.external_blockers(phase)


@dataclass
class Progress:
    done: int = 0
    mandatory_done: int = 0
    mandatory: int = 0
    total: int = 0
    overdue: int = 0  # open items past their deadline (counted when the read was given `today`)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


def progress_of(items) -> Progress:
    return Progress(
        done=sum(1 for i in items if i.status != OPEN),
        mandatory_done=sum(1 for i in items if i.mandatory and i.status != OPEN),
        mandatory=sum(1 for i in items if i.mandatory),
        total=len(items),
    )


def _with_progress(queryset, today=None):
    """Phases or activities with the counts of their checklist items (`items`) in the same query; with `today`,
    also the open ones past their deadline."""
    done = ~Q(items__status=OPEN)
    counts = {
        "n_total": Count("items"),
        "n_done": Count("items", filter=done),
        "n_mandatory": Count("items", filter=Q(items__mandatory=True)),
        "n_mandatory_done": Count("items", filter=Q(items__mandatory=True) & done),
    }
    if today is not None:
        counts["n_overdue"] = Count("items", filter=Q(items__status=OPEN, items__due_date__lt=today))
    return queryset.annotate(**counts)


def _progress(row) -> Progress:
    return Progress(row.n_done, row.n_mandatory_done, row.n_mandatory, row.n_total, getattr(row, "n_overdue", 0))


@dataclass
class PhaseView:
    phase: Phase
    progress: Progress
    activities: list = field(default_factory=list)
    is_current: bool = False


def project_phases(*, project: Project, with_activities=True, today=None) -> list[PhaseView]:
    """The phases with progress per phase and per activity, and which phase is current (two queries, each
    counting the items in the same read). Without activities (the overview's panel), one. With `today`, each
    phase's progress also counts its open items past their deadline."""
    phases = Phase.objects.filter(project=project).select_related("completed_by").order_by("order")
    views = [PhaseView(p, _progress(p)) for p in _with_progress(phases, today)]
    current = next((v for v in views if not v.phase.is_completed), None)
    if current:
        current.is_current = True
    if not with_activities:
        return views
    activities = _with_progress(Activity.objects.filter(project=project).order_by("phase__order", "order"))
    grouped = defaultdict(list)
    for a in activities:
        a.progress = _progress(a)
        grouped[a.phase_id].append(a)
    for v in views:
        v.activities = grouped[v.phase.pk]
    return views


def current_phase(views: list[PhaseView]) -> PhaseView | None:
    return next((v for v in views if v.is_current), None)


def activity_items(*, activity: Activity):
    return list(
        activity.items.select_related("assignee")
        .annotate(
            comment_count=Count("comments", distinct=True),
            attachment_count=Count("attachments", distinct=True),
        )
        .order_by("order")
    )


def item_detail(*, item_id: int, project: Project) -> ChecklistItem:
    return (
        ChecklistItem.objects.select_related("activity", "phase", "assignee", "completed_by")
        .prefetch_related(
            Prefetch("comments", queryset=ItemComment.objects.select_related("author")),
            Prefetch("attachments", queryset=ItemAttachment.objects.select_related("uploaded_by")),
        )
        .get(pk=item_id, project=project)
    )


def next_items_for(*, user: User, project: Project, roles, current=None, limit=3) -> list[ChecklistItem]:
    """The earliest-due open items for this person in the current phase (and any earlier one): assigned to
    them, and for owner and manager also the items nobody has taken yet. Overdue first, then by deadline."""
    mine = Q(assignee=user)
    if set(roles) & {Role.OWNER, Role.MANAGER}:
        mine |= Q(assignee__isnull=True)
    if current is not None:
        mine &= Q(phase__order__lte=current.order)
    return list(
        ChecklistItem.objects.filter(mine, project=project, status=OPEN)
        .select_related("activity", "phase")
        .order_by(F("due_date").asc(nulls_last=True), "phase__order", "activity__order", "order")[:limit]
    )


def assessments_table(*, project: Project):
    """Success-criterion assessments per phase: rows per criterion, a column per assessed phase."""
    from .models import Criterion

    assessments = list(
        CriterionAssessment.objects.filter(phase__project=project).select_related("phase").order_by("phase__order")
    )
    phases = []
    for a in assessments:
        if a.phase not in phases:
            phases.append(a.phase)
    cells = {(a.criterion, a.phase_id): a for a in assessments}
    rows = [(c.label, [cells.get((c.value, p.pk)) for p in phases]) for c in Criterion]
    return phases, rows


def templates_overview():
    return list(ProcessTemplate.objects.annotate(project_count=Count("processes")).order_by("key", "-version"))


def newest_templates():
    """The newest version of each template, for starting a project."""
    newest = {}
    for t in ProcessTemplate.objects.order_by("key", "-version"):
        newest.setdefault(t.key, t)
    return list(newest.values())


def default_template():
    """The template a new project starts from unless another is chosen: the Bergen guide, else any newest."""
    newest = newest_templates()
    return next((t for t in newest if t.key == "bergen-abw"), newest[0] if newest else None)


def decorate_project_list(projects, user):
    """Phase name and next deadline for a page of projects (two queries for the whole page)."""
    ids = [p.pk for p in projects]
    if not ids:
        return
    phases = Phase.objects.filter(project_id__in=ids, completed_at__isnull=True).order_by("project_id", "order")
    current = {}
    for ph in phases:
        current.setdefault(ph.project_id, ph)
    counts = Phase.objects.filter(project_id__in=ids).order_by().values("project_id").annotate(n=Count("id"))
    total = {r["project_id"]: r["n"] for r in counts}
    due = (
        ChecklistItem.objects.filter(project_id__in=ids, status=OPEN, due_date__isnull=False)
        .order_by()
        .values("project_id")
        .annotate(first=Min("due_date"))
    )
    first_due = {r["project_id"]: r["first"] for r in due}
    for p in projects:
        if p.pk in current:
            ph = current[p.pk]
            p.phase_label = _("%(n)s of %(total)s: %(name)s") % {
                "n": ph.order,
                "total": total[p.pk],
                "name": ph.name,
            }
        elif p.pk in total:
            p.phase_label = _("All phases completed")
        d = first_due.get(p.pk)
        if d and (p.next_deadline is None or d <= p.next_deadline[0]):
            p.next_deadline = (d, _("Checklist item"))


def items_assigned_to(*, user: User):
    """Open items a person is responsible for, in active projects where they still work (a subquery on their
    memberships, so no DISTINCT over a join with them)."""
    from projects.models import Membership
    from projects.permissions import WORKING_ROLES

    # The person's projects first (their memberships), so that neither database walks every project's items:
    # SQLite's statistics make the assignee index look useless (most items have none).
    works = Membership.objects.filter(user=user, role__in=WORKING_ROLES).values("project_id")
    return ChecklistItem.objects.filter(
        project_id__in=works, assignee=user, status=ChecklistItem.Status.OPEN, project__status=Project.Status.ACTIVE
    ).order_by(F("due_date").asc(nulls_last=True), "id")


def items_assigned_counts(*, user: User, today: date) -> tuple[int, int]:
    """(open items assigned to the person, of which overdue): one query."""
    counts = (
        items_assigned_to(user=user)
        .order_by()
        .aggregate(n=Count("id"), late=Count("id", filter=Q(status=OPEN, due_date__lt=today)))
    )
    return counts["n"], counts["late"]


def items_assigned_keys(*, user: User, limit: int) -> list[tuple[date | None, int]]:
    """(deadline, id) of the first `limit` items assigned to the person, by deadline, undated last."""
    return list(items_assigned_to(user=user).values_list("due_date", "id")[:limit])


def items_by_id(ids) -> dict[int, ChecklistItem]:
    return {i.pk: i for i in ChecklistItem.objects.filter(pk__in=ids).select_related("project", "activity")}


def _ids(projects):
    """What rows are selected by: a feed's `CalendarProjects.ids` (a subquery for a personal feed), else the
    projects' ids."""
    ids = getattr(projects, "ids", None)
    return [p.pk for p in projects] if ids is None else ids


def dated_items(*, projects, window=None) -> list[tuple]:
    """(id, project id, deadline, text, its activity's name), both in the active language, of the items with a
    deadline in these projects: the open ones due within `window` (a CalendarWindow), or with no window all of
    them (done ones too: the calendar keeps the record). Rows, not models: a representative's feed of everything
    reads some 90 000 of them, and a model each cost more than a second. The activity's name comes with the item
    (one join) rather than from a list of every activity of the projects (360 000 at 20 000 projects)."""
    english = is_english()
    rows = ChecklistItem.objects.filter(project_id__in=_ids(projects), due_date__isnull=False)
    if window is None:
        rows = rows.exclude(status=ChecklistItem.Status.NOT_APPLICABLE)
    else:
        rows = rows.filter(status=ChecklistItem.Status.OPEN, due_date__range=(window.start, window.end))
    rows = rows.order_by("due_date", "id").values_list(
        "id", "project_id", "due_date", "text_nb", "text_en", "activity__name_nb", "activity__name_en"
    )
    if english:
        return [(pk, project, due, en or nb, a_en or a_nb) for pk, project, due, nb, en, a_nb, a_en in rows]
    return [(pk, project, due, nb, a_nb) for pk, project, due, nb, _en, a_nb, _a_en in rows]


def dated_activities(*, projects, window=None) -> list[tuple]:
    """(id, project id, deadline, name in the active language) of the activities with a deadline (rows, as
    `dated_items`): within `window` those of phases not completed, else all. Unordered: the feed sorts its events
    (the model's ordering joined every phase to sort some 360 000 activities at 20 000 projects)."""
    english = is_english()
    rows = Activity.objects.filter(project_id__in=_ids(projects), due_date__isnull=False).order_by()
    if window is not None:
        rows = rows.filter(phase__completed_at__isnull=True, due_date__range=(window.start, window.end))
    rows = rows.values_list("id", "project_id", "due_date", "name_nb", "name_en")
    return [(pk, project, due, (en or nb) if english else nb) for pk, project, due, nb, en in rows]
