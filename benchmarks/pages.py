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


@register("exports", order=20)
def exports(ctx):
    coordinator = ctx.world.coordinator
    n = max(5, ctx.requests // 3)
    return [
        ctx.time_get(f"export CSV ({len(ctx.world.projects)} rows)", coordinator,
                     reverse("projects:dashboard_export", args=["csv"]), n=n),
        ctx.time_get(f"export XLSX ({len(ctx.world.projects)} rows)", coordinator,
                     reverse("projects:dashboard_export", args=["xlsx"]), n=n),
    ]  # fmt: skip


@register("pages pinned by query count", order=30)
def pinned(ctx):
    world = ctx.world
    project = world.sample
    activity = project.phases.get(order=2).activities.order_by("order").first()
    owner = world.sample_owner
    return [
        ctx.time_get("my projects (owner of 61)", world.busy_owner, reverse("projects:mine")),
        ctx.time_get("project overview", owner, reverse("projects:detail", args=[project.pk])),
        ctx.time_get("project history", owner, reverse("projects:history", args=[project.pk])),
        ctx.time_get("phases", owner, reverse("phases:overview", args=[project.pk])),
        ctx.time_get("activity", owner, reverse("phases:activity", args=[project.pk, activity.pk])),
        ctx.time_get("participation", owner, reverse("participation:plan", args=[project.pk])),
        ctx.time_get("approvals inbox", world.coordinator, reverse("participation:inbox")),
    ]
