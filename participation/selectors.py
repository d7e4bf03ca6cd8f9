"""Reads for participation: where each step stands, what waits for whom, what changed since a sign-off."""

import json
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from phases.gates import Blocker
from phases.models import Phase
from projects import search
from projects.models import EMPLOYER_ROLES, PARTY_ROLES, Deputy, Membership, Project, Role, User
from projects.selectors import page_memo, project_members

from .models import LatestSignOff, Meeting, OpenSignOff, SignOff, Step, StepVersion


@dataclass
class RoleStatus:
    role: str
    label: str
    current: SignOff | None = None  # a sign-off of the current version that counts, if any
    outdated: SignOff | None = None  # the newest sign-off of an earlier version, if no current one
    lapsed: SignOff | None = None  # a sign-off of the current version whose signer no longer holds the role

    @property
    def met(self):
        return self.current is not None


@dataclass
class StepView:
    step: Step
    roles: list[RoleStatus] = field(default_factory=list)
    lapsed_ids: set = field(default_factory=set)  # sign-offs (any version) that no longer count
    # An objection answered by the same signer's later decision (same role, a later version): objection id -> it.
    answers: dict = field(default_factory=dict)

    @property
    def complete(self):
        return all(r.met for r in self.roles)

    @property
    def objections(self):
        return [s for s in self.step.signoffs.all() if s.is_objection]

    @property
    def current_objections(self):
        return [s for s in self.objections if s.step_version == self.step.version]

    @property
    def live_objections(self):
        """Objections not answered by their signer's later decision: what the overview counts and shows in red."""
        return [s for s in self.objections if s.pk not in self.answers]

    @property
    def answered_objections(self):
        """(objection, the same signer's later sign-off that answered it)."""
        return [(s, self.answers[s.pk]) for s in self.objections if s.pk in self.answers]

    @property
    def sent_summary(self):
        """The summary of the version sent for sign-off (not the draft)."""
        return json.loads(self.step.content)["summary"] if self.step.content else ""


def _signoffs(*, without_content=False):
    signoffs = SignOff.objects.select_related("signer").order_by("signed_at", "id")
    return Prefetch("signoffs", queryset=signoffs.defer("content") if without_content else signoffs)


def _steps_queryset():
    return Step.objects.select_related("activity__phase", "project").prefetch_related(
        _signoffs(),
        Prefetch("project__memberships", queryset=Membership.objects.only("id", "project_id", "user_id", "role")),
    )


def role_holders(step: Step) -> set[tuple[int, str]]:
    """(user id, role) of everybody in the step's project, from the prefetch where the page made one."""
    project = step.project
    if "memberships" in getattr(project, "_prefetched_objects_cache", {}):
        memberships = project.memberships.all()
    else:
        memberships = Membership.objects.filter(project_id=step.project_id).only("user_id", "role")
    return {(m.user_id, m.role) for m in memberships}


def signoff_counts(signoff: SignOff, holders: set[tuple[int, str]]) -> bool:
    """A sign-off counts while its signer holds the role it was given in, and is not on the employer's side
    (owner or manager) of the project: one who lost the role, or took an employer role, no longer speaks for
    the representatives. The sign-off itself stays on record."""
    who = signoff.speaks_for_id  # a deputy's sign-off fills the representative's role, also after the period
    if (who, signoff.role) not in holders:
        return False
    return not any((person, role) in holders for role in EMPLOYER_ROLES for person in {who, signoff.signer_id})


def counting_signoffs(role: str):
    """The SQL form of `signoff_counts`, inside a subquery on Step: sign-offs of the step's current version
    for `role` whose signer still holds it and is not the project's owner or manager."""
    project = OuterRef(OuterRef("project"))
    speaks_for = Coalesce(OuterRef("on_behalf_of"), OuterRef("signer"))  # a deputy fills the representative's role
    holds = Membership.objects.filter(project=project, user=speaks_for)
    employer = Membership.objects.filter(project=project, user=OuterRef("signer"), role__in=EMPLOYER_ROLES)
    return SignOff.objects.filter(step=OuterRef("pk"), step_version=OuterRef("version"), role=role).filter(
        Exists(holds.filter(role=role)) & ~Exists(holds.filter(role__in=EMPLOYER_ROLES)) & ~Exists(employer)
    )


