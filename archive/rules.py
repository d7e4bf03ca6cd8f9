"""Who may do what with the archive. Predicates come from projects.permissions."""

import rules

from projects.permissions import is_coordinator, is_owner_or_manager

# "Send til arkiv" on a generated PDF's row: the project's owner or manager, who answer for the case file.
rules.add_perm("archive.send_document", is_owner_or_manager)
# The archive's page (screening per kind of document, what failed, sending a failed one again): coordinators.
rules.add_perm("archive.manage_archive", is_coordinator)
