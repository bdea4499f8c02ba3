"""Who plans rounds and who approves in batches, over the same agency memberships.

Planners are the reviewers (สำนักงาน ก.ก.): they open rounds, see every round and compile the
finals. Approvers approve; each edition of a batch is still checked with
``reviews.approve_edition`` over the agency tree.
"""

from __future__ import annotations

import rules

from manuals.permissions import is_admin, is_approver, is_reviewer

rules.add_perm("rounds.plan_round", is_reviewer | is_admin)
rules.add_perm("rounds.view_round", is_reviewer | is_approver | is_admin)
rules.add_perm("rounds.batch_approve", is_approver | is_admin)