def answered_objections(signoffs) -> dict:
    """{objection id: the sign-off that answered it}: an objection is answered once the same person signs the
    step again in the same role for a later version (approving, with remarks, or objecting anew: then the new
    objection is the live one). `signoffs` of one step, oldest first. The SQL form is `live_objections`."""
    out = {}
    for s in signoffs:
        if s.is_objection:
            later = next(
                (
                    o
                    for o in signoffs
                    if (o.signer_id, o.role) == (s.signer_id, s.role) and o.step_version > s.step_version
                ),
                None,
            )
            if later is not None:
                out[s.pk] = later
    return out


def live_objections() -> QuerySet[SignOff]:
    """The objections not answered by the same signer's later decision on the step (`answered_objections`): what
    the project's count, the overview's column, filter and attention list count."""
    later = SignOff.objects.filter(
        step=OuterRef("step"),
        signer=OuterRef("signer"),
        role=OuterRef("role"),
        step_version__gt=OuterRef("step_version"),
    )
    return SignOff.objects.filter(decision=SignOff.Decision.OBJECTION).filter(~Exists(later))


def step_view(step: Step, signoffs=None, holders=None) -> StepView:
    """Where each required role stands on the step, from its prefetched sign-offs (or the `signoffs` given)
    and who holds which role in its project now (`holders`, else read from the project)."""
    view = StepView(step)
    signoffs = list(step.signoffs.all()) if signoffs is None else signoffs
    if holders is None:
        holders = role_holders(step) if signoffs else set()
    view.lapsed_ids = {s.pk for s in signoffs if not signoff_counts(s, holders)}
    view.answers = answered_objections(signoffs)
    for role in step.required_roles:
        status = RoleStatus(role, Role(role).label)
        for s in signoffs:
            if s.role != role:
                continue
            if s.step_version != step.version:
                status.outdated = s
            elif s.pk in view.lapsed_ids:
                status.lapsed = s
            else:
                status.current = s
        view.roles.append(status)
    return view


def project_steps(*, project: Project) -> list[StepView]:
    """The project's steps with where each role stands. On a page with a memo (the overview), read once, and
    with the project and members the page already read instead of reading them again for the steps; without
    the content sent and signed (a copy of the step's documents, which the overview never shows)."""
    memo = page_memo(project)
    if memo is None:
        return [step_view(s) for s in _steps_queryset().filter(project=project)]
    if "step_views" not in memo:
        holders = {(m.user_id, m.role) for m in project_members(project=project)}
        steps = (
            Step.objects.filter(project=project)
            .select_related("activity__phase")
            .defer("content")
            .prefetch_related(_signoffs(without_content=True))
        )
        for step in steps:
            step.project = project
        memo["step_views"] = [step_view(s, holders=holders) for s in steps]
    return memo["step_views"]


def activity_steps(*, activity_id: int, exclude_kinds=()) -> list[StepView]:
    """The steps of one activity with their sign-offs, in the project's order (for the activity's document PDF:
    only these steps are read, not every step of the project)."""
    steps = _steps_queryset().filter(activity_id=activity_id).exclude(kind__in=exclude_kinds)
    return [step_view(s) for s in steps]


def sign_roles_of(user: User, step: Step) -> list[tuple[str, str]]:
    """(role, label) of the roles the step requires that this person holds in its project."""
    from projects.permissions import project_roles

    held = project_roles(user, step.project_id)
    return [(r, Role(r).label) for r in step.required_roles if r in held]


