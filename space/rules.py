"""Who may do what with the mapping and the area programme (their pages use workproducts.edit_work_product)."""

import rules

from projects.permissions import is_coordinator

rules.add_perm("space.manage_room_catalogue", is_coordinator)
