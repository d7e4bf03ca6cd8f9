"""Each project's process rollup for the coordinators' overview (`ProjectProgress`).

`progress_refresh(project_ids)` computes it from the phases, activities and items and stores it. Every service
that changes one of them calls it inside its own transaction, after the change, so the rollup commits (or rolls
back) with what it summarises. It locks the rollup rows first: a second transaction changing the same project
waits, and then reads what the first committed, so the last to commit writes a rollup that holds both changes.
Nothing stored depends on today; the overview compares the stored dates with today when it reads them.
"""

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce

from projects import extensions

OPEN = "open"
FIELDS = (
    "current_phase_id", "current_phase_order", "current_phase_key", "current_phase_name_nb",
    "current_phase_name_en", "phase_count", "items_total", "items_done", "mandatory_open", "mandatory_first_due",
    "next_item_text_nb", "next_item_text_en", "next_item_due", "phase_planned_end", "phase_open_mandatory",
    "next_item_mandatory", "next_mandatory_text_nb", "next_mandatory_text_en",
)  # fmt: skip


def _count(queryset):
    counted = queryset.order_by().values("project").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def computed(models=None) -> dict:
    """The rollup's fields as annotations on Project, computed from the process's rows. `models` maps model
    names to classes (a data migration would pass its historical ones)."""
    if not models:
        from .models import Activity, ChecklistItem, Phase

        models = {"Phase": Phase, "Activity": Activity, "ChecklistItem": ChecklistItem}
    Phase, Activity, ChecklistItem = models["Phase"], models["Activity"], models["ChecklistItem"]
    current = Phase.objects.filter(project=OuterRef("pk"), completed_at__isnull=True).order_by("order")
    items = ChecklistItem.objects.filter(project=OuterRef("pk"))
    mandatory_open = items.filter(mandatory=True, status=OPEN)
    next_item = items.filter(status=OPEN, due_date__isnull=False).order_by("due_date", "phase__order", "order")
    next_mandatory = mandatory_open.filter(due_date__isnull=False).order_by("due_date", "phase__order", "order")
    first_due = mandatory_open.order_by().values("project").annotate(d=Min("due_date")).values("d")
    phase_end = (
        Activity.objects.filter(phase_id=OuterRef("current_phase_id"), due_date__isnull=False)
        .order_by()
        .values("phase_id")
        .annotate(end=Max("due_date"))
        .values("end")
    )
    phase_open = (
        ChecklistItem.objects.filter(phase_id=OuterRef("current_phase_id"), mandatory=True, status=OPEN)
        .order_by()
        .values("phase_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "current_phase_id": Subquery(current.values("pk")[:1]),
        "current_phase_order": Subquery(current.values("order")[:1]),
        "current_phase_key": Subquery(current.values("key")[:1]),
        "current_phase_name_nb": Subquery(current.values("name_nb")[:1]),
        "current_phase_name_en": Subquery(current.values("name_en")[:1]),
        "phase_count": _count(Phase.objects.filter(project=OuterRef("pk"))),
        "items_total": _count(items),
        "items_done": _count(items.exclude(status=OPEN)),
        "mandatory_open": _count(mandatory_open),
        "mandatory_first_due": Subquery(first_due),
        "next_item_text_nb": Subquery(next_item.values("text_nb")[:1]),
        "next_item_text_en": Subquery(next_item.values("text_en")[:1]),
        "next_item_due": Subquery(next_item.values("due_date")[:1]),
        "phase_planned_end": Coalesce(Subquery(current.values("planned_end")[:1]), Subquery(phase_end)),
        "phase_open_mandatory": Coalesce(Subquery(phase_open, output_field=IntegerField()), 0),
        # whether the next item is mandatory, and the next mandatory one: an optional item whose deadline has
        # passed (the freeze item after the freeze) blocks nothing, so the overview names the mandatory one
        "next_item_mandatory": Subquery(next_item.values("mandatory")[:1]),
        "next_mandatory_text_nb": Subquery(next_mandatory.values("text_nb")[:1]),
        "next_mandatory_text_en": Subquery(next_mandatory.values("text_en")[:1]),
    }


def fresh(project_ids, models=None) -> dict:
    """{project id: {field: value}}: the rollup as the rows stand now (one query)."""
    Project = (models or {}).get("Project")
    if Project is None:
        from projects.models import Project
    rows = Project.objects.filter(pk__in=project_ids).annotate(**computed(models)).values("pk", *FIELDS)
    return {row.pop("pk"): row for row in rows}


def stored(project_ids) -> dict:
    from .models import ProjectProgress

    rows = ProjectProgress.objects.filter(project_id__in=project_ids).values("project_id", *FIELDS)
    return {row.pop("project_id"): row for row in rows}


@extensions.register("rollup_refresher")
def progress_refresh(project_ids, models=None) -> None:
    """Store the rollup of these projects as their rows stand now (see the module's docstring)."""
    models = models or {}
    ProjectProgress = models.get("ProjectProgress")
    if ProjectProgress is None:
        from .models import ProjectProgress
    extensions.rollup_rows_store(ProjectProgress, project_ids, lambda ids: fresh(ids, models), FIELDS)


def refresh(project_id) -> None:
    """The call the services make for the one project they changed."""
    progress_refresh([project_id])
