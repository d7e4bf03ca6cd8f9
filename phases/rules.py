"""Who may do what in the process engine. Predicates come from projects.permissions."""

import rules

from projects.models import PARTY_ROLES
from projects.permissions import (
    WORKING_ROLES,
    is_coordinator,
    is_owner_or_manager,
    manages_object_project,
    project_roles,
)


@rules.predicate
def is_working_assignee(user, item):
    """The person an item is assigned to, if they work in the project (representatives and observers read)."""
    return item.assignee_id == user.pk and bool(project_roles(user, item.project_id) & WORKING_ROLES)


@rules.predicate
def is_party(user, item):
    return bool(project_roles(user, item.project_id) & PARTY_ROLES)


@rules.predicate
def is_building_coordinator(user, item):
    """An EBE coordinator made responsible for an item of the building track (EBE follows up the project plan)."""
    return item.assignee_id == user.pk and is_coordinator(user) and item.activity.track == "building"


rules.add_perm("phases.change_item", manages_object_project | is_working_assignee | is_building_coordinator)
rules.add_perm("phases.comment_item", manages_object_project | is_working_assignee | is_building_coordinator | is_party)
rules.add_perm("phases.plan_item", manages_object_project)
rules.add_perm("phases.view_templates", is_coordinator)
rules.add_perm("phases.complete_phase", is_owner_or_manager)
rules.add_perm("phases.override_gate", is_coordinator)
rules.add_perm("phases.reopen_phase", is_coordinator)
rules.add_perm("phases.manage_templates", is_coordinator)
