"""Who may do what in evaluation and HMS. Predicates come from projects.permissions."""

import rules

from projects.permissions import is_coordinator, is_hr, is_owner, is_owner_or_manager, is_project_member, sees_sensitive


@rules.predicate
def has_moved_in(user, project):
    return project.actual_move_in is not None


# The Evaluering tab appears from move-in on, for everybody who sees the project.
rules.add_perm("evaluation.view_evaluation", (is_project_member | is_coordinator) & has_moved_in)
rules.add_perm("evaluation.record_move_in", is_owner_or_manager)
rules.add_perm("evaluation.correct_move_in", is_coordinator)
rules.add_perm("evaluation.shorten_freeze", is_owner)
rules.add_perm("evaluation.log_change_request", is_owner_or_manager)
rules.add_perm("evaluation.approve_freeze_change", is_coordinator)
rules.add_perm("evaluation.edit_evaluation", is_owner_or_manager)
rules.add_perm("evaluation.manage_measures", is_owner_or_manager)
# Before move-in (and in processes that never record one, like the seven steps) the HMS action plan has a tab of
# its own; from move-in on it is on the Evaluering tab. Its page is open to everybody who sees the project.
rules.add_perm("evaluation.view_action_plan_tab", (is_project_member | is_coordinator) & ~has_moved_in)
rules.add_perm("evaluation.view_sensitive_measures", sees_sensitive)
rules.add_perm("evaluation.enter_sick_leave", is_hr)
# HR supplies sick leave and HMS deviation figures (evaluation/figures.py); the owner or manager or HR may import
# a unit's results from 10-faktor or ForBedring.
rules.add_perm("evaluation.enter_hr_figures", is_hr)
rules.add_perm("evaluation.import_survey_figures", is_hr | is_owner_or_manager)
# The evaluation report: HR and coordinators print it, and so do the owner and manager for the case file.
rules.add_perm("evaluation.request_report", is_hr | is_coordinator | is_owner_or_manager)
