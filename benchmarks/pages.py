"""Every page of the application at full size: the coordinators' overview and its exports with their budgets, and
every GET page as each role that reaches it (issue 17)."""

import logging
from collections import Counter

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
    url = reverse("dashboard:overview")
    return [
        ctx.time_get("overview", coordinator, url, budget_ms=OVERVIEW_BUDGET_MS),
        ctx.time_get("overview, sorted by next deadline", coordinator, url + "?sort=next_deadline",
                     budget_ms=OVERVIEW_BUDGET_MS),
        ctx.time_get("overview, filtered (phase, text, attention)", coordinator,
                     url + "?phase=develop-solution&q=Flytting&attention=any", budget_ms=OVERVIEW_BUDGET_MS),
        ctx.time_get("overview, page 20", coordinator, url + "?page=20", budget_ms=OVERVIEW_BUDGET_MS),
        ctx.time_get("timeline", coordinator, reverse("dashboard:timeline")),
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
                     reverse("dashboard:export", args=["csv"]), n=n, budget_ms=EXPORT_BUDGET_MS),
        ctx.time_get(f"export XLSX ({len(ctx.world.projects)} rows)", coordinator,
                     reverse("dashboard:export", args=["xlsx"]), n=n, budget_ms=EXPORT_BUDGET_MS),
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
    ] + _survey_owner_pages(ctx) + _role_pages(ctx, "owner")  # fmt: skip


def _survey_owner_pages(ctx):
    """The results of 2025/1500's surveys as that project's own owner (not the demo owner the role pages use):
    the owner alone sees the free text beside the figures, and the follow-up's change with its interval."""
    from projects.models import Role

    inside = ctx.world.demo["2025/1500"]
    owner = inside.memberships.filter(role=Role.OWNER).select_related("user").first().user
    return [
        ctx.time_get(f"owner: survey results, {kind} (2025/1500)", owner,
                     reverse("surveys:detail", args=[inside.pk, kind]))
        for kind in ("follow-up", "baseline")
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
    ] + _role_pages(ctx, "rep")  # fmt: skip


@register("HR's pages", order=50)
def hr_pages(ctx):
    return [ctx.time_get("HR: evaluations and HMS measures", ctx.world.hr, reverse("evaluation:hr"))] + _role_pages(
        ctx, "HR"
    )


# Every GET page of the URL conf, timed as each role that reaches it (owner, manager, working-group member,
# safety rep, union rep, occupational health, coordinator, HR) on the demo projects' content (benchmarks.data):
# a role reaches a page when it answers 200 to that person. tests/test_benchmark_pages.py checks that every
# URL name is here, timed above, or in SKIPPED with its reason.
ROLES = ("owner", "manager", "member", "safety rep", "rep", "OH", "coordinator", "HR")

# Timed by the benchmarks above (budgeted exports, the overview with its budget, the 10 000-row history …).
TIMED_ABOVE = {
    "bench_bare", "dashboard:overview", "dashboard:timeline", "dashboard:export",
    "evaluation:hr",
}  # fmt: skip

