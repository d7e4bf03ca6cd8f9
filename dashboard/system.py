"""The administrator's system page (issue 24 point 2): people and global roles, the process templates, the health
of this node (what /healthz checks) and the queues of deferred work. No project's content is read: the
administrator administers the system, not projects (docs/decisions.md).

Read from the apps below and from `config.health`, in a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import Group
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config import health
from phases.models import ProcessTemplate
from projects.models import COORDINATOR_GROUP, HR_GROUP, Job, Project, ReminderEmail, User

RECENT_FAILED = 10
HOLDERS_SHOWN = 50  # people with a global role listed on the page; the admin lists them all


@dataclass
class People:
    active: int
    inactive: int
    without_role: int  # active, no global role and no project role
    coordinators: int
    hr: int
    administrators: int
    holders: list = field(default_factory=list)  # people with a global role: (user, [labels])


@dataclass
class Queues:
    by_state: dict  # Job.State value -> count
    oldest_waiting: datetime | None
    failed: list  # the latest failed jobs
    failed_by_kind: list  # (kind, count)
    emails_waiting: int  # reminder e-mails not yet sent

    @property
    def pending(self):
        return self.by_state.get(Job.State.PENDING, 0)

    @property
    def running(self):
        return self.by_state.get(Job.State.RUNNING, 0)

    @property
    def failed_count(self):
        return self.by_state.get(Job.State.FAILED, 0)

    @property
    def waiting_long(self):
        """The oldest waiting job has waited more than an hour (the worker or its broker may be down)."""
        return self.oldest_waiting is not None and (timezone.now() - self.oldest_waiting).total_seconds() > 3600


def people() -> People:
    users = User.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        without_role=Count(
            "pk", filter=Q(is_active=True, is_staff=False, groups__isnull=True, memberships__isnull=True)
        ),
    )
    groups = dict(
        Group.objects.filter(name__in=(COORDINATOR_GROUP, HR_GROUP))
        .annotate(n=Count("user", filter=Q(user__is_active=True)))
        .values_list("name", "n")
    )
    holders = (
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(groups__name__in=(COORDINATOR_GROUP, HR_GROUP)))
        .distinct()
        .prefetch_related("groups")
        .order_by("full_name", "email")
    )
    rows = []
    for user in holders[:HOLDERS_SHOWN]:
        roles = [GLOBAL_ROLES[g.name] for g in user.groups.all() if g.name in (COORDINATOR_GROUP, HR_GROUP)]
        if user.is_staff:
            roles.append(GLOBAL_ROLES["staff"])
        rows.append((user, roles))
    return People(
        active=users["active"],
        inactive=users["inactive"],
        without_role=users["without_role"],
        coordinators=groups.get(COORDINATOR_GROUP, 0),
        hr=groups.get(HR_GROUP, 0),
        administrators=User.objects.filter(is_active=True, is_staff=True).count(),
        holders=rows,
    )


GLOBAL_ROLES = {
    COORDINATOR_GROUP: _("EBE coordinator"),
    HR_GROUP: _("HR adviser"),
    "staff": _("Administrator"),
}


def templates() -> list[ProcessTemplate]:
    """Every template's newest version, with how many projects run on any of its versions."""
    newest = {}
    rows = ProcessTemplate.objects.annotate(project_count=Count("processes")).order_by("key", "-version")
    totals = {}
    for t in rows:
        newest.setdefault(t.key, t)
        totals[t.key] = totals.get(t.key, 0) + t.project_count
    for key, t in newest.items():
        t.projects_total = totals[key]
    return list(newest.values())


def health_checks() -> list[tuple[str, bool, bool]]:
    """(name, ok, required) as /healthz reports them: the database and the storage must answer; the broker is
    reported, since deferred work waits in the database while it is away."""
    return [
        (_("Database"), health.database_ok(), True),
        (_("File storage"), health.storage_ok(), True),
        (_("Message broker (wakes the worker)"), health.broker_ok(), False),
    ]


def queues() -> Queues:
    by_state = dict(Job.objects.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    oldest = Job.objects.filter(state=Job.State.PENDING).aggregate(oldest=Min("created_at"))["oldest"]
    failed = list(
        Job.objects.filter(state=Job.State.FAILED)
        .only("pk", "kind", "key", "attempts", "last_error", "created_at", "finished_at")
        .order_by("-finished_at", "-id")[:RECENT_FAILED]
    )
    failed_by_kind = list(
        Job.objects.filter(state=Job.State.FAILED)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "kind")
        .values_list("kind", "n")
    )
    return Queues(
        by_state=by_state,
        oldest_waiting=oldest,
        failed=failed,
        failed_by_kind=failed_by_kind,
        emails_waiting=ReminderEmail.objects.filter(sent_at__isnull=True).count(),
    )


def projects_count() -> dict:
    return Project.objects.aggregate(total=Count("pk"), active=Count("pk", filter=Q(status=Project.Status.ACTIVE)))
