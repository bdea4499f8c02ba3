"""Four-eyes approval: nobody approves an edition they edited, submitted or reviewed.

An approver who is also a member editor of the unit could otherwise edit, submit, approve and
publish an edition alone. ``approval_conflict`` names the reason (in Thai) why ``user`` may not
approve ``edition``, or returns ``""``:

- *edited*: any history row of the edition's content (every ``EditionContent`` table, found from
  the app registry through ``manuals.content``) or of its text sections carries the user;
- *submitted*: the audit trail has a submission by the user;
- *reviewed*: the audit trail has a request for changes by the user.

The review service (``edition_approve``, so the batch approval of a round too) refuses with the
reason; the review panel shows the approve button disabled with the same reason.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from manuals.content import edition_tables
from manuals.models import Edition
from reviews.models import AuditEntry

TEXT_FIELDS = (
    "preface",
    "executive_summary",
    "background",
    "objectives",
    "structure_duties",
    "chart_lane_mode",
    "chart_lane_header",
)


def _content_editor_ids(edition: Edition) -> set[int]:
    """Users named on any history row of the edition's content rows (one UNION query)."""
    queries = []
    for table in edition_tables():
        history = getattr(table.model, "history", None)
        if history is None:
            continue
        path = "edition_id" if table.path == "edition" else table.path
        value = edition.pk if path == "edition_id" else edition
        queries.append(
            history.filter(**{path: value}, history_user__isnull=False)
            .order_by()
            .values_list("history_user_id", flat=True)
        )
    if not queries:
        return set()
    first, *rest = queries
    return set(first.union(*rest))


def _text_editor_ids(edition: Edition) -> set[int]:
    """Users whose save changed a text section of the edition itself (status moves and the
    approval letter are not edits)."""
    rows = list(
        Edition.history.filter(id=edition.pk)
        .order_by("history_date", "history_id")
        .values("history_user_id", "history_type", *TEXT_FIELDS)
    )
    out: set[int] = set()
    for before, after in zip(rows, rows[1:], strict=False):
        if after["history_user_id"] is None or after["history_type"] != "~":
            continue
        if any(before[name] != after[name] for name in TEXT_FIELDS):
            out.add(after["history_user_id"])
    return out


def approval_conflict(user, edition: Edition) -> str:
    """Why ``user`` may not approve ``edition`` under the four-eyes rule, or ``""``."""
    if not getattr(user, "is_authenticated", False):
        return ""
    actions = set(
        AuditEntry.objects.filter(
            edition=edition,
            actor=user,
            action__in=[AuditEntry.Action.SUBMIT, AuditEntry.Action.REQUEST_CHANGES],
        ).values_list("action", flat=True)
    )
    if AuditEntry.Action.SUBMIT in actions:
        reason = _("คุณเป็นผู้ส่งฉบับนี้ตรวจสอบ จึงอนุมัติเองไม่ได้")
    elif AuditEntry.Action.REQUEST_CHANGES in actions:
        reason = _("คุณเป็นผู้ตรวจสอบฉบับนี้ (ขอให้แก้ไข) จึงอนุมัติเองไม่ได้")
    elif user.pk in _content_editor_ids(edition) or user.pk in _text_editor_ids(edition):
        reason = _("คุณแก้ไขเนื้อหาของฉบับนี้ จึงอนุมัติเองไม่ได้")
    else:
        return ""
    rule = _("ผู้อนุมัติต้องไม่ใช่ผู้จัดทำ ผู้ส่ง หรือผู้ตรวจสอบฉบับนั้น (หลักการตรวจสองชั้น) โปรดให้ผู้อนุมัติคนอื่นอนุมัติ")
    return f"{reason} · {rule}"