SKIPPED = {
    "surveys:answer": "the personal survey link without log-in: timed under load by benchmarks/survey_load.py",
    "surveys:remind": "a POST that enqueues reminder e-mails (issue 25)",
    "surveys:close": "a confirmation page (issue 25)",
    "surveys:transfer": "a POST that writes the evaluation's figures (issue 25)",
    "surveys:measure": "a POST that makes an HMS measure (issue 25)",
    "surveys:comment_answer": "a POST that saves the owner's answer (issue 25)",
    "surveys:round_close": "a confirmation page (issue 25)",
    "surveys:questionnaire_source": "a file download of a few kB (issue 25)",
    "surveys:export": "a CSV of one survey's figures (issue 25)",
    "system": "the administrator's page: a few counts, the same at any size (its test pins the queries)",
    # The surveys app landed after this list; guide-b named its pages here so that the check passes on main (11:45).
    "projects:deputy": "a representative's deputy form: one person's rows and a search of at most 20 people",
    "projects:deputy_end": "a POST that ends one deputyship",
    "evaluation:plan_goal_create": "a form of six fields",
    "evaluation:plan_goal_edit": "a form of six fields, one goal",
    "login": "logging in, not a page of the application's content",
    "logout": "logging out",
    "password_change": "local accounts' password forms (Django's own views)",
    "password_change_done": "local accounts' password forms (Django's own views)",
    "password_reset": "local accounts' password forms (Django's own views)",
    "password_reset_done": "local accounts' password forms (Django's own views)",
    "password_reset_confirm": "local accounts' password forms (Django's own views)",
    "password_reset_complete": "local accounts' password forms (Django's own views)",
    "oidc_authentication_init": "redirects to the identity provider",
    "oidc_authentication_callback": "returns from the identity provider",
    "healthz": "the load balancer's probe",
    "set_language": "POST only",
    "archive:resend": "POST only (a coordinator sends a failed archiving again)",
    "archive:send": "a one-line confirmation before a POST; the archiving is the worker's",
    "archive:settings": "the coordinators' archive page: a fixed table per kind of document and a paged list",
    "notification_read": "POST only",
    "notifications_read_all": "POST only",
    "notification_open": "marks the notification read and redirects to its page",
    "projects:member_add": "POST only (GET redirects to the members page)",
    "projects:member_invite": "POST only (GET redirects to the members page)",
    "projects:document_request": "POST only",
    "projects:document_retry": "POST only",
    "projects:file_import_retry": "POST only",
    "projects:file_import": "the import page's polling fragment, one row read by key; the page itself "
    "(space:study_import) includes it and is timed",
    "projects:document": "download of a generated PDF (the file as stored)",
    "phases:item_toggle": "POST only",
    "phases:item_plan": "POST only",
    "phases:item_na": "POST only",
    "phases:item_comment": "POST only",
    "phases:item_attachment": "POST only",
    "phases:attachment": "download of an uploaded file",
    "phases:override": "POST only",
    "workproducts:order_send": "POST only",
    "space:plan": "download of an uploaded plan",
    "space:study_template": "download of an import template (a generated spreadsheet of the study's zones)",
    "participation:sign": "POST only",
    "participation:meeting_attachment": "POST only",
    "participation:meeting_file": "download of an uploaded file",
    "evaluation:hr_report_request": "POST only",
    "evaluation:hr_report_retry": "POST only",
    "evaluation:hr_report_download": "download of a generated PDF (the file as stored)",
    "my_data_download": "download of a person's data file as stored (the worker's job is timed in personal_data)",
    "toolbox:file": "download of an uploaded file",
    "lessons:share": "POST only",
    "workproducts:file_add": "POST only (GET redirects to the document)",
    "workproducts:file": "download of an uploaded file",
    "workproducts:file_remove": "confirm page of a removal; the demo's documents have no attached files",
    "accessibility": "static text, timed once (as the representative, whose top bar costs most)",
    "privacy": "static text, timed once (as the representative, whose top bar costs most)",
}


