"""The review cycle of an edition: submit, withdraw, request changes, approve; comments.

Every transition checks the permission, locks the edition row, refuses a move its current
status does not allow (with a Thai message), writes an audit entry and notifies the people
concerned — all in one transaction; e-mails leave only after the commit.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.forms import check_length
from core.text import clean_user_text
from core.thai import format_thai_date, thai_digits
from manuals.models import Edition, Manual
from manuals.permissions import require
from manuals.services import edition_publish, edition_start_revision
from reviews.four_eyes import approval_conflict
from reviews.models import AuditEntry, Comment, Notification
from reviews.notifications import notify, reviewers_and_approvers, unit_editors

S = Edition.Status

# action → (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    AuditEntry.Action.SUBMIT: ((S.DRAFT, S.CHANGES_REQUESTED), S.SUBMITTED),
    AuditEntry.Action.WITHDRAW: ((S.SUBMITTED,), S.DRAFT),
    AuditEntry.Action.REQUEST_CHANGES: ((S.SUBMITTED,), S.CHANGES_REQUESTED),
    AuditEntry.Action.APPROVE: ((S.SUBMITTED,), S.APPROVED),
}

_REFUSALS = {
    AuditEntry.Action.SUBMIT: _("ส่งตรวจสอบได้เฉพาะฉบับร่างหรือฉบับที่ถูกขอให้แก้ไข ฉบับนี้มีสถานะ “%(status)s”"),
    AuditEntry.Action.WITHDRAW: _("ถอนกลับได้เฉพาะฉบับที่ส่งตรวจสอบแล้ว ฉบับนี้มีสถานะ “%(status)s”"),
    AuditEntry.Action.REQUEST_CHANGES: _("ขอให้แก้ไขได้เฉพาะฉบับที่ส่งตรวจสอบแล้ว ฉบับนี้มีสถานะ “%(status)s”"),
    AuditEntry.Action.APPROVE: _("อนุมัติได้เฉพาะฉบับที่ส่งตรวจสอบแล้ว ฉบับนี้มีสถานะ “%(status)s”"),
}


# Notifications, e-mails and audit reasons are records shared with other people: they are
# written in the site's language (Thai), not in the language of whoever acted.
def recorded_in_thai(func):
    # A fresh override per call: one shared instance would keep per-call state across threads.
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper


class OpenCommentsError(ValidationError):
    """Submitting while comments are still open needs the editor's confirmation."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(
            _("ยังมีความเห็นที่ยังไม่ได้แก้ไข %(count)s รายการ ยืนยันว่าจะส่งตรวจสอบหรือไม่")
            % {"count": thai_digits(str(count))},
            code="open_comments",
        )


def audit_record(
    *,
    edition: Edition,
    action: str,
    by=None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    comment: Comment | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        edition=edition,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=by,
        reason=reason,
        comment=comment,
    )
    entry.full_clean()
    entry.save()
    return entry


def _lock(edition: Edition) -> Edition:
    return Edition.objects.select_for_update().select_related("manual__agency").get(pk=edition.pk)