@dataclass
class SignerPosition:
    """Where the reader of a step page stands as a signer: what they may still sign, what they decided on the
    version sent now, and the sign-off of an earlier version they gave last (its differences are shown)."""

    open_roles: list  # (role, label) still to sign on the current version
    decided: list  # my sign-offs of the current version
    previous: SignOff | None  # my last sign-off, when it was of an earlier version
    can_sign: bool
    not_sent: bool  # I would sign, but nothing has been sent yet


def signer_position(view: StepView, user: User) -> SignerPosition:
    """From the step's prefetched sign-offs: no query beyond the reader's roles in the project."""
    step = view.step
    sign_roles = sign_roles_of(user, step)
    mine = [s for s in step.signoffs.all() if s.signer_id == user.pk]
    decided = [s for s in mine if s.step_version == step.version]
    # a representative and their deputy sign once between them: what my deputy signed for me is done (a deputy
    # who opens a version the representative signed is told so by the service)
    done_for = {s.role for s in decided} | {
        s.role for s in step.signoffs.all() if s.step_version == step.version and s.on_behalf_of_id == user.pk
    }
    open_roles = [(r, label) for r, label in sign_roles if r not in done_for]
    previous = mine[-1] if mine and mine[-1].step_version != step.version else None
    return SignerPosition(
        open_roles=open_roles,
        decided=decided,
        previous=previous,
        can_sign=bool(open_roles) and step.is_sent,
        not_sent=bool(sign_roles) and not step.is_sent,
    )


def step_for_page(*, project: Project, step_id: int) -> StepView:
    step = (
        _steps_queryset()
        .prefetch_related(
            Prefetch(
                "meetings", queryset=Meeting.objects.prefetch_related("attachments", "participants").order_by("held_on")
            )
        )
        .get(pk=step_id, project=project)
    )
    return step_view(step)


def meetings_of(*, project: Project):
    return list(
        Meeting.objects.filter(project=project).prefetch_related("steps", "participants").order_by("-held_on", "-id")
    )


def protocol_steps(*, project: Project) -> tuple[list[StepView], list[StepView]]:
    """The protocol's steps in full, and, condensed, those of phases not reached yet that nobody has prepared
    or signed (the current phase is the first one not completed)."""
    from phases.models import Phase

    current = (
        Phase.objects.filter(project=project, completed_at__isnull=True)
        .order_by("order")
        .values_list("order", flat=True)
        .first()
    )
    full, later = [], []
    for view in project_steps(project=project):
        untouched = not view.step.is_sent and not view.step.signoffs.all()
        if current is not None and view.step.activity.phase.order > current and untouched:
            later.append(view)
        else:
            full.append(view)
    return full, later


def phase_blockers(phase) -> list[str]:
    """Required sign-offs missing or outdated on the steps of this phase's activities."""
    out = []
    if Phase.project.is_cached(phase) and page_memo(phase.project) is not None:  # a page: the steps read once
        views = [v for v in project_steps(project=phase.project) if v.step.activity.phase_id == phase.pk]
    else:
        views = [step_view(s) for s in _steps_queryset().filter(activity__phase=phase)]
    for view in views:
        for r in view.roles:
            if r.met:
                continue
            if r.lapsed:
                text = _("Sign-off from %(role)s no longer counts: the signer no longer holds the role (“%(step)s”)")
            elif r.outdated:
                text = _("Sign-off from %(role)s is outdated: “%(step)s” changed and needs signing again")
            else:
                text = _("Sign-off from %(role)s missing: “%(step)s”")
            url = reverse("participation:step", args=[view.step.project_id, view.step.pk])
            out.append(Blocker(text % {"role": r.label.lower(), "step": view.step.name}, url))
        if view.step.is_sent and view.step.has_unsent_changes:
            # What was signed must be what the project goes on with: a changed draft is sent and signed again.
            text = _("“%(step)s” has changes that have not been sent for sign-off") % {"step": view.step.name}
            out.append(Blocker(text, reverse("participation:step", args=[view.step.project_id, view.step.pk])))
    return out


