"""How participation plugs into projects and phases: tab, overview panel, gate, inbox link, history, demo."""

from datetime import timedelta

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phases.signals import process_started, step_content_changed, work_product_changed
from projects import documents, extensions
from projects.history import HistorySource, history_of, tr
from projects.models import EMPLOYER_ROLES, PARTY_ROLES, Project, Role
from projects.personal_data import ExportValue, PersonalText
from projects.selectors import project_members

from . import reminders, roles, selectors, services, snapshot  # noqa: F401  (reminders registers its sources)
from .models import Meeting, MeetingAttachment, SignOff, Step, StepVersion
from .pdf import render_protocol

extensions.register("project_tab", extensions.Tab("participation", _("Participation"), "participation:plan", 20))
extensions.register("gate_blocker", selectors.phase_blockers)
extensions.register("gate_notice", selectors.phase_objections)


@extensions.register("activity_panel", order=20)
def _activity_steps(project, activity):
    """The activity page's card of its participation steps, each a link to the step."""
    steps = list(Step.objects.filter(activity=activity))
    if not steps:
        return None
    return {"template": "participation/_activity_steps.html", "steps": steps}


@receiver(process_started)
def _create_steps(sender, process, by, **kwargs):
    services.steps_create(project=process.project, by=by)


@extensions.register("workproduct_signoff_source")
def _document_steps(work_product):
    """The steps whose signed content includes the document, with their sign-offs (for its PDF)."""
    return selectors.activity_steps(activity_id=work_product.activity_id, exclude_kinds=(Step.Kind.INFORMATION,))


@receiver(work_product_changed)
def _refresh_steps(sender, work_product, by, **kwargs):
    """A changed document changes the signed content of the steps that include it: new version, outdated
    sign-offs. Runs inside the document service's transaction."""
    for step in Step.objects.select_for_update(no_key=True).filter(activity_id=work_product.activity_id):
        services.step_refresh(step=step, by=by)


@receiver(step_content_changed)
def _refresh_kind_steps(sender, project, step_kind, by, **kwargs):
    """Content another app provides for steps of a kind changed (the HMS measures the parties prioritise): the
    project's steps of that kind get a new version. Runs inside that app's transaction."""
    for step in Step.objects.select_for_update(no_key=True).filter(project=project, kind=step_kind):
        services.step_refresh(step=step, by=by)


extensions.register("history_hidden_fields", ("content_hash", "sha256", "version_at", "is_sent", "content"))


def _content_as_read_by(obj, user):
    """A person's data export shows signed content as that person may read it now (participation/snapshot.py).
    A history row can outlive its step or project; then who may read which of its words can no longer be told,
    and the content is left out rather than shown whole. The steps' projects are read once per export (kept on the
    export's own User instance, which `person_data` reads afresh): the representative of 2 000 projects has some
    7 000 signed rows, and two queries for each took most of the export's 20 s."""
    seen = user.__dict__.setdefault("_export_projects", {})
    if isinstance(obj, Step | Step.history.model):
        project_id = obj.project_id
    else:
        if "steps" not in seen:  # every step's project in one query (a step gone since has none)
            seen["steps"] = dict(Step.objects.values_list("pk", "project_id"))
        project_id = seen["steps"].get(obj.step_id)
    if project_id not in seen:
        seen[project_id] = Project.objects.filter(pk=project_id).first() if project_id is not None else None
    if seen[project_id] is None:
        return str(_("(left out: the project no longer exists)"))
    return snapshot.shown_text(obj.content, project=seen[project_id], reader=user)


for _model in (Step, Step.history.model, StepVersion, SignOff, SignOff.history.model):
    extensions.register("export_value", ExportValue(_model, "content", _content_as_read_by))


@extensions.register("nav_item", order=20)
def _inbox_link(request):
    count = selectors.waiting_count_of_viewer(request.user)
    if count is None:
        return None
    return {
        "label": _("For approval"),
        "url": reverse("participation:inbox"),
        "count": count,
        "count_label": _("waiting"),
        "active": request.resolver_match is not None and request.resolver_match.view_name == "participation:inbox",
    }


@extensions.register("landing_page", order=20)
def _representatives_land_on_approvals(user):
    """Representatives (safety rep, union rep, OH service, AMU) start on *Til godkjenning*, unless they also
    run a project as owner or manager, whose work starts from *Mine prosjekter*."""
    roles = set(user.memberships.values_list("role", flat=True).distinct())
    if roles & PARTY_ROLES and not roles & EMPLOYER_ROLES:
        return reverse("participation:inbox")
    return None


