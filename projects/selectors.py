"""Reads for projects, each with the joins it needs so that pages run a fixed number of queries."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from . import extensions
from .models import Membership, Notification, OrgUnit, Project, User


def projects_for_member(*, user: User) -> QuerySet[Project]:
    """The projects where `user` holds a role, with the user's own memberships as `my_memberships`."""
    mine = Membership.objects.filter(user=user).order_by("role")
    return (
        Project.objects.filter(Exists(Membership.objects.filter(project=OuterRef("pk"), user=user)))
        .prefetch_related(Prefetch("memberships", queryset=mine, to_attr="my_memberships"))
        .order_by("status", "planned_move_in", "name")
    )


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
    """Active users whose name or e-mail contains every word of `query`, for picking a person."""
    users = users_for_choice()
    for word in query.split():
        users = users.filter(Q(full_name__icontains=word) | Q(email__icontains=word))
    return list(users[:limit])


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


def my_tasks(*, user: User, today) -> list:
    """What waits for `user` across projects (items assigned, sign-offs waiting…), from every app that
    registered with `extensions.my_tasks`: overdue first, then by deadline, undated last."""
    rows = [row for _order, fn in extensions.MY_TASKS for row in fn(user, today)]
    rows.sort(key=lambda r: (not r.is_overdue(today), r.due_date is None, r.due_date or today, r.title))
    return rows
