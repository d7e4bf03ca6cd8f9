"""Who may do what with surveys and comment rounds. Predicates come from projects.permissions."""

import rules

from projects.permissions import is_coordinator, is_owner, is_owner_or_manager, is_project_member, is_representative

# The Undersøkelser tab and the results (figures only, for groups of at least SURVEY_MIN_GROUP).
rules.add_perm("surveys.view_surveys", is_project_member | is_coordinator)
rules.add_perm("surveys.manage_surveys", is_owner_or_manager)
# Free text (answers to the open question, comments in a comment round): the owner and the representatives
# only — never HR, never a coordinator, never in a PDF or an export (issue 25 point 4).
rules.add_perm("surveys.read_free_text", is_owner | is_representative)
rules.add_perm("surveys.manage_questionnaires", is_coordinator)
