"""Who may do what in the toolbox: everybody signed in reads and searches it; coordinators keep it."""

import rules

from projects.permissions import is_coordinator

rules.add_perm("toolbox.view_toolbox", rules.is_authenticated & rules.is_active)
rules.add_perm("toolbox.manage_toolbox", is_coordinator)
