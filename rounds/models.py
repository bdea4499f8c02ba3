"""A revision round (รอบการปรับปรุง): every manual in a part of the agency tree is revised at once,
against milestones, and its finals approved together by one letter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.thai import thai_digits
from manuals.models import Agency, Edition, Manual


class Round(models.Model):
    """One round, e.g. รอบการปรับปรุง พ.ศ. ๒๕๖๗, over all agencies or one agency's subtree."""

    class Status(models.TextChoices):
        OPEN = "open", _("เปิดอยู่")
        CLOSED = "closed", _("ปิดแล้ว")

    class Opening(models.TextChoices):
        QUEUED = "queued", _("รอเริ่มฉบับร่าง")
        RUNNING = "running", _("กำลังเริ่มฉบับร่าง")
        DONE = "done", _("เริ่มฉบับร่างครบแล้ว")
        FAILED = "failed", _("เริ่มฉบับร่างไม่สำเร็จ")

    title = models.CharField(_("ชื่อรอบ"), max_length=200)
    year_be = models.PositiveSmallIntegerField(_("ปี พ.ศ. ของฉบับปรับปรุง"))
    scope = models.ForeignKey(
        Agency,
        verbose_name=_("ขอบเขต (หน่วยงานและหน่วยงานในสังกัด)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("เว้นว่างไว้ = ทุกหน่วยงาน"),
    )
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    opening = models.CharField(
        _("การเริ่มฉบับร่าง"), max_length=10, choices=Opening.choices, default=Opening.QUEUED
    )
    manuals_total = models.PositiveIntegerField(_("จำนวนคู่มือในขอบเขต"), default=0)
    manuals_done = models.PositiveIntegerField(_("ดำเนินการแล้ว"), default=0)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้เปิดรอบ"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("เปิดเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("รอบการปรับปรุงคู่มือ")
        verbose_name_plural = _("รอบการปรับปรุงคู่มือ")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_be__gte=2500) & Q(year_be__lte=2700),
                name="round_year_is_buddhist_era",
                violation_error_message=_("ปีต้องเป็นปีพุทธศักราช เช่น ๒๕๖๗"),
            )
        ]

    def __str__(self) -> str:
        return thai_digits(self.title)

    def get_absolute_url(self) -> str:
        return reverse("rounds:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == Round.Status.OPEN

    @property
    def opening_percent(self) -> int:
        if self.opening == Round.Opening.DONE:
            return 100
        if not self.manuals_total:
            return 0
        return min(100, round(100 * self.manuals_done / self.manuals_total))


class Milestone(models.Model):
    """A deadline of the round; each kind says which edition states count as having met it."""

    class Kind(models.TextChoices):
        DRAFT_DUE = "draft_due", _("ส่งร่างคู่มือ")
        REVIEW_DUE = "review_due", _("ตรวจสอบและให้ความเห็นแล้วเสร็จ")
        FINAL_DUE = "final_due", _("ส่งคู่มือฉบับสมบูรณ์")
        APPROVAL = "approval", _("อนุมัติ")

    round = models.ForeignKey(
        Round, verbose_name=_("รอบ"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("ขั้นตอน"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("กำหนดเสร็จ"))

    class Meta:
        verbose_name = _("กำหนดการของรอบ")
        verbose_name_plural = _("กำหนดการของรอบ")
        ordering = ["round", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="milestone_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


class Participation(models.Model):
    """A manual in a round: the draft the round started (or why it was skipped), and the
    fingerprint of the final that ก.ก. compiled for the batch approval."""

    class State(models.TextChoices):
        JOINED = "joined", _("เข้าร่วมรอบ")
        SKIPPED = "skipped", _("ข้าม")

    round = models.ForeignKey(
        Round, verbose_name=_("รอบ"), on_delete=models.CASCADE, related_name="participations"
    )
    manual = models.ForeignKey(
        Manual, verbose_name=_("คู่มือ"), on_delete=models.CASCADE, related_name="participations"
    )
    state = models.CharField(_("สถานะในรอบ"), max_length=10, choices=State.choices)
    skip_reason = models.CharField(_("เหตุที่ข้าม"), max_length=300, blank=True)
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("ฉบับปรับปรุงในรอบนี้"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    # Mirrors round.status for the constraint below (a condition cannot follow a relation).
    active = models.BooleanField(_("อยู่ในรอบที่เปิดอยู่"), default=False)
    compiled_at = models.DateTimeField(_("รวบรวมฉบับสมบูรณ์เมื่อ"), null=True, blank=True)
    compiled_fingerprint = models.CharField(_("ลายพิมพ์เนื้อหาเมื่อรวบรวม"), max_length=64, blank=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รวบรวม"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("คู่มือในรอบ")
        verbose_name_plural = _("คู่มือในรอบ")
        ordering = ["round", "manual__agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "manual"], name="participation_unique_manual"),
            models.UniqueConstraint(
                fields=["manual"],
                condition=Q(active=True),
                name="participation_one_open_round",
                violation_error_message=_("คู่มือนี้อยู่ในรอบการปรับปรุงอื่นที่ยังเปิดอยู่"),
            ),
            models.CheckConstraint(
                condition=~Q(active=True) | Q(state="joined"),
                name="participation_active_is_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.manual}"

    @property
    def is_compiled(self) -> bool:
        return bool(self.compiled_fingerprint)


class ProgressSnapshot(models.Model):
    """The round's progress on one day (the chart over the round is drawn from these)."""

    round = models.ForeignKey(
        Round, verbose_name=_("รอบ"), on_delete=models.CASCADE, related_name="snapshots"
    )
    taken_on = models.DateField(_("วันที่"))
    percent = models.DecimalField(_("ความก้าวหน้า (ร้อยละ)"), max_digits=5, decimal_places=2)
    planned_percent = models.DecimalField(
        _("ตามแผน (ร้อยละ)"), max_digits=5, decimal_places=2, default=0
    )
    counts = models.JSONField(_("จำนวนตามสถานะ"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ความก้าวหน้าของรอบ")
        verbose_name_plural = _("ความก้าวหน้าของรอบ")
        ordering = ["round", "taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["round", "taken_on"], name="snapshot_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.taken_on} · {self.percent}%"


class ProgressReport(models.Model):
    """A monthly progress report in the shape of ก.ก.'s (รายงานครั้งที่ …): number, date,
    what happened, progress in per cent, on plan or behind."""

    round = models.ForeignKey(
        Round, verbose_name=_("รอบ"), on_delete=models.CASCADE, related_name="reports"
    )
    number = models.PositiveIntegerField(_("รายงานครั้งที่"))
    reported_on = models.DateField(_("วันที่รายงาน"))
    narrative = models.TextField(_("ผลการดำเนินงาน"))
    percent = models.DecimalField(_("ความก้าวหน้าของงาน (ร้อยละ)"), max_digits=5, decimal_places=2)
    planned_percent = models.DecimalField(_("ตามแผน (ร้อยละ)"), max_digits=5, decimal_places=2)
    on_plan = models.BooleanField(_("เป็นไปตามแผน"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รายงาน"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("รายงานความก้าวหน้า")
        verbose_name_plural = _("รายงานความก้าวหน้า")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="report_unique_number")
        ]

    def __str__(self) -> str:
        return thai_digits(f"รายงานครั้งที่ {self.number} · {self.round}")


class RoundNotice(models.Model):
    """One reminder sent for a milestone to one manual's agency: the daily command never sends
    the same (round, milestone, manual, kind) twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("ใกล้ถึงกำหนด")
        LATE = "late", _("เลยกำหนด")

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("กำหนดการ"), on_delete=models.CASCADE, related_name="notices"
    )
    participation = models.ForeignKey(
        Participation, verbose_name=_("คู่มือในรอบ"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("ประเภท"), max_length=10, choices=Kind.choices)
    recipients = models.PositiveIntegerField(_("จำนวนผู้รับ"), default=0)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("การแจ้งเตือนของรอบ")
        verbose_name_plural = _("การแจ้งเตือนของรอบ")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "participation", "kind"], name="roundnotice_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone} · {self.get_kind_display()}"


class AdopterPdf(models.Model):
    """The printed shared manual for one adopting agency (its own name on the cover and in the
    running head), made in the background like the printing app's exports and reused while
    the edition's content hashes the same."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังสร้าง")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="adopter_pdfs"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("หน่วยงานที่นำไปใช้"), on_delete=models.CASCADE, related_name="+"
    )
    content_hash = models.CharField(_("รหัสเนื้อหา"), max_length=64)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(_("ขั้นตอน"), max_length=20, blank=True)
    pages_done = models.PositiveIntegerField(_("จำนวนหน้าที่จัดแล้ว"), default=0)
    page_count = models.PositiveIntegerField(_("จำนวนหน้า"), null=True, blank=True)
    file = models.FileField(_("ไฟล์ PDF"), upload_to="adopter-pdf/", blank=True)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    created_at = models.DateTimeField(_("ขอเมื่อ"), auto_now_add=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF ของหน่วยงานที่ใช้คู่มือร่วม")
        verbose_name_plural = _("PDF ของหน่วยงานที่ใช้คู่มือร่วม")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["edition", "agency", "content_hash"], name="adopterpdf_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.edition} · {self.agency}"

    @property
    def is_finished(self) -> bool:
        return self.status in (AdopterPdf.Status.DONE, AdopterPdf.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == AdopterPdf.Status.DONE:
            return 100
        if not self.page_count:
            return 5 if self.status == AdopterPdf.Status.RUNNING else 0
        return min(99, round(100 * self.pages_done / self.page_count))
