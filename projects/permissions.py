"""Who may do what. Every view and template asks here; nothing else decides access.

Global roles are groups (coordinator, hr) and staff; project roles are Memberships. A user who may not
see a project gets 404 from `get_project_for`, so that its existence does not leak.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import COORDINATOR_GROUP, EMPLOYER_ROLES, HR_GROUP, Deputy, Membership, Project, Role


def project_roles(user, project) -> frozenset[str]:
    """The roles `user` holds in `project` (a Project or its id), cached on the user object: their memberships,
    and the roles they act in today as a representative's deputy (one query)."""
    project_id = getattr(project, "pk", project)
    if not user.is_authenticated or project_id is None:
        return frozenset()
    cache = user.__dict__.setdefault("_project_roles_cache", {})
    if project_id not in cache:
        own = Membership.objects.filter(user=user, project_id=project_id).order_by().values_list("role", flat=True)
        acting = Deputy.objects.acting().filter(deputy=user, project_id=project_id).order_by().values_list("role")
        cache[project_id] = frozenset(own.union(acting))
    return cache[project_id]


def acting_for(user, project, role):
    """The representative `user` acts for today as deputy in `role`, or None (they hold the role themselves, or
    act for nobody)."""
    project_id = getattr(project, "pk", project)
    if Membership.objects.filter(user=user, project_id=project_id, role=role).exists():
        return None
    deputy = Deputy.objects.acting().filter(deputy=user, project_id=project_id, role=role).select_related("principal")
    deputy = deputy.first()
    return deputy.principal if deputy else None


def forget_project_roles(*users):
    """Drop the roles cached on these user objects (the membership services call this after a change)."""
    for user in users:
        if user is not None:
            user.__dict__.pop("_project_roles_cache", None)


def prime_project_roles(user, project, roles):
    """Let a selector that already fetched the roles spare the permission check its query."""
    if user.is_authenticated:  # a check made before (with a deputy's roles) stands
        user.__dict__.setdefault("_project_roles_cache", {}).setdefault(project.pk, frozenset(roles))


def prime_roles_in_projects(user, projects):
    """Read the roles `user` holds in each of these projects in one query, for a page or feed that asks a
    permission of every project (a representative's calendar feed covers 2 000)."""
    if not user.is_authenticated:
        return
    ids = [p.pk for p in projects]
    selected = getattr(projects, "ids", ids)  # a feed's CalendarProjects: the query that selected them
    held = {}
    memberships = Membership.objects.filter(user=user, project_id__in=selected)
    for project_id, role in memberships.values_list("project_id", "role"):
        held.setdefault(project_id, set()).add(role)
    cache = user.__dict__.setdefault("_project_roles_cache", {})
    for project_id in ids:
        cache.setdefault(project_id, frozenset(held.get(project_id, ())))


def has_project_role(*roles):
    wanted = frozenset(roles)
    name = "has_project_role:" + ",".join(roles)

    @rules.predicate(name=name)
    def predicate(user, project):
        return bool(project_roles(user, project) & wanted)

    return predicate


@rules.predicate
def is_project_member(user, project):
    return bool(project_roles(user, project))


is_coordinator = rules.is_group_member(COORDINATOR_GROUP)
is_hr = rules.is_group_member(HR_GROUP)
is_staff = rules.is_staff


@rules.predicate
def is_unit_leader(user):
    """A leader of a unit orders projects for it (bestiller)."""
    if not user.is_authenticated:
        return False
    if "_is_unit_leader" not in user.__dict__:
        user.__dict__["_is_unit_leader"] = user.led_units.exists()
    return user.__dict__["_is_unit_leader"]


is_owner = has_project_role(Role.OWNER)
is_owner_or_manager = has_project_role(Role.OWNER, Role.MANAGER)
is_representative = has_project_role(Role.SAFETY_REP, Role.UNION_REP)
sees_sensitive = has_project_role(Role.OWNER, Role.MANAGER, Role.SAFETY_REP, Role.UNION_REP) | is_coordinator

WORKING_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.MEMBER})


@rules.predicate
def has_no_owner(user, project):
    """Nobody holds the owner's role (the owner left through the admin, say): a coordinator appoints one."""
    project_id = getattr(project, "pk", project)
    return not Membership.objects.filter(project_id=project_id, role=Role.OWNER).exists()


@rules.predicate
def manages_object_project(user, obj):
    """Owner or manager of the project an object (a checklist item, say) belongs to."""
    return bool(project_roles(user, obj.project_id) & EMPLOYER_ROLES)


# Projects and their members.
rules.add_perm("projects.add_project", is_coordinator | is_unit_leader)
rules.add_perm("projects.view_project", is_project_member | is_coordinator)
rules.add_perm("projects.change_project", is_owner_or_manager)
rules.add_perm("projects.manage_members", is_owner_or_manager | (is_coordinator & has_no_owner))
rules.add_perm("projects.transfer_ownership", is_owner | (is_coordinator & has_no_owner))
rules.add_perm("projects.view_history", is_project_member | is_coordinator)
# Global views across projects.
rules.add_perm("projects.view_dashboard", is_coordinator)
rules.add_perm("projects.export_projects", is_coordinator)
rules.add_perm("projects.view_hr_reports", is_hr | is_coordinator)
# The administrator's system page: people and global roles, templates, health, queues (no project data).
rules.add_perm("projects.view_system", is_staff)
# Each app adds its own rules in <app>/rules.py (autodiscovered by django-rules).


def get_object_for(user, project_id, queryset, pk, perm=None):
    """An object of a project the user may see (else 404), on which the user may do `perm` (else 403)."""
    project = get_project_for(user, project_id)
    try:
        obj = queryset.get(pk=pk, project=project)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return project, obj


def get_project_for(user, project_id, perm="projects.view_project") -> Project:
    """The project, if `user` may see it (else 404) and may do `perm` on it (else 403)."""
    try:
        project = Project.objects.get(pk=project_id)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not user.has_perm("projects.view_project", project):
        raise Http404
    if perm != "projects.view_project" and not user.has_perm(perm, project):
        raise PermissionDenied
    return project
