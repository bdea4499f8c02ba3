"""Review of an edition: comments on it, its audit trail and the notifications it sends."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manuals.models import Edition


class CommentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Comment.Status.OPEN)

    def threads(self):
        """Top-level comments (replies hang below them)."""
        return self.filter(parent__isnull=True)


class Comment(models.Model):
    """A reviewer's or editor's remark on an edition, one of its processes or one of its steps.

    The target's ``lineage`` is stored too, so a comment can be matched to the same row in
    another edition of the manual even after the row itself was deleted.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("ยังไม่ได้แก้ไข")
        RESOLVED = "resolved", _("แก้ไขแล้ว")

    class Target(models.TextChoices):
        EDITION = "edition", _("ทั้งฉบับ")
        PROCESS = "process", _("กระบวนการ")
        STEP = "step", _("ขั้นตอน")

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="comments"
    )
    target = models.CharField(
        _("เรื่องที่ให้ความเห็น"), max_length=10, choices=Target.choices, default=Target.EDITION
    )
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("กระบวนการ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_comments",
    )
    step = models.ForeignKey(
        "processes.Step",
        verbose_name=_("ขั้นตอน"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_comments",
    )
    target_lineage = models.UUIDField(_("รหัสสายประวัติของเรื่อง"), null=True, blank=True)
    # What the target was called when the comment was written (kept if the row goes away).
    target_label = models.CharField(_("ชื่อเรื่อง"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ตอบกลับความเห็น"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ให้ความเห็น"),
        on_delete=models.PROTECT,
        related_name="review_comments",
    )
    body = models.TextField(_("ความเห็น"))
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ปิดความเห็น"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("ปิดเมื่อ"), null=True, blank=True)
    created_at = models.DateTimeField(_("เขียนเมื่อ"), auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("ความเห็นการตรวจสอบ")
        verbose_name_plural = _("ความเห็นการตรวจสอบ")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["edition", "status"], name="comment_edition_status"),
            models.Index(fields=["target_lineage"], name="comment_target_lineage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target="step") | Q(target_lineage__isnull=False),
                name="comment_step_has_lineage",
            ),
            models.CheckConstraint(
                condition=~Q(target="process") | Q(target_lineage__isnull=False),
                name="comment_process_has_lineage",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_open(self) -> bool:
        return self.status == Comment.Status.OPEN


class AuditEntryQuerySet(models.QuerySet):
    """The trail is append-only: bulk updates and deletes are refused too."""

    def update(self, **kwargs):
        raise ValidationError(_("บันทึกการดำเนินการแก้ไขไม่ได้"), code="audit_immutable")

    def delete(self):
        raise ValidationError(_("บันทึกการดำเนินการลบไม่ได้"), code="audit_immutable")


class AuditEntry(models.Model):
    """One thing that happened to an edition: who did it, when, and why. Never changes."""

    class Action(models.TextChoices):
        START_REVISION = "start_revision", _("เริ่มปรับปรุงฉบับใหม่")
        SUBMIT = "submit", _("ส่งตรวจสอบ")
        WITHDRAW = "withdraw", _("ถอนกลับมาแก้ไข")
        REQUEST_CHANGES = "request_changes", _("ขอให้แก้ไข")
        APPROVE = "approve", _("อนุมัติ")
        PUBLISH = "publish", _("เผยแพร่")
        SUPERSEDE = "supersede", _("ถูกแทนที่ด้วยฉบับใหม่")
        COMMENT = "comment", _("ให้ความเห็น")
        REPLY = "reply", _("ตอบความเห็น")
        RESOLVE = "resolve", _("ปิดความเห็น")
        REOPEN = "reopen", _("เปิดความเห็นอีกครั้ง")

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.PROTECT, related_name="audit_entries"
    )
    action = models.CharField(_("การดำเนินการ"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("จากสถานะ"), max_length=20, choices=Edition.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("เป็นสถานะ"), max_length=20, choices=Edition.Status.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ดำเนินการ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_audit_entries",
    )
    reason = models.TextField(_("เหตุผล/รายละเอียด"), blank=True)
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("ความเห็น"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("บันทึกการดำเนินการ")
        verbose_name_plural = _("บันทึกการดำเนินการ")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.edition_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise ValidationError(_("บันทึกการดำเนินการแก้ไขไม่ได้"), code="audit_immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("บันทึกการดำเนินการลบไม่ได้"), code="audit_immutable")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a user's in-app inbox (the same text also goes out by e-mail)."""

    class Verb(models.TextChoices):
        SUBMITTED = "submitted", _("ส่งตรวจสอบ")
        CHANGES_REQUESTED = "changes_requested", _("ขอให้แก้ไข")
        APPROVED = "approved", _("อนุมัติและเผยแพร่")
        REVIEW_DUE = "review_due", _("ใกล้ครบกำหนดทบทวน")
        REVIEW_OVERDUE = "review_overdue", _("เลยกำหนดทบทวน")
        # Revision rounds (the rounds app sends these)
        MILESTONE_DUE = "milestone_due", _("ใกล้ถึงกำหนดของรอบการปรับปรุง")
        MILESTONE_LATE = "milestone_late", _("เลยกำหนดของรอบการปรับปรุง")
        ADOPTER_COMMENT = "adopter_comment", _("หน่วยงานที่ใช้คู่มือร่วมให้ความเห็น")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รับ"),
        on_delete=models.CASCADE,
        related_name="review_notifications",
    )
    verb = models.CharField(_("เรื่อง"), max_length=20, choices=Verb.choices)
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("ฉบับ"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.TextField(_("ข้อความ"))
    url = models.CharField(_("ลิงก์"), max_length=300, blank=True)
    # Reminders carry "<verb>:<edition>:<date>" so the daily command never sends one twice.
    key = models.CharField(_("รหัสกันส่งซ้ำ"), max_length=80, blank=True)
    read_at = models.DateTimeField(_("อ่านเมื่อ"), null=True, blank=True)
    created_at = models.DateTimeField(_("ส่งเมื่อ"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_unique_key",
            )
        ]

    def __str__(self) -> str:
        return self.message[:60]
