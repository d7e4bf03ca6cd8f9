"""Reads for projects, each with the joins it needs so that pages run a fixed number of queries."""

import heapq
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from . import extensions, search
from .models import Membership, Notification, OrgUnit, Project, User


def projects_for_member(*, user: User) -> QuerySet[Project]:
    """The projects where `user` holds a role, with the user's own memberships as `my_memberships`."""
    mine = Membership.objects.filter(user=user).order_by("role")
    return (
        Project.objects.filter(Exists(Membership.objects.filter(project=OuterRef("pk"), user=user)))
        .prefetch_related(Prefetch("memberships", queryset=mine, to_attr="my_memberships"))
        .order_by("status", "planned_move_in", "name", "pk")  # pk: pages never repeat or skip a project
    )


def project_names_for_member(*, user: User) -> QuerySet:
    """(id, name) of the projects where `user` holds a role, in the order of `projects_for_member`: a query, so
    that a page of them reads only its rows (a representative holds roles in 20 000 projects)."""
    return projects_for_member(user=user).prefetch_related(None).values_list("pk", "name")


def page_memo(project: Project) -> dict | None:
    """The read-once store of a page that reads the same data through several panels (the project overview):
    None unless the view called `start_page_memo`. Writes never use it."""
    return project.__dict__.get("_page_memo")


def start_page_memo(project: Project) -> None:
    project.__dict__["_page_memo"] = {}


def project_members(*, project: Project) -> list[Membership]:
    memo = page_memo(project)
    if memo is not None and "members" in memo:
        return memo["members"]
    members = list(project.memberships.select_related("user").order_by("user__full_name", "role"))
    if memo is not None:
        memo["members"] = members
    return members


def members_by_person(memberships) -> list[tuple[User, list[Membership]]]:
    """Group memberships by person, keeping order: one row per person with all their roles."""
    people: dict[int, tuple[User, list[Membership]]] = {}
    for m in memberships:
        people.setdefault(m.user_id, (m.user, []))[1].append(m)
    return list(people.values())


def project_units(*, project: Project) -> list[OrgUnit]:
    return [link.unit for link in project.project_units.select_related("unit__parent").order_by("unit__name")]


def unit_choices() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.UNIT).select_related("parent").order_by("parent__name", "name")


def users_for_choice() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("full_name", "email")


def users_matching(query: str, *, limit: int) -> list[User]:
    """Active users whose name or e-mail contains every word of `query` (accents and case aside: "ostbo"
    finds "Østbø"), for picking a person."""
    return list(users_for_choice().filter(search.contains(query, "full_name", "email"))[:limit])


def decorate_with_move_in_deadline(projects, *, today):
    """The default 'next deadline' of a project in a list: its planned move-in, while ahead and active."""
    from django.utils.translation import gettext_lazy as _

    for project in projects:
        project.phase_label = getattr(project, "phase_label", None)
        move_in = project.planned_move_in
        if project.status == Project.Status.ACTIVE and move_in and move_in >= today:
            project.next_deadline = (move_in, _("Planned move-in"))
        else:
            project.next_deadline = None


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """A person's notifications, newest first."""
    return Notification.objects.filter(recipient=user).select_related("project").order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


class TaskList:
    """What waits for `user` across projects (*Mine oppgaver*), from every `extensions.TaskSource` registered
    under the hook `task_source`: by deadline, so overdue first, undated last. A sequence for Paginator that reads
    only what a page needs: its length and the overdue count are counted in the database, and a slice
    [start:stop] reads at most `stop` keys (deadline, id) from each source, merges them by deadline and builds
    the rows of the slice alone. So page 1 costs the same with 1 project as with 2 000."""

    def __init__(self, *, user: User, today):
        self.user = user
        self.today = today
        self._counts = None

    def _count(self):
        if self._counts is None:
            counts = [source.counts(self.user, self.today) for source in extensions.get("task_source")]
            self._counts = (sum(c[0] for c in counts), sum(c[1] for c in counts))
        return self._counts

    def count(self) -> int:
        return self._count()[0]

    def __len__(self):
        return self.count()

    @property
    def overdue(self) -> int:
        return self._count()[1]

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("TaskList reads slices only")
        start, stop = (
            max(index.start or 0, 0),
            min(index.stop if index.stop is not None else self.count(), self.count()),
        )
        if stop <= start:
            return []
        streams = []
        for n, source in enumerate(extensions.get("task_source")):
            keys = source.keys(self.user, self.today, stop)
            # (undated, deadline, source, position) orders the merge; the key itself is never compared.
            streams.append([(due is None, due or date.max, n, i, key) for i, (due, key) in enumerate(keys)])
        chosen = list(heapq.merge(*streams))[start:stop]
        built = {}
        for n, source in enumerate(extensions.get("task_source")):
            keys = [key for _undated, _due, s, _i, key in chosen if s == n]
            if keys:
                built[n] = source.rows(self.user, self.today, keys)
        return [built[s][key] for _undated, _due, s, _i, key in chosen if key in built.get(s, {})]


def my_tasks(*, user: User, today) -> TaskList:
    return TaskList(user=user, today=today)


def file_import_latest(*, project: Project, kind: str, target: dict):
    """The last file imported into `target` (an importer's page shows its progress or outcome), or None."""
    from .models import FileImport

    return FileImport.objects.filter(project=project, kind=kind, target=target).select_related("requested_by").first()


def file_import_status(*, file_import, user: User, next_url: str) -> dict:
    """What the polling fragment `projects/_import.html` shows of an import."""
    from . import imports, outbox
    from .models import Job

    importer = imports.importer(file_import.kind)
    late = False
    if file_import.in_progress:
        job = Job.objects.filter(key=f"import:{file_import.pk}").only("created_at", "run_after").first()
        late = outbox.is_late(max(file_import.requested_at, job.run_after) if job else file_import.requested_at)
    return {
        "file_import": file_import,
        "project": file_import.project,
        "polling": file_import.in_progress,
        "late": late,
        "can_retry": user.has_perm(importer.perm, file_import.project) and bool(file_import.file),
        "result_url": importer.result_url(file_import) if importer.result_url and file_import.rows_written else "",
        "more": max(file_import.problem_count - len(file_import.problems), 0),
        "next": next_url,
    }