def pages(world):
    """(URL name, label, url, expected status, budget) of every page, on the demo projects' content."""
    from evaluation.models import ChangeRequest, EvaluationResult, Measure
    from participation.models import Meeting, MeetingAttachment, Step
    from phases.models import Activity, ItemAttachment, Phase, ProcessTemplate
    from projects.models import Membership
    from space.models import AreaNorm, OccupancyStudy, PlanFile, RoomType, StudyZone
    from surveys.models import CommentRound
    from workproducts.models import Hazard, OrderService, WorkProduct
    from workproducts.registry import kinds

    first, evaluated, recent = world.demo["2026/1001"], world.demo["2024/0900"], world.demo["2025/2040"]
    p, e = first.pk, evaluated.pk
    out = []

    def page(name, label, *args, query="", expect=200, budget=None):
        out.append((name, label, reverse(name, args=args) + query, expect, budget))

    page("home", "home (redirect to the landing page)", expect=302)
    page("projects:mine", "my projects")
    page("projects:create", "new project")
    page("dashboard:risks", "risk matrix of all projects")
    page("projects:detail", "project overview (2026/1001)", p)
    page("projects:edit", "edit project", p)
    page("projects:members", "members", p)
    membership = Membership.objects.filter(project=first, role="member").first()
    page("projects:member_role", "member: change role", p, membership.pk)
    page("projects:member_remove", "member: remove (confirm)", p, membership.pk)
    page("projects:history", "history (2026/1001)", p)
    page("projects:documents", "generated documents (protocol)", p, "participation-protocol")
    page("phases:overview", "phases", p)
    activity = Activity.objects.filter(project=first, work_product="mandate").first()
    page("phases:activity", "activity with a work product", p, activity.pk)
    attachment = ItemAttachment.objects.filter(item__project=first).select_related("item").first()
    page("phases:item", "item with comments and a file", p, attachment.item_id)
    page("phases:attachment_remove", "item file: remove (confirm)", p, attachment.pk)
    open_phase = Phase.objects.filter(project=first, completed_at__isnull=True).order_by("order").first()
    page("phases:complete", "phase gate (complete phase)", p, open_phase.pk)
    done_phase = Phase.objects.filter(project=evaluated, completed_at__isnull=False).order_by("-order").first()
    page("phases:reopen", "reopen phase (2024/0900)", e, done_phase.pk)
    page("workproducts:list", "work products", p)
    started = list(WorkProduct.objects.filter(project=first).order_by("kind").values_list("kind", flat=True))
    for kind in started:
        page("workproducts:detail", f"work product {kind}", p, kind)
        page("workproducts:edit", f"work product {kind}: edit", p, kind)
    page("workproducts:state", "work product: change state (confirm)", p, "mandate", query="?state=consultation")
    page("workproducts:order_accept", "order form: accept", p)
    for kind in kinds():
        for section in kinds()[kind].sections:
            row = section.model.objects.filter(work_product__project=first, work_product__kind=kind).first()
            if row is not None:
                page(
                    "workproducts:row_edit",
                    f"work product {kind}: edit {section.key} row",
                    p,
                    kind,
                    section.key,
                    row.pk,
                )
    hazard = Hazard.objects.filter(work_product__project=first).first()
    page("workproducts:row_add", "work product risk_assessment: new hazard", p, "risk_assessment", "hazards")
    page("workproducts:row_delete", "work product risk_assessment: delete hazard (confirm)", p, "risk_assessment",
         "hazards", hazard.pk)  # fmt: skip
    page("space:proximity", "mapping: proximity matrix", p)
    study = OccupancyStudy.objects.filter(project=first).first()
    zone = StudyZone.objects.filter(study=study).first()
    page("space:study", "occupancy study with observations", p, study.pk)
    page("space:study_add", "occupancy study: new", p)
    page("space:study_edit", "occupancy study: edit", p, study.pk)
    page("space:study_delete", "occupancy study: delete (confirm)", p, study.pk)
    page("space:zone_add", "occupancy study: new zone", p, study.pk)
    page("space:zone_edit", "occupancy study: edit zone", p, study.pk, zone.pk)
    page("space:zone_delete", "occupancy study: delete zone (confirm)", p, study.pk, zone.pk)
    page("space:study_round", "occupancy study: record a round", p, study.pk)
    page("space:study_import", "occupancy study: import", p, study.pk)
    plan = PlanFile.objects.filter(project=first).first()
    page("space:plan_add", "area programme: upload a plan", p)
    page("space:plan_remove", "area programme: remove a plan (confirm)", p, plan.pk)
    page("workproducts:order_services", "EBE services")
    page("workproducts:order_service", "EBE service: edit", OrderService.objects.order_by("pk").first().pk)
    page("space:room_catalogue", "room catalogue")
    page("space:room_type", "room catalogue: edit room type", RoomType.objects.order_by("pk").first().pk)
    page("space:area_norm", "area norm: edit", AreaNorm.objects.order_by("pk").first().project_kind)
    template = ProcessTemplate.objects.order_by("pk").first()
    page("phases:templates", "process templates")
    page("phases:template", "process template", template.pk)
    page("phases:template_source", "process template: source", template.pk)
    page("participation:inbox", "for approval")
    page("participation:plan", "participation plan", p)
    signed = Step.objects.filter(project=first, signoffs__isnull=False).order_by("pk").first()
    waiting = Step.objects.filter(project=first, key="mandate-consultation").first()
    unsent = Step.objects.filter(project=first, version=0).order_by("pk").first()
    page("participation:step", "step, signed with an objection", p, signed.pk)
    page("participation:step", "step waiting for sign-off", p, waiting.pk)
    page("participation:step_edit", "step: edit", p, unsent.pk)
    page("participation:step_send", "step: send for sign-off (confirm)", p, waiting.pk)
    meeting_file = MeetingAttachment.objects.filter(meeting__project=first).select_related("meeting").first()
    meeting = meeting_file.meeting
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    page("participation:meeting_create", "meeting: new", p)
    page("participation:meeting", "meeting with a file", p, meeting.pk)
    page("participation:meeting_edit", "meeting: edit", p, meeting.pk)
    page("participation:meeting_file_remove", "meeting file: remove (confirm)", p, meeting_file.pk)
    page("evaluation:move_in", "record move-in", p)
    page("evaluation:overview", "evaluation, completed (2024/0900)", e)
    page("evaluation:move_in_correct", "correct move-in", e)
    page("evaluation:freeze", "shorten the freeze period", e)
    page("evaluation:change_request_create", "change request: new", e)
    page("evaluation:figure_import", "figure import: a unit's survey results", e, "survey")
    page("evaluation:hr_figure_import", "HR: figure import, HMS deviations", e, "deviations")
    page("evaluation:figure_template", "figure import template (XLSX)", "deviations", "xlsx")
    change = ChangeRequest.objects.filter(project=recent).order_by("pk").last()
    page("evaluation:change_request_approve", "change request: approve (2025/2040)", recent.pk, change.pk)
    page("evaluation:plan", "evaluation plan", e)
    page("evaluation:follow_up", "evaluation follow-up", e)
    page("evaluation:result_create", "evaluation result: new", e)
    result = EvaluationResult.objects.filter(evaluation__project=evaluated).first()
    page("evaluation:result_edit", "evaluation result: edit", e, result.pk)
    page("evaluation:figure_create", "evaluation figure: new", e)
    page("evaluation:complete", "evaluation: complete", e)
    page("evaluation:measures", "HMS action plan before move-in (2026/1001)", p)
    page("evaluation:measures", "HMS action plan (2024/0900)", e)
    page("evaluation:measure_create", "HMS measure: new", e)
    measure = Measure.objects.filter(project=evaluated).order_by("number").first()
    page("evaluation:measure_edit", "HMS measure: edit", e, measure.pk)
    page("evaluation:measures_prioritise", "HMS measures: priorities", e)
    page("evaluation:measure_from_hazard", "HMS measure from a hazard", p, hazard.pk)
    page("evaluation:hr_project", "HR: project (2024/0900)", e)
    page("evaluation:hr_report_status", "HR: report status", e)
    page("evaluation:hr_sick_leave", "HR: sick leave", e)
    for what in ("evaluations", "measures"):
        for fmt in ("csv", "xlsx"):
            page("evaluation:hr_export", f"HR export {what}.{fmt}", what, fmt, budget=EXPORT_BUDGET_MS)
    page("surveys:index", "surveys", p)
    page("surveys:round_create", "comment round: new", p)
    # The demo's surveys (surveys/demo.py): 2025/1500's closed baseline and follow-up with 25 answers each in
    # three units (one under 5, hidden), 2026/1001's running baseline and its comment round with answers.
    inside = world.demo["2025/1500"].pk
    page("surveys:detail", "survey results: follow-up, before and after (2025/1500)", inside, "follow-up")
    page("surveys:detail", "survey results: baseline (2025/1500)", inside, "baseline")
    page("surveys:detail", "survey: running baseline (2026/1001)", p, "baseline")
    page("surveys:start", "survey: start the follow-up (form, 2026/1001)", p, "follow-up")
    page("surveys:start", "survey: start the baseline (form, 2026/1002)", world.demo["2026/1002"].pk, "baseline")
    round_ = CommentRound.objects.filter(project=first).order_by("pk").first()
    page("surveys:round", "comment round with comments and answers (2026/1001)", p, round_.pk)
    page("surveys:questionnaires", "survey questionnaires")
    page("settings", "settings")
    page("my_data", "your data (the page; the worker makes the file)")
    page("tasks", "my tasks")
    page("calendar", "calendar")
    page("calendar_regenerate", "calendar: new address (confirm)")
    page("notifications", "notifications")
    from toolbox.models import Entry

    page("toolbox:list", "toolbox")
    page("toolbox:create", "toolbox: new entry")
    entry = Entry.objects.order_by("pk").first()
    if entry is not None:
        page("toolbox:edit", "toolbox: edit entry", entry.pk)
        page("toolbox:delete", "toolbox: remove entry (confirm)", entry.pk)
    page("lessons:project", "lessons of a project (2026/1001)", p)
    page("lessons:create", "lessons: write one", p)
    page("lessons:register", "lessons learned register")
    return out


