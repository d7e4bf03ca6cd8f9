"""Who may do what with work products. Predicates come from projects.permissions."""

import rules

from projects.permissions import is_coordinator, is_owner_or_manager

# Owner and manager write; everybody who sees the project reads; coordinators accept the order form to EBE and keep
# the list of services it offers.
rules.add_perm("workproducts.edit_work_product", is_owner_or_manager)
rules.add_perm("workproducts.accept_order", is_coordinator)
rules.add_perm("workproducts.manage_order_services", is_coordinator)