def phase_objections(phase) -> list[str]:
    """Objections (protokolltilførsler) on the current versions of this phase's steps. They do not block the
    gate (one sign-off per role meets a step, whatever its decision), but the gate page names each of them."""
    out = []
    for view in (step_view(s) for s in _steps_queryset().filter(activity__phase=phase)):
        url = reverse("participation:step", args=[view.step.project_id, view.step.pk])
        for r in view.roles:
            if r.current is not None and r.current.is_objection:
                text = _("Objection from %(person)s (%(role)s) on “%(step)s”: %(text)s") % {
                    "person": r.current.signer.full_name,
                    "role": r.label.lower(),
                    "step": view.step.name,
                    "text": r.current.text,
                }
                out.append(Blocker(text, url))
    return out


def signing_roles_held(*, user: User) -> list[str]:
    """The signing roles (safety rep, union rep, OH service, AMU) this person holds in any project, or acts in as
    a deputy, in one query that every page's top bar runs: a yes or no per role, each answered from the index on
    (user, role) at its first row, not by reading every membership (20 000 for a representative in 20 000
    projects), and written as SQL around the deputies' own query: the same question as eight ORM subqueries took
    4 ms to build on every page, against 0.9 ms in all."""
    if user.pk is None:
        return []
    acting = Deputy.objects.acting().filter(deputy=user).order_by().values_list("role", flat=True)
    acting_sql, acting_params = acting.query.sql_with_params()
    # The roles as a derived table both PostgreSQL and SQLite read (SQLite has no column list after VALUES' alias).
    table, roles = Membership._meta.db_table, " UNION ALL ".join(["SELECT %s AS role"] * len(PARTY_ROLES))
    sql = (
        f"SELECT r.role FROM ({roles}) r WHERE EXISTS (SELECT 1 FROM {table} m"  # noqa: S608
        f" WHERE m.user_id = %s AND m.role = r.role) UNION SELECT acting.role FROM ({acting_sql}) acting"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*map(str, PARTY_ROLES), user.pk, *acting_params])
        return sorted({role for (role,) in cursor.fetchall()})


def signing_roles_of_viewer(user: User) -> list[str]:
    """`signing_roles_held`, read once per request: kept on the request's user object, which lives for one
    request (the top bar, the inbox and *Mine oppgaver* all ask)."""
    if not hasattr(user, "_signing_roles_memo"):
        user._signing_roles_memo = signing_roles_held(user=user)
    return user._signing_roles_memo


def open_signoffs_for(*, user: User, roles=None) -> QuerySet[OpenSignOff]:
    """THE definition of "waiting for my sign-off", used by the top bar's count, the inbox and *Mine oppgaver*:
    the stored open sign-offs (`OpenSignOff`, kept by the services through `rollups.open_signoffs_refresh`: a
    step sent for sign-off that requires the role and has no sign-off of its current version for it that counts,
    by me or another holder) whose project and role match one of my memberships. A step waits once even where I
    hold two of its roles: count and page its `step_id`s distinct. `roles` spares the query for the roles held
    when the caller already has them."""
    roles = signing_roles_held(user=user) if roles is None else roles
    if not roles:
        return OpenSignOff.objects.none()
    held = Membership.objects.filter(user=user, project_id=OuterRef("project_id"), role=OuterRef("role"))
    # Only the membership test: a second, redundant filter on my projects made PostgreSQL expect some 70 rows
    # where there were 3 500, and choose plans that compare every pair.
    acting = Deputy.objects.acting().filter(deputy=user, project_id=OuterRef("project_id"), role=OuterRef("role"))
    return OpenSignOff.objects.filter(role__in=roles).filter(Exists(held) | Exists(acting))


def waiting_for(*, user: User, roles=None) -> QuerySet[Step]:
    """The steps waiting for my sign-off (`open_signoffs_for`) as steps."""
    return Step.objects.filter(pk__in=open_signoffs_for(user=user, roles=roles).values("step_id"))


