"""Who may do what, decided over the agency tree; services call ``require`` before writing.

- Editors change the open (draft / changes-requested) edition of manuals owned by their
  agency or by any agency below it.
- Reviewers and approvers read every manual; they review / approve manuals of their agency's
  subtree. Admins (role or superuser) may do everything except change a frozen edition.
- Everyone signed in reads published editions.
- A shared manual (one with a working group) is edited only by its working group's members;
  the agencies that adopt it (and their sub-units) read its drafts and comment, nothing more.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.translation import gettext_lazy as _

from manuals.models import (
    Adoption,
    Agency,
    Edition,
    Manual,
    Membership,
    WorkingGroup,
    WorkingGroupMember,
)


def _memberships(user) -> list[tuple[int, str]]:
    """(agency id, role) pairs of the user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).values_list("agency_id", "role"))
        user._membership_cache = cache
    return cache


def _agency_parents(user=None) -> dict[int, int | None]:
    """Every agency's parent (one query: the tree is small), cached on the user object for the
    request like the memberships: a page checks permissions many times."""
    cache = getattr(user, "_agency_parent_cache", None)
    if cache is None:
        cache = dict(Agency.objects.values_list("pk", "parent_id"))
        if user is not None:
            user._agency_parent_cache = cache
    return cache


def _ancestors(agency_id: int, user=None) -> list[int]:
    """The agency and its ancestors."""
    parents = _agency_parents(user)
    chain, node = [], agency_id
    while node is not None and node not in chain:
        chain.append(node)
        node = parents.get(node)
    return chain


def _manual_of(obj) -> Manual:
    if isinstance(obj, Manual):
        return obj
    if isinstance(obj, Edition):
        return obj.manual
    return obj.get_edition().manual


def has_role_over(user, obj, role: str) -> bool:
    """The user holds ``role`` in the manual's agency or one of its ancestors."""
    if obj is None:
        return False
    manual = _manual_of(obj)
    wanted = {agency for agency, r in _memberships(user) if r == role}
    return bool(wanted) and bool(wanted & set(_ancestors(manual.agency_id, user)))


def has_role_anywhere(user, role: str) -> bool:
    return any(r == role for _agency, r in _memberships(user))


def _group_manual_ids(user) -> set[int]:
    """Manuals whose working group the user sits on (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = getattr(user, "_group_manual_cache", None)
    if cache is None:
        cache = set(
            WorkingGroupMember.objects.filter(user=user).values_list("group__manual_id", flat=True)
        )
        user._group_manual_cache = cache
    return cache


def _adopted_manual_ids(user) -> set[int]:
    """Shared manuals adopted by one of the user's agencies or an agency above it."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = getattr(user, "_adopted_manual_cache", None)
    if cache is None:
        agencies = {a for agency, _r in _memberships(user) for a in _ancestors(agency, user)}
        cache = set(
            Adoption.objects.filter(agency_id__in=agencies).values_list("manual_id", flat=True)
        )
        user._adopted_manual_cache = cache
    return cache


def _shared_manual_ids(user=None) -> set[int]:
    """Manuals that have a working group (one query, cached on the user like the tree)."""
    cache = getattr(user, "_shared_manual_cache", None)
    if cache is None:
        cache = set(WorkingGroup.objects.values_list("manual_id", flat=True))
        if user is not None:
            user._shared_manual_cache = cache
    return cache


@rules.predicate
def is_group_member(user, obj) -> bool:
    return obj is not None and _manual_of(obj).pk in _group_manual_ids(user)


@rules.predicate
def is_adopter(user, obj) -> bool:
    return obj is not None and _manual_of(obj).pk in _adopted_manual_ids(user)


@rules.predicate
def is_shared(user, obj) -> bool:
    return obj is not None and _manual_of(obj).pk in _shared_manual_ids(user)


@rules.predicate
def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role_anywhere(
        user, Membership.Role.ADMIN
    )


@rules.predicate
def is_unit_editor(user, obj) -> bool:
    return has_role_over(user, obj, Membership.Role.EDITOR)


@rules.predicate
def is_reviewer(user, obj=None) -> bool:
    return (
        has_role_over(user, obj, Membership.Role.REVIEWER)
        if obj is not None
        else (has_role_anywhere(user, Membership.Role.REVIEWER))
    )


