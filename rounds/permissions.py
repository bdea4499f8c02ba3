"""Who plans rounds and who approves in batches, over the same agency memberships.

Planners are reviewers for the whole BMA (a reviewer membership in a top-level agency, e.g.
สำนักงาน ก.ก. acting for กรุงเทพมหานคร): they open rounds, see every round and compile the
finals. A reviewer of one district or division reviews there but plans nothing. Approvers
approve; each edition of a batch is still checked with ``reviews.approve_edition`` over the
agency tree.
"""

from __future__ import annotations

import rules

from manuals.models import Membership
from manuals.permissions import _agency_parents, _memberships, is_admin, is_approver


@rules.predicate
def is_planner(user) -> bool:
    reviewing = [a for a, role in _memberships(user) if role == Membership.Role.REVIEWER]
    if not reviewing:  # anonymous users and non-reviewers: no query for the tree
        return False
    parents = _agency_parents(user)
    return any(parents.get(agency) is None for agency in reviewing)


rules.add_perm("rounds.plan_round", is_planner | is_admin)
rules.add_perm("rounds.view_round", is_planner | is_approver | is_admin)
rules.add_perm("rounds.batch_approve", is_approver | is_admin)


def may_edit_local_additions(user, adoption) -> bool:
    """An editor of the adopting agency (or of a unit inside it) keeps its local additions;
    its reviewers, the working group and other adopters do not (the shared text is the
    group's, and each agency's additions are its own)."""
    from manuals.permissions import _ancestors

    if is_admin(user):
        return True
    return any(
        role == Membership.Role.EDITOR and adoption.agency_id in _ancestors(agency, user)
        for agency, role in _memberships(user)
    )
