"""Reads for participation: where each step stands, what waits for whom, what changed since a sign-off."""

import difflib
import json
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from phases.gates import Blocker
from projects.models import Membership, Project, Role, User

from .models import Meeting, SignOff, Step

SIGNING_ROLES = (Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE, Role.AMU)


@dataclass
class RoleStatus:
    role: str
    label: str
    current: SignOff | None = None  # a sign-off of the current version, if any
    outdated: SignOff | None = None  # the newest sign-off of an earlier version, if no current one

    @property
    def met(self):
        return self.current is not None


@dataclass
class StepView:
    step: Step
    roles: list[RoleStatus] = field(default_factory=list)

    @property
    def complete(self):
        return all(r.met for r in self.roles)

    @property
    def objections(self):
        return [s for s in self.step.signoffs.all() if s.is_objection]


def _steps_queryset():
    return Step.objects.select_related("activity__phase", "project").prefetch_related(
        Prefetch("signoffs", queryset=SignOff.objects.select_related("signer").order_by("signed_at", "id"))
    )


def step_view(step: Step) -> StepView:
    view = StepView(step)
    signoffs = list(step.signoffs.all())
    for role in step.required_roles:
        status = RoleStatus(role, Role(role).label)
        for s in signoffs:
            if s.role != role:
                continue
            if s.step_version == step.version:
                status.current = s
            else:
                status.outdated = s
        view.roles.append(status)
    return view


def project_steps(*, project: Project) -> list[StepView]:
    return [step_view(s) for s in _steps_queryset().filter(project=project)]


def step_for_page(*, project: Project, step_id: int) -> StepView:
    step = (
        _steps_queryset()
        .prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.prefetch_related("attachments").order_by("held_on"))
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
        untouched = not view.step.is_prepared and not view.step.signoffs.all()
        if current is not None and view.step.activity.phase.order > current and untouched:
            later.append(view)
        else:
            full.append(view)
    return full, later


def phase_blockers(phase) -> list[str]:
    """Required sign-offs missing or outdated on the steps of this phase's activities."""
    out = []
    for view in (step_view(s) for s in _steps_queryset().filter(activity__phase=phase)):
        for r in view.roles:
            if r.met:
                continue
            if r.outdated:
                text = _("Sign-off from %(role)s is outdated: “%(step)s” changed and needs signing again")
            else:
                text = _("Sign-off from %(role)s missing: “%(step)s”")
            url = reverse("participation:step", args=[view.step.project_id, view.step.pk])
            out.append(Blocker(text % {"role": r.label.lower(), "step": view.step.name}, url))
    return out


def inbox(*, user: User):
    """Steps that wait for this person's sign-off across their projects, oldest first, and the steps they
    signed (with outdated ones marked). Only projects where they hold a signing role are read."""
    held = {}
    for m in Membership.objects.filter(user=user, role__in=SIGNING_ROLES):
        held.setdefault(m.project_id, set()).add(m.role)
    if not held:
        return [], []
    waiting, signed = [], []
    # A step waits for sign-off once the owner has prepared it (a summary or a linked meeting). The meetings
    # are prefetched for the "what changed since you signed" differences, so the page costs the same
    # number of queries whatever the number of projects.
    steps = (
        _steps_queryset()
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.prefetch_related("attachments")))
        .filter(project_id__in=held)
        .order_by("version_at", "id")
    )
    steps = list(steps)
    from .services import prime_step_documents

    prime_step_documents(steps)
    for view in (step_view(s) for s in steps):
        mine = held[view.step.project_id] & set(view.step.required_roles)
        if not mine:
            continue
        open_roles = [r for r in view.roles if r.role in mine and not r.met] if view.step.is_prepared else []
        my_signoffs = [s for s in view.step.signoffs.all() if s.signer_id == user.pk]
        if open_roles:
            previous = next((r.outdated for r in open_roles if r.outdated and r.outdated.signer_id == user.pk), None)
            waiting.append((view, open_roles, previous, changes_since(previous, view.step) if previous else []))
        elif my_signoffs:
            signed.append((view, my_signoffs[-1]))
    signed.sort(key=lambda pair: pair[1].signed_at, reverse=True)
    return waiting, signed


def inbox_count(*, user: User) -> int | None:
    """How many steps wait for this person's sign-off (the count in the top bar), or None for somebody who
    holds no signing role. Three queries, no contents or differences, whatever the number of projects."""
    held = {}
    for project_id, role in Membership.objects.filter(user=user, role__in=SIGNING_ROLES).values_list(
        "project_id", "role"
    ):
        held.setdefault(project_id, set()).add(role)
    if not held:
        return None
    steps = (
        Step.objects.filter(project_id__in=held, is_prepared=True)
        .only("id", "project_id", "required_roles", "version")
        .prefetch_related(Prefetch("signoffs", queryset=SignOff.objects.only("id", "step_id", "role", "step_version")))
    )
    waiting = 0
    for step in steps:
        mine = held[step.project_id] & set(step.required_roles)
        met = {s.role for s in step.signoffs.all() if s.step_version == step.version}
        if mine - met:
            waiting += 1
    return waiting


def changes_since(signoff: SignOff, step: Step, with_document=True) -> list[tuple[str, str]]:
    """Line differences between what was signed and the step's content now: [("+" or "-", line)]."""
    from .services import step_content

    before = _readable(signoff.content, with_document)
    after = _readable(step_content(step), with_document)
    out = []
    for line in difflib.unified_diff(before, after, lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        out.append((line[0], line[1:]))
    return out


def _readable(content: str, with_document=True) -> list[str]:
    """The signed JSON as labelled lines, so a change reads as text rather than JSON."""
    data = json.loads(content)
    lines = [f"{_('Summary')}: {line}" for line in data.get("summary", "").splitlines() if line.strip()]
    for m in data.get("meetings", []):
        head = f"{m['date']} {m['title']}"
        lines.append(f"{_('Meeting')}: {head}")
        for name, label in (
            ("agenda", _("Agenda")),
            ("minutes", _("Minutes")),
            ("decisions", _("Decisions")),
        ):
            lines += [f"{head} · {label}: {line}" for line in m.get(name, "").splitlines() if line.strip()]
        lines += [f"{head} · {_('File')}: {a['name']} ({a['sha256'][:12]})" for a in m.get("attachments", [])]
    document = data.get("work_product")
    if document and with_document:
        for _key, label, value in document.get("fields", []):
            lines += [f"{label}: {line}" for line in value.splitlines() if line.strip()]
    return lines


def document_changes(signoff: SignOff, step: Step):
    """Field by field, what changed in the step's document (the mandate, say) since `signoff` was given."""
    from phases.workproducts.selectors import field_changes

    from .services import step_document

    before = json.loads(signoff.content).get("work_product")
    return field_changes(before, step_document(step))
