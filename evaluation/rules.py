"""Who may do what in evaluation and HMS. Predicates come from projects.permissions."""

import rules

from projects.permissions import is_coordinator, sees_sensitive

rules.add_perm("evaluation.view_sensitive_measures", sees_sensitive)
rules.add_perm("evaluation.approve_freeze_change", is_coordinator)