@extensions.register("project_overview_panel", order=20)
def _overview_panel(request, project):
    steps = selectors.project_steps(project=project)
    plan = roles.participation_plan(project_members(project=project))
    objections = [(v, s) for v in steps for s in v.live_objections]
    answered = [(v, s, later) for v in steps for s, later in v.answered_objections]
    waiting = [v for v in steps if v.step.is_sent and not v.complete]  # sent and not fully signed
    not_ready = sum(1 for v in steps if not v.step.is_sent)
    if not steps and not roles.gaps(plan):
        return None
    return {
        "template": "participation/_overview_panel.html",
        "gaps": roles.gaps(plan),
        "objections": objections,
        "answered": answered,
        "waiting": waiting,
        "not_ready": not_ready,
    }


extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(Step).filter(project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Participation step: %(step)s") % {"step": tr(r, "name")}),
        show_created=False,
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(SignOff).filter(step__project_id=p.pk).select_related("history_user", "step", "signer"),
        lambda r: str(
            _("Sign-off on “%(step)s”: %(decision)s")
            % {"step": tr(r.step, "name"), "decision": r.get_decision_display()}
        ),
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(Meeting).filter(project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Meeting: %(title)s") % {"title": r.title}),
    ),
)
extensions.register(
    "history_source",
    HistorySource(
        lambda p: history_of(MeetingAttachment).filter(meeting__project_id=p.pk).select_related("history_user"),
        lambda r: str(_("Meeting file: %(name)s") % {"name": r.original_name}),
    ),
)
extensions.register(
    "document_kind",
    documents.Kind(
        "participation-protocol",
        label=_("the participation protocol"),
        render=render_protocol,
        filename="medvirkningsprotokoll",
        request_perm="participation.manage_plan",
    ),
)


@extensions.register("demo_seeder", order=5)
def _seed_demo_signoffs(projects, users):
    """Sign the steps of the phases the demo projects have completed (phases' seeder completes them next)."""
    from phases.hooks import DEMO_PROGRESS

    for case, (completed, _share) in DEMO_PROGRESS.items():
        project = projects.get(case)
        if project is None:
            continue
        holders = {}
        for m in project.memberships.select_related("user"):
            holders.setdefault(m.role, m.user)
        owner = project.memberships.filter(role="owner").select_related("user").first().user
        for n, step in enumerate(Step.objects.filter(project=project, activity__phase__order__lte=completed)):
            services.step_update(step=step, by=owner, summary=f"Lagt fram og drøftet: {step.name_nb}.", meetings=[])
            step = services.step_send(step=step, by=owner)
            for role in step.required_roles:
                decision, text = ("approved_with_remarks", "Husk universell utforming.") if n == 1 else ("approved", "")
                services.signoff_record(step=step, by=holders[role], role=role, decision=decision, text=text)


@extensions.register("demo_seeder", order=20)
def _seed_demo_participation(projects, users):
    """Meetings and sign-offs in the first demo project, with one objection on record."""
    project = projects.get("2026/1001")
    if project is None:
        return
    owner = users["eier@demo.kommune.no"]
    steps = {s.key: s for s in Step.objects.filter(project=project)}
    first = steps.get("start-information") or next(iter(steps.values()), None)
    if first is None:
        return
    start = project.start_date
    info = services.meeting_save(
        project=project, by=owner, type=Meeting.Type.INFORMATION, title="Informasjonsmøte om prosjektet",
        held_on=start + timedelta(days=7), agenda="1. Bakgrunn\n2. Mål og mandat\n3. Veien videre",
        minutes="Prosjekteier orienterte om bakgrunn, mål og framdrift. Spørsmål om garderober og oppbevaring.",
        decisions="Neste møte er drøftingsmøte om mandatet.",
        participants=[users["verneombud@demo.kommune.no"], users["tillitsvalgt@demo.kommune.no"]],
        steps=[first],
    )  # fmt: skip
    services.step_update(
        step=first, by=owner, summary="Ansatte og tillitsvalgte er informert om prosjektstart, mål og mandat.",
        meetings=[info],
    )  # fmt: skip
    first = services.step_send(step=first, by=owner)
    services.signoff_record(step=first, by=users["verneombud@demo.kommune.no"], decision="approved")
    services.signoff_record(
        step=first, by=users["tillitsvalgt@demo.kommune.no"], decision="objection",
        text="Vi mener at ansatte med behov for skjerming ikke er godt nok ivaretatt i planene.",
    )  # fmt: skip
    # Steps prepared by the owner and waiting in the representatives' inbox ("Til godkjenning").
    consultation = steps.get("mandate-consultation")
    if consultation is not None:
        meeting = services.meeting_save(
            project=project, by=owner, type=Meeting.Type.CONSULTATION, title="Drøftingsmøte om mandatet",
            held_on=start + timedelta(days=21), agenda="1. Utkast til mandat\n2. Økonomisk ramme\n3. Milepæler",
            minutes="Utkastet ble gjennomgått. Tillitsvalgte ba om at garderobeløsningen tas inn i kravene.",
            decisions="Garderobeløsning tas inn som leveransekrav.",
            participants=[users["verneombud@demo.kommune.no"], users["tillitsvalgt@demo.kommune.no"]],
            steps=[consultation],
        )  # fmt: skip
        services.step_update(
            step=consultation, by=owner, meetings=[meeting],
            summary="Mandatet med økonomisk ramme på 2 500 000 kr, milepæler og roller legges fram til godkjenning.",
        )  # fmt: skip
    second = projects.get("2026/1002")
    floor = Step.objects.filter(project=second, key="floor-plan-consultation").first() if second else None
    if floor is not None:
        services.step_update(
            step=floor, by=users["eier@demo.kommune.no"], meetings=[],
            summary="Planløsning og møbleringsplan (tegning datert i fase 2) legges fram for drøfting.",
        )  # fmt: skip
        services.step_send(step=floor, by=users["eier@demo.kommune.no"])


