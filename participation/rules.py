"""Who may do what in participation. Predicates come from projects.permissions."""

import rules

from projects.models import EMPLOYER_ROLES
from projects.permissions import is_owner_or_manager, project_roles


@rules.predicate
def holds_required_role(user, step):
    """Holds, in the step's project, a role whose sign-off the step requires (and is not its owner or manager,
    who cannot sign for the representatives)."""
    held = project_roles(user, step.project_id)
    return bool(held & set(step.required_roles)) and not held & EMPLOYER_ROLES


rules.add_perm("participation.sign_step", holds_required_role)
rules.add_perm("participation.manage_plan", is_owner_or_manager)