def waiting_count(*, user: User, roles=None, sent_before=None) -> int:
    """How many steps wait for my sign-off (those sent before `sent_before` only, if given): counted in the
    database from the stored open sign-offs, without reading a step."""
    rows = open_signoffs_for(user=user, roles=roles)
    if sent_before is not None:
        rows = rows.filter(version_at__lt=sent_before)
    return rows.values("step_id").distinct().count()


def waiting_page(*, user: User, roles=None, offset=0, limit=None) -> list[tuple[int, object]]:
    """(step id, time its version was sent) of the steps waiting for me from `offset`, at most `limit` (a page),
    oldest first: one query on the stored open sign-offs, whatever the number of my projects."""
    from django.conf import settings

    limit = settings.PAGINATE_BY if limit is None else limit
    rows = open_signoffs_for(user=user, roles=roles).values_list("step_id", "version_at").distinct()
    return list(rows.order_by("version_at", "step_id")[offset : offset + limit])


def waiting_for_computed(*, user: User, roles=None) -> QuerySet[Step]:
    """`waiting_for` evaluated from the steps, sign-offs and memberships as they stand now (what the stored open
    sign-offs must equal): one SQL condition over every step of the person's projects."""
    roles = signing_roles_held(user=user) if roles is None else roles
    mine = Q(pk__in=[])
    for role in roles:
        # required_roles is a JSON list of role keys; no key is part of another, so a text match is exact.
        mine |= (
            Q(required_roles__icontains=f'"{role}"')
            & Q(project_id__in=Membership.objects.filter(user=user, role=role).values("project_id"))
            & ~Exists(counting_signoffs(role))
        )
    # The projects first (an index on the person's memberships), so the database looks only at their steps.
    projects = Membership.objects.filter(user=user, role__in=roles).values("project_id")
    return Step.objects.filter(project_id__in=projects).filter(Q(is_sent=True) & mine)


def waiting_count_of_viewer(user: User) -> int | None:
    """How many steps wait for this person, or None for somebody who holds no signing role: counted once per
    request and kept on the request's user object, so the top bar, the inbox and *Mine oppgaver* share it."""
    if not hasattr(user, "_waiting_count_memo"):
        roles = signing_roles_of_viewer(user)
        user._waiting_count_memo = waiting_count(user=user, roles=roles) if roles else None
    return user._waiting_count_memo


def overdue_cutoff(today: date):
    """A sign-off is overdue once WAITING_WORKING_DAYS working days have passed since its version was sent: the
    time before which a step must have been sent to be overdue on `today`."""
    import datetime

    from django.utils import timezone

    from projects.reminders import add_working_days

    from .reminders import WAITING_WORKING_DAYS

    last = today - datetime.timedelta(days=1)
    while add_working_days(last, WAITING_WORKING_DAYS) >= today:
        last -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))


@dataclass
class WaitingEntry:
    step: Step
    roles: list  # RoleStatus of my roles that still need a sign-off
    previous: SignOff | None  # my sign-off of an earlier version, if the step changed since I signed


def waiting_entries(steps, *, user: User) -> list[WaitingEntry]:
    """A page of waiting steps with my open roles and whether I signed an earlier version: two queries for
    the page (my roles in its projects, the sign-offs of its steps without their content)."""
    steps = list(steps)
    held, holders = {}, {}
    for project_id, user_id, role in Membership.objects.filter(
        project_id__in={s.project_id for s in steps}
    ).values_list("project_id", "user_id", "role"):
        holders.setdefault(project_id, set()).add((user_id, role))
        if user_id == user.pk and role in PARTY_ROLES:
            held.setdefault(project_id, set()).add(role)
    signoffs = {}
    for s in (
        SignOff.objects.filter(step__in=steps)
        .only("id", "step_id", "step_version", "role", "signer_id", "on_behalf_of_id", "signed_at", "decision")
        .order_by("signed_at", "id")
    ):
        signoffs.setdefault(s.step_id, []).append(s)
    out = []
    for step in steps:
        view = step_view(step, signoffs.get(step.pk, []), holders.get(step.project_id, set()))
        mine = held.get(step.project_id, set())
        open_roles = [r for r in view.roles if r.role in mine and not r.met]
        previous = next((r.outdated for r in open_roles if r.outdated and r.outdated.signer_id == user.pk), None)
        out.append(WaitingEntry(step, open_roles, previous))
    return out


