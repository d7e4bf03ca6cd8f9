"""Who may do what with lessons learned: the owner and manager (and coordinators) write a project's lessons,
everybody who sees the project reads them; coordinators share lessons with later projects; everybody signed in
reads and searches the shared ones."""

import rules

from projects.permissions import is_coordinator, is_owner_or_manager

rules.add_perm("lessons.write_lesson", is_owner_or_manager | is_coordinator)
rules.add_perm("lessons.share_lesson", is_coordinator)
rules.add_perm("lessons.view_register", rules.is_authenticated & rules.is_active)