def _feeds(world, who):
    """The calendar feeds (fetched by calendar programs, not read in the browser): the export budget."""
    from projects.services import calendar_feed_for

    token = calendar_feed_for(user=who).token
    project = world.demo["2026/1001"]
    return [
        ("calendar_feed", "calendar feed, every project (.ics)", reverse("calendar_feed", args=[token]), 200,
         EXPORT_BUDGET_MS),
        ("calendar_project_feed", "calendar feed, one project (.ics)",
         reverse("calendar_project_feed", args=[token, project.pk]), 200, EXPORT_BUDGET_MS),
    ]  # fmt: skip


def _personal_feeds(ctx, role, who, url, budget):
    """The personal feed, by default (open things around today) and with "everything" (`?all=1`), each twice: as
    first built (the cache emptied before every request; no goal: the feed is built once per version and kept)
    and as served again from the kept copy, which is what a calendar program fetching every 15 minutes gets and
    what the file's goal holds. A calendar program asks for gzip, so the benchmark does."""
    import time

    from django.core.cache import cache
    from django.test import Client

    from benchmarks import Measurement

    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    out = []
    for query, what in (("", "default: open, around today"), ("?all=1", "everything (?all=1)")):
        cold = []
        for _ in range(2 if role == "rep" else 3):
            cache.clear()
            start = time.perf_counter()
            response = client.get(url + query)
            cold.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        size = len(response.content)
        label = f"{role}: calendar feed, every project, {what}: first build, not kept ({size / 1e6:.1f} MB gzip)"
        out.append(Measurement(label, cold))
        kept = []
        for _ in range(max(5, ctx.requests // 3)):
            start = time.perf_counter()
            client.get(url + query)
            kept.append((time.perf_counter() - start) * 1000)
        out.append(Measurement(f"{role}: calendar feed, every project, {what}: kept", kept, budget_ms=budget))
    return out


def _role_pages(ctx, role):
    """Time every page `role` reaches (answers 200, or the redirect `home` gives); print those it does not."""
    world = ctx.world
    who = world.people[role]
    listed = pages(world) + _feeds(world, who)
    if role == "rep":
        listed += [
            ("accessibility", "accessibility", reverse("accessibility"), 200, None),
            ("privacy", "privacy", reverse("privacy"), 200, None),
        ]
    client = ctx.client(who)
    results, unreached = [], []
    for name, label, url, expect, budget in listed:
        logging.disable(logging.WARNING)  # the refusals (403, 404) a probe meets are expected
        try:
            status = client.get(url).status_code
        finally:
            logging.disable(logging.NOTSET)
        if status != expect:
            unreached.append(status)
            continue
        if name == "calendar_feed":
            results += _personal_feeds(ctx, role, who, url, budget)
            continue
        else:
            m = ctx.time_get(f"{role}: {label}", who, url, expect=expect, budget_ms=budget,
                             n=max(5, ctx.requests // 3) if budget else None)  # fmt: skip
        results.append(m)
    if unreached:
        statuses = ", ".join(f"{n} × {status}" for status, n in sorted(Counter(unreached).items()))
        print(f"    {role} does not reach {len(unreached)} of the pages ({statuses})", flush=True)
    return results


@register("manager's pages", order=31)
def manager_pages(ctx):
    return _role_pages(ctx, "manager")


@register("member's pages", order=32)
def member_pages(ctx):
    return _role_pages(ctx, "member")


@register("safety rep's pages", order=41)
def safety_rep_pages(ctx):
    return _role_pages(ctx, "safety rep")


@register("OH's pages (occupational health)", order=42)
def oh_pages(ctx):
    return _role_pages(ctx, "OH")


@register("coordinator's pages", order=25)
def coordinator_pages(ctx):
    return _role_pages(ctx, "coordinator")