def signed_by(*, user: User, roles=None, project: str = "", decision: str = "") -> QuerySet[LatestSignOff]:
    """My latest sign-off of each step I signed that does not wait for me again, newest first, in projects
    where I still hold a signing role; `project` narrows by the project's name or case number, `decision`
    by my decision. Read from the stored latest sign-offs (`LatestSignOff`: an index on signer and time, and
    the sign-off's version and decision beside them), so a page costs the same however much I signed, and the
    count reads that table alone. The signed content is not read."""
    waiting_again = open_signoffs_for(user=user, roles=roles).filter(step_id=OuterRef("step_id"))
    signing = Membership.objects.filter(user=user, role__in=PARTY_ROLES, project=OuterRef("project_id"))
    qs = (
        LatestSignOff.objects.filter(signer=user)
        .filter(Exists(signing))
        .filter(~Exists(waiting_again))
        .select_related("step__project")
        .defer("step__summary", "step__content", "step__description_nb", "step__description_en")
        .order_by("-signed_at", "-signoff_id")
    )
    project = project.strip()
    if project:
        qs = qs.filter(search.contains(project, column="project__search_text"))
    if decision:
        qs = qs.filter(decision=decision)
    return qs


def seen_version(*, step: Step, content_hash: str) -> StepVersion | None:
    """The sent version of `step` whose content has this SHA-256 (what a person's page showed)."""
    return StepVersion.objects.filter(step=step, content_hash=content_hash).order_by("-number").first()


AMU_SHOWN = 20  # the AMU treatments listed on *Til godkjenning*; the count says how many there are in all


@dataclass
class AmuTreatments:
    steps: list  # Step rows, each with `waiting` (sent, waits for the AMU's sign-off) and `deadline`
    meetings: list  # AMU meetings planned from today on
    total: int


def amu_treatments_coming(*, user: User, today: date) -> AmuTreatments | None:
    """What the working environment committee is to treat in the projects where this person is the AMU contact
    (issue 24 point 2): the steps that need the AMU's sign-off and have none on their current version yet
    (being prepared, or sent and waiting), by deadline, and the AMU meetings planned from today. None for
    somebody who is nobody's AMU contact. A fixed number of queries."""
    projects = Membership.objects.filter(user=user, role=Role.AMU).values("project_id")
    if not projects.exists():
        return None
    steps = (
        Step.objects.filter(project_id__in=projects, project__status=Project.Status.ACTIVE)
        .filter(required_roles__icontains=f'"{Role.AMU}"', activity__phase__completed_at__isnull=True)
        .exclude(Exists(counting_signoffs(Role.AMU)))
        .select_related("project", "activity__phase")
        .defer("summary", "content", "description_nb", "description_en")
        .order_by(F("activity__due_date").asc(nulls_last=True), "project__name", "id")
    )
    total = steps.count()
    rows = list(steps[:AMU_SHOWN])
    for step in rows:
        step.waiting = step.is_sent
        step.deadline = step.activity.due_date
        step.overdue = step.deadline is not None and step.deadline < today
    meetings = list(
        Meeting.objects.filter(project_id__in=projects, type=Meeting.Type.AMU, held_on__gte=today)
        .select_related("project")
        .order_by("held_on", "id")[:AMU_SHOWN]
    )
    return AmuTreatments(steps=rows, meetings=meetings, total=total)
