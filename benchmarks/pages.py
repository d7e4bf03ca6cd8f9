"""The coordinators' overview, its exports and the pages whose query counts the tests pin, at full size."""

from django.urls import reverse

from benchmarks import register

OVERVIEW_BUDGET_MS = 300  # DESIGN §7: the overview with 2 000 projects


@register("bare page", order=0)
def bare(ctx):
    ctx.bare = ctx.time_get("bare page (base.html)", ctx.world.coordinator, reverse("bench_bare"))
    return [ctx.bare]


@register("coordinators' overview", order=10)
def overview(ctx):
    coordinator = ctx.world.coordinator
    url = reverse("projects:dashboard")
    return [
        ctx.time_get("overview", coordinator, url, budget_ms=OVERVIEW_BUDGET_MS),
        ctx.time_get("overview, sorted by next deadline", coordinator, url + "?sort=next_deadline",
                     budget_ms=OVERVIEW_BUDGET_MS),
        ctx.time_get("overview, filtered (phase, text, attention)", coordinator,
                     url + "?phase=develop-solution&q=Flytting&attention=any", budget_ms=OVERVIEW_BUDGET_MS),
        ctx.time_get("overview, page 20", coordinator, url + "?page=20", budget_ms=OVERVIEW_BUDGET_MS),
        ctx.time_get("timeline", coordinator, reverse("projects:dashboard_timeline")),
    ]  # fmt: skip


# An export is a file the coordinator downloads, not a page to read: it has the budget of a generated document
# (the mandate PDF's 2 s) rather than issue 17's page goal (docs/decisions.md "Benchmarks: goals for pages").
EXPORT_BUDGET_MS = 2000


@register("exports", order=20)
def exports(ctx):
    coordinator = ctx.world.coordinator
    n = max(5, ctx.requests // 3)
    return [
        ctx.time_get(f"export CSV ({len(ctx.world.projects)} rows)", coordinator,
                     reverse("projects:dashboard_export", args=["csv"]), n=n, budget_ms=EXPORT_BUDGET_MS),
        ctx.time_get(f"export XLSX ({len(ctx.world.projects)} rows)", coordinator,
                     reverse("projects:dashboard_export", args=["xlsx"]), n=n, budget_ms=EXPORT_BUDGET_MS),
    ]  # fmt: skip


@register("owner's pages", order=30)
def owner_pages(ctx):
    world = ctx.world
    project = world.sample
    activity = project.phases.get(order=2).activities.order_by("order").first()
    owner = world.sample_owner
    history = world.counts.get("history rows of the sample", "")
    return [
        ctx.time_get("owner: my projects (owner of 61)", world.busy_owner, reverse("projects:mine")),
        ctx.time_get("owner: project overview", owner, reverse("projects:detail", args=[project.pk])),
        ctx.time_get(f"owner: project history, page 1 of {history} rows", owner,
                     reverse("projects:history", args=[project.pk])),
        ctx.time_get("owner: project history, page 100 (keyset)", owner,
                     reverse("projects:history", args=[project.pk]) + "?" + _deep_history_query(project, 100)),
        ctx.time_get("owner: phases", owner, reverse("phases:overview", args=[project.pk])),
        ctx.time_get("owner: activity", owner, reverse("phases:activity", args=[project.pk, activity.pk])),
        ctx.time_get("owner: participation", owner, reverse("participation:plan", args=[project.pk])),
        ctx.time_get("owner: my tasks", owner, reverse("tasks")),
    ]  # fmt: skip


def _deep_history_query(project, number):
    """The query of the link to page `number` of the project's history, as following "Eldre endringer" gives."""
    from projects.history import history_page

    page = history_page(project, 50)
    while page.number < number - 1 and page.has_next:
        page = history_page(project, 50, older=page.older, number=page.next_page_number())
    return page.older_query


@register("representative's pages", order=40)
def representative_pages(ctx):
    """Issue 17: a union rep in every one of the 2 000 projects."""
    from participation.models import Step

    world = ctx.world
    rep = world.representative
    project = world.sample
    step = (
        Step.objects.filter(project=project, signoffs__signer=rep).first()
        or Step.objects.filter(project=project).first()
    )
    n = len(world.projects)
    return [
        ctx.time_get(f"rep: inbox (for approval, {n} projects)", rep, reverse("participation:inbox")),
        ctx.time_get("rep: inbox, signed page 20, filtered", rep,
                     reverse("participation:inbox") + "?decision=approved&signed_page=20"),
        ctx.time_get(f"rep: my projects ({n})", rep, reverse("projects:mine")),
        ctx.time_get("rep: project overview", rep, reverse("projects:detail", args=[project.pk])),
        ctx.time_get("rep: step page", rep, reverse("participation:step", args=[project.pk, step.pk])),
        ctx.time_get("rep: my tasks", rep, reverse("tasks")),
    ]  # fmt: skip


@register("HR's pages", order=50)
def hr_pages(ctx):
    return [ctx.time_get("HR: evaluations and HMS measures", ctx.world.hr, reverse("evaluation:hr"))]
