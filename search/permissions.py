"""Who curates the shared libraries: planners (reviewers) and admins."""

import rules

from manuals.permissions import is_admin, is_reviewer

rules.add_perm("search.curate_library", is_reviewer | is_admin)