@extensions.register("demo_seeder", order=40)
def _send_demo_consultation(projects, users):
    """The consultation on the mandate waits in the representatives' inbox: sent as version 1 once the
    mandate is filled in (the work products' seeder runs at 30), so what they see is the whole document."""
    project = projects.get("2026/1001")
    step = Step.objects.filter(project=project, key="mandate-consultation").first() if project else None
    if step is not None and not step.is_sent:
        services.step_send(step=step, by=users["eier@demo.kommune.no"])


@extensions.register("demo_seeder", order=35)
def _seed_demo_prioritisation(projects, users):
    """The parties' priorities in 2024/0900 (evaluation's seeder records them) sent for the representatives'
    sign-off, so the step waits in their inbox."""
    project = projects.get("2024/0900")
    step = Step.objects.filter(project=project, kind=Step.Kind.PRIORITISATION).first() if project else None
    if step is None or not step.has_unsent_changes:
        return
    owner = project.memberships.filter(role=Role.OWNER).select_related("user").first().user
    services.step_send(step=step, by=owner)


# Retention: the free text of sign-offs and the names of participants without an account are personal;
# the sign-off itself (step, role, signer, decision, time, content hash) is kept.
extensions.register(
    "personal_text", PersonalText(SignOff, ("text",), rows=lambda p: SignOff.objects.filter(step__project_id=p.pk))
)
extensions.register(
    "personal_text",
    PersonalText(Meeting, ("other_participants",), rows=lambda p: Meeting.objects.filter(project_id=p.pk)),
)


def _signoff_due(version_at):
    from projects.reminders import add_working_days

    from .reminders import WAITING_WORKING_DAYS

    return add_working_days(timezone.localtime(version_at).date(), WAITING_WORKING_DAYS)


def _signoff_counts(user, today):
    total = selectors.waiting_count_of_viewer(user)
    if not total:
        return 0, 0
    roles = selectors.signing_roles_of_viewer(user)
    return total, selectors.waiting_count(user=user, roles=roles, sent_before=selectors.overdue_cutoff(today))


def _signoff_keys(user, today, limit):
    # Oldest first, so also by deadline.
    first = selectors.waiting_page(user=user, roles=selectors.signing_roles_of_viewer(user), limit=limit)
    return [(_signoff_due(sent), pk) for pk, sent in first]


def _signoff_rows(user, today, ids):
    from django.utils.formats import date_format

    rows = {}
    steps = Step.objects.filter(pk__in=ids).select_related("project").order_by("version_at", "id")
    for entry in selectors.waiting_entries(steps, user=user):
        since = timezone.localtime(entry.step.version_at).date()
        rows[entry.step.pk] = extensions.TaskRow(
            kind=_("Sign-off"),
            title=entry.step.name,
            url=reverse("participation:step", args=[entry.step.project_id, entry.step.pk]),
            project=entry.step.project,
            due_date=_signoff_due(entry.step.version_at),
            detail=_("As %(roles)s, waiting since %(date)s")
            % {"roles": ", ".join(str(r.label).lower() for r in entry.roles), "date": date_format(since)},
        )
    return rows


extensions.register(
    "task_source",
    extensions.TaskSource(key="signoffs", order=20, counts=_signoff_counts, keys=_signoff_keys, rows=_signoff_rows),
)