def _move(*, edition: Edition, action: str, by, reason: str = "") -> Edition:
    """Check the move is legal from the edition's stored status, then make it and audit it."""
    allowed_from, to_status = TRANSITIONS[action]
    reason = check_length(clean_user_text(reason or ""), field="reason")
    from_status = edition.status
    if from_status not in allowed_from:
        raise ValidationError(
            _REFUSALS[action] % {"status": edition.get_status_display()},
            code="illegal_transition",
        )
    edition.status = to_status
    try:
        with transaction.atomic():
            edition.save(update_fields=["status", "version", "updated_at"])
    except IntegrityError as exc:  # edition_one_open_per_manual / one in review
        raise ValidationError(
            _("คู่มือนี้มีฉบับอื่นที่อยู่ระหว่างการตรวจสอบหรือปรับปรุงอยู่แล้ว"), code="one_in_review"
        ) from exc
    audit_record(
        edition=edition,
        action=action,
        by=by,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    return edition


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
@recorded_in_thai
def edition_submit(*, edition: Edition, by, confirm_open_comments: bool = False) -> Edition:
    """The unit sends its draft (or its corrected edition) to the reviewers."""
    edition = _lock(edition)
    require(by, "reviews.submit_edition", edition)
    if edition.status in TRANSITIONS[AuditEntry.Action.SUBMIT][0]:
        open_count = edition.comments.open().count()
        if open_count and not confirm_open_comments:
            raise OpenCommentsError(open_count)
    _move(edition=edition, action=AuditEntry.Action.SUBMIT, by=by)
    # the reviewers check it, and the approvers of the agency tree learn it is on its way
    notify(
        recipients=reviewers_and_approvers(edition),
        verb=Notification.Verb.SUBMITTED,
        edition=edition,
        message=_("%(who)s ส่ง%(edition)s ของ%(agency)s ให้ตรวจสอบ")
        % {
            "who": _who(by),
            "edition": edition.display_label,
            "agency": edition.manual.agency.name,
        },
        exclude=by,
    )
    return edition


@transaction.atomic
@recorded_in_thai
def edition_withdraw(*, edition: Edition, by, reason: str = "") -> Edition:
    """The unit takes its submitted edition back to keep editing it."""
    edition = _lock(edition)
    require(by, "reviews.withdraw_edition", edition)
    return _move(edition=edition, action=AuditEntry.Action.WITHDRAW, by=by, reason=reason)


@transaction.atomic
@recorded_in_thai
def edition_request_changes(*, edition: Edition, by, reason: str) -> Edition:
    """A reviewer sends the edition back to the unit, saying what to fix."""
    edition = _lock(edition)
    require(by, "reviews.request_changes", edition)
    reason = check_length(clean_user_text(reason or ""), field="reason")
    if not reason:
        raise ValidationError({"reason": _("โปรดระบุเหตุผลหรือสิ่งที่ต้องแก้ไข")}, code="reason_required")
    _move(edition=edition, action=AuditEntry.Action.REQUEST_CHANGES, by=by, reason=reason)
    notify(
        recipients=unit_editors(edition),
        verb=Notification.Verb.CHANGES_REQUESTED,
        edition=edition,
        message=_("%(who)s ขอให้แก้ไข%(edition)s: %(reason)s")
        % {"who": _who(by), "edition": edition.display_label, "reason": reason},
        exclude=by,
    )
    return edition


@transaction.atomic
@recorded_in_thai
def edition_approve(*, edition: Edition, by, reason: str = "") -> Edition:
    """An approver approves the edition; it is published today and supersedes the previous one."""
    edition = _lock(edition)
    require(by, "reviews.approve_edition", edition)
    if edition.status == S.SUBMITTED:
        conflict = approval_conflict(by, edition)
        if conflict:
            raise ValidationError(conflict, code="four_eyes")
    _move(edition=edition, action=AuditEntry.Action.APPROVE, by=by, reason=reason)
    previous = list(edition.manual.editions.published().exclude(pk=edition.pk))
    edition = edition_publish(edition=edition, on=timezone.localdate())
    audit_record(
        edition=edition,
        action=AuditEntry.Action.PUBLISH,
        by=by,
        from_status=S.APPROVED,
        to_status=S.PUBLISHED,
    )
    for old in previous:
        audit_record(
            edition=old,
            action=AuditEntry.Action.SUPERSEDE,
            by=by,
            from_status=S.PUBLISHED,
            to_status=S.SUPERSEDED,
            reason=edition.display_label,
        )
    notify(
        recipients=unit_editors(edition),
        verb=Notification.Verb.APPROVED,
        edition=edition,
        message=_("%(who)s อนุมัติ%(edition)s แล้ว เผยแพร่เมื่อ %(date)s")
        % {
            "who": _who(by),
            "edition": edition.display_label,
            "date": format_thai_date(edition.published_on),
        },
        exclude=by,
    )
    return edition


@transaction.atomic
@recorded_in_thai
def edition_new_revision(*, manual: Manual, by, year_be: int | None = None) -> Edition:
    """One button: a new draft deep-copied from the published edition (เริ่มปรับปรุงฉบับใหม่)."""
    require(by, "manuals.start_revision", manual)
    draft = edition_start_revision(manual=manual, year_be=year_be, by=by)
    audit_record(
        edition=draft,
        action=AuditEntry.Action.START_REVISION,
        by=by,
        to_status=draft.status,
        reason=draft.based_on.display_label if draft.based_on else "",
    )
    return draft


# --- comments -------------------------------------------------------------------------------


def _refuse_if_frozen(edition: Edition) -> None:
    if edition.is_frozen:
        raise ValidationError(_("ฉบับนี้อนุมัติหรือเผยแพร่แล้ว จึงให้ความเห็นเพิ่มไม่ได้"), code="edition_frozen")


def _target_of(target) -> tuple[Edition, dict]:
    """The edition a target belongs to, and the Comment fields that point at it."""
    from processes.models import Process, Step

    if isinstance(target, Edition):
        return target, {"target": Comment.Target.EDITION}
    if isinstance(target, Process):
        return target.edition, {
            "target": Comment.Target.PROCESS,
            "process": target,
            "target_lineage": target.lineage,
            "target_label": f"{thai_digits(target.number)} {target.name}"[:300],
        }
    if isinstance(target, Step):
        process = target.process
        return process.edition, {
            "target": Comment.Target.STEP,
            "process": process,
            "step": target,
            "target_lineage": target.lineage,
            "target_label": (
                f"{thai_digits(process.number)} "
                + _("ขั้นตอนที่ %(n)s") % {"n": thai_digits(str(target.position))}
                + f" {target.chart_label}"
            )[:300],
        }
    raise TypeError(f"cannot comment on {type(target).__name__}")


def _clean_body(body: str) -> str:
    body = clean_user_text(body or "").strip()
    if not body:
        raise ValidationError({"body": _("โปรดพิมพ์ความเห็น")}, code="body_required")
    return check_length(body, field="body")


@transaction.atomic
@recorded_in_thai
def comment_add(*, target, by, body: str) -> Comment:
    """Comment on an edition, a process or a step of it."""
    edition, fields = _target_of(target)
    edition = _lock(edition)
    require(by, "reviews.comment", edition)
    _refuse_if_frozen(edition)
    comment = Comment(edition=edition, author=by, body=_clean_body(body), **fields)
    comment.full_clean()
    comment.save()
    audit_record(
        edition=edition,
        action=AuditEntry.Action.COMMENT,
        by=by,
        reason=_audit_text(comment),
        comment=comment,
    )
    return comment


@transaction.atomic
@recorded_in_thai
def comment_reply(*, comment: Comment, by, body: str) -> Comment:
    """Answer a comment; the reply joins its thread (replies to replies join the same thread)."""
    thread = comment.parent or comment
    edition = _lock(thread.edition)
    require(by, "reviews.comment", edition)
    _refuse_if_frozen(edition)
    reply = Comment(
        edition=edition,
        parent=thread,
        author=by,
        body=_clean_body(body),
        target=thread.target,
        process_id=thread.process_id,
        step_id=thread.step_id,
        target_lineage=thread.target_lineage,
        target_label=thread.target_label,
        # Only threads are open or resolved; a reply is part of its thread.
        status=Comment.Status.RESOLVED,
    )
    reply.full_clean()
    reply.save()
    audit_record(
        edition=edition,
        action=AuditEntry.Action.REPLY,
        by=by,
        reason=_audit_text(reply),
        comment=reply,
    )
    return reply


def _set_status(*, comment: Comment, by, status: str, action: str) -> Comment:
    edition = _lock(comment.edition)
    require(by, "reviews.comment", edition)
    _refuse_if_frozen(edition)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.parent_id is not None:
        raise ValidationError(_("ปิดหรือเปิดได้เฉพาะความเห็นหลัก ไม่ใช่คำตอบ"), code="reply")
    if comment.status == status:
        raise ValidationError(
            _("ความเห็นนี้ปิดแล้ว") if status == Comment.Status.RESOLVED else _("ความเห็นนี้ยังเปิดอยู่แล้ว"),
            code="same_status",
        )
    comment.status = status
    if status == Comment.Status.RESOLVED:
        comment.resolved_by, comment.resolved_at = by, timezone.now()
    else:
        comment.resolved_by, comment.resolved_at = None, None
    comment.save(update_fields=["status", "resolved_by", "resolved_at"])
    audit_record(
        edition=edition, action=action, by=by, reason=_audit_text(comment), comment=comment
    )
    return comment


@transaction.atomic
@recorded_in_thai
def comment_resolve(*, comment: Comment, by) -> Comment:
    """Mark a comment as dealt with."""
    return _set_status(
        comment=comment, by=by, status=Comment.Status.RESOLVED, action=AuditEntry.Action.RESOLVE
    )


@transaction.atomic
@recorded_in_thai
def comment_reopen(*, comment: Comment, by) -> Comment:
    """Open a resolved comment again (the fix was not enough)."""
    return _set_status(
        comment=comment, by=by, status=Comment.Status.OPEN, action=AuditEntry.Action.REOPEN
    )


def _audit_text(comment: Comment) -> str:
    where = comment.target_label or str(Comment.Target.EDITION.label)
    return f"{where}: {comment.body[:200]}"


# --- reminders ------------------------------------------------------------------------------


@transaction.atomic
@recorded_in_thai
def review_reminders_send(*, today=None) -> dict[str, int]:
    """Remind the unit's editors of manuals due within 90 days or overdue, once per day each."""
    import datetime

    from reviews.selectors import DUE_SOON_DAYS

    today = today or timezone.localdate()
    sent = due = overdue = 0
    published = Edition.objects.published().select_related("manual__agency")
    for edition in published:
        next_due = edition.next_review_due
        if next_due is None:
            continue
        if next_due < today:
            verb, overdue = Notification.Verb.REVIEW_OVERDUE, overdue + 1
            message = _("คู่มือ%(agency)s %(edition)s เลยกำหนดทบทวนแล้ว (ครบกำหนด %(date)s)")
        elif next_due <= today + datetime.timedelta(days=DUE_SOON_DAYS):
            verb, due = Notification.Verb.REVIEW_DUE, due + 1
            message = _("คู่มือ%(agency)s %(edition)s จะครบกำหนดทบทวนในวันที่ %(date)s")
        else:
            continue
        text = message % {
            "agency": edition.manual.agency.name,
            "edition": edition.display_label,
            "date": format_thai_date(next_due),
        }
        sent += len(
            notify(
                recipients=unit_editors(edition),
                verb=verb,
                edition=edition,
                message=text,
                key=f"{verb}:{edition.pk}:{today.isoformat()}",
            )
        )
    return {"due": due, "overdue": overdue, "sent": sent}
