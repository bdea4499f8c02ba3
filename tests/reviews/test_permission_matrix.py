"""Every transition × role × own/other agency: the service either does it or refuses (403)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from manuals.models import Edition
from manuals.services import edition_publish
from reviews import services
from reviews.models import AuditEntry

S = Edition.Status
ROLES = ["editor", "reviewer", "approver", "admin"]

# transition → (status the edition must be in, roles allowed in the manual's own agency)
ALLOWED = {
    "submit": (S.DRAFT, {"editor", "admin"}),
    "withdraw": (S.SUBMITTED, {"editor", "admin"}),
    "request_changes": (S.SUBMITTED, {"reviewer", "admin"}),
    "approve": (S.SUBMITTED, {"approver", "admin"}),
    "comment": (S.DRAFT, {"editor", "reviewer", "approver", "admin"}),
    "new_revision": (S.PUBLISHED, {"editor", "admin"}),
}


def _run(transition, edition, user):
    if transition == "submit":
        return services.edition_submit(edition=edition, by=user)
    if transition == "withdraw":
        return services.edition_withdraw(edition=edition, by=user)
    if transition == "request_changes":
        return services.edition_request_changes(edition=edition, by=user, reason="แก้ไข")
    if transition == "approve":
        return services.edition_approve(edition=edition, by=user)
    if transition == "comment":
        return services.comment_add(target=edition, by=user, body="ความเห็น")
    return services.edition_new_revision(manual=edition.manual, by=user, year_be=2570)


def _prepare(draft, status):
    if status == S.SUBMITTED:
        Edition.objects.filter(pk=draft.pk).update(status=S.SUBMITTED)
    elif status == S.PUBLISHED:
        edition_publish(edition=draft, on=datetime.date(2021, 8, 25))
    draft.refresh_from_db()
    return draft


@pytest.mark.parametrize("transition", list(ALLOWED))
@pytest.mark.parametrize("role", [*ROLES, "nobody"])
@pytest.mark.parametrize("where", ["own", "other"])
def test_permission_matrix(draft, people, transition, role, where):
    status, allowed_roles = ALLOWED[transition]
    edition = _prepare(draft, status)
    user = (
        people["nobody"]
        if role == "nobody"
        else people[role if where == "own" else f"other_{role}"]
    )
    # Admins administer the whole system; everyone else only over their agency's subtree.
    allowed = role in allowed_roles and (where == "own" or role == "admin")
    before = AuditEntry.objects.count()
    if allowed:
        _run(transition, edition, user)
        assert AuditEntry.objects.count() > before
    else:
        with pytest.raises(PermissionDenied) as excinfo:
            _run(transition, edition, user)
        assert "สิทธิ์" in str(excinfo.value)
        assert AuditEntry.objects.count() == before
        edition.refresh_from_db()
        assert edition.status == status


def test_a_parent_agency_reviewer_reviews_sub_units(tree, draft):
    from manuals.models import Membership
    from tests.reviews.conftest import member

    bureau, _own, _other = tree
    reviewer = member(bureau, Membership.Role.REVIEWER)
    _prepare(draft, S.SUBMITTED)
    services.edition_request_changes(edition=draft, by=reviewer, reason="ตรวจจากสำนัก")
    draft.refresh_from_db()
    assert draft.status == S.CHANGES_REQUESTED