@rules.predicate
def is_approver(user, obj=None) -> bool:
    return (
        has_role_over(user, obj, Membership.Role.APPROVER)
        if obj is not None
        else (has_role_anywhere(user, Membership.Role.APPROVER))
    )


@rules.predicate
def is_any_reader(user) -> bool:
    """Reviewers, approvers and admins read every manual, drafts included."""
    return any(
        r in {Membership.Role.REVIEWER, Membership.Role.APPROVER, Membership.Role.ADMIN}
        for _a, r in _memberships(user)
    )


def _edition(obj) -> Edition | None:
    if obj is None or isinstance(obj, Manual):
        return None
    return obj if isinstance(obj, Edition) else obj.get_edition()


@rules.predicate
def is_published(user, obj) -> bool:
    edition = _edition(obj)
    return edition is not None and edition.status in (
        Edition.Status.PUBLISHED,
        Edition.Status.SUPERSEDED,
    )


@rules.predicate
def is_editable(user, obj) -> bool:
    edition = _edition(obj)
    return edition is not None and edition.is_editable


is_signed_in = rules.is_authenticated

# Reading
rules.add_perm(
    "manuals.view_edition",
    is_signed_in
    & (is_published | is_unit_editor | is_group_member | is_adopter | is_any_reader | is_admin),
)
rules.add_perm("manuals.view_manual", is_signed_in)
# Who writes a manual: its unit's editors, or for a shared manual only its working group.
is_author = (is_unit_editor & ~is_shared) | is_group_member
# Writing content of an edition (any row inside it)
rules.add_perm("manuals.edit_edition", is_editable & (is_author | is_admin))
rules.add_perm("manuals.start_revision", is_author | is_admin)
# Review cycle (used by the reviews app)
rules.add_perm("reviews.submit_edition", is_author | is_admin)
rules.add_perm("reviews.withdraw_edition", is_author | is_admin)
rules.add_perm("reviews.request_changes", is_reviewer | is_admin)
rules.add_perm("reviews.approve_edition", is_approver | is_admin)
rules.add_perm(
    "reviews.comment",
    is_signed_in
    & (is_unit_editor | is_group_member | is_adopter | is_reviewer | is_approver | is_admin),
)
rules.add_perm("reviews.view_dashboard", is_any_reader | is_admin)

MESSAGES = {
    "manuals.view_edition": _("คุณไม่มีสิทธิ์เปิดดูฉบับร่างของหน่วยงานนี้"),
    "manuals.edit_edition": _(
        "คุณแก้ไขฉบับนี้ไม่ได้: แก้ไขได้เฉพาะผู้จัดทำของหน่วยงานเจ้าของคู่มือ และเฉพาะฉบับร่างหรือฉบับที่ถูกขอให้แก้ไข"
    ),
}


def can_edit(user, obj) -> bool:
    """The user may change this edition's content now (superusers too only edit open drafts)."""
    edition = _edition(obj)
    return (
        edition is not None and edition.is_editable and user.has_perm("manuals.edit_edition", obj)
    )


def lock_edition_status(obj) -> None:
    """Inside a write's transaction: lock the row of ``obj``'s edition until the commit and
    refresh its status from it.

    Every content write (the services of processes, manuals, flowcharts) asks
    ``require(by, "manuals.edit_edition", row)`` first, inside its transaction: the edit check
    then reads the stored status under the lock, and a submit (which locks the same row
    ``FOR UPDATE``) either commits first — the write is refused — or waits until the write has
    committed. An in-memory edition loaded before a submit can no longer let a write through.
    """
    edition = _edition(obj)
    if edition is None or edition.pk is None or not connection.in_atomic_block:
        return
    status = (
        Edition.objects.select_for_update(no_key=connection.features.has_select_for_no_key_update)
        .filter(pk=edition.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status is not None:
        edition.status = status


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied (HTTP 403) with a Thai message unless the user has ``perm``."""
    if perm == "manuals.edit_edition":
        lock_edition_status(obj)
    allowed = can_edit(user, obj) if perm == "manuals.edit_edition" else user.has_perm(perm, obj)
    if not allowed:
        raise PermissionDenied(str(MESSAGES.get(perm, _("คุณไม่มีสิทธิ์ทำรายการนี้"))))
