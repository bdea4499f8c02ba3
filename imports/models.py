"""An import of an existing manual (a run with its report) and the text it could not place."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import EditionContent, Positioned
from manuals.models import Agency, Edition, Manual


class ImportRun(models.Model):
    """One import of a file (Word, PDF, text or JSON): its progress and its report.

    Not edition content: the run is bookkeeping about how a draft came to be, so a revision
    does not copy it."""

    class SourceKind(models.TextChoices):
        DOCX = "docx", _("ไฟล์ Word (.docx)")
        PDF = "pdf", _("ไฟล์ PDF")
        TEXT = "text", _("ข้อความ (.txt/.md)")
        JSON = "json", _("ไฟล์ JSON")

    class Status(models.TextChoices):
        QUEUED = "queued", _("รอดำเนินการ")
        RUNNING = "running", _("กำลังนำเข้า")
        DONE = "done", _("นำเข้าแล้ว")
        FAILED = "failed", _("นำเข้าไม่สำเร็จ")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("หน่วยงาน"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    manual = models.ForeignKey(
        Manual,
        verbose_name=_("คู่มือ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("ฉบับที่ได้จากการนำเข้า"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    source_name = models.CharField(_("ชื่อไฟล์ต้นฉบับ"), max_length=255)
    source_kind = models.CharField(_("ชนิดไฟล์"), max_length=10, choices=SourceKind.choices)
    # The uploaded file, kept until the background task has read it.
    source_file = models.FileField(_("ไฟล์ที่อัปโหลด"), upload_to="imports/", blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("ความคืบหน้า (ร้อยละ)"), default=0)
    stage = models.CharField(_("ขั้นตอนที่กำลังทำ"), max_length=200, blank=True)
    # What imports.services.ImportResult.report holds: per process what was recognised, counts,
    # warnings with their source location.
    report = models.JSONField(_("รายงานการนำเข้า"), default=dict, blank=True)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    seconds = models.FloatField(_("เวลาที่ใช้ (วินาที)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้นำเข้า"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    created_at = models.DateTimeField(_("เริ่มเมื่อ"), auto_now_add=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("การนำเข้าคู่มือ")
        verbose_name_plural = _("การนำเข้าคู่มือ")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name} · {self.get_status_display()}"


class UnplacedText(EditionContent, Positioned):
    """Source text an import could not put in any field, kept with where it came from.

    Edition content, so a revision copies it; the unit's editor reads it next to the process
    it came nearest to and removes it by hand once moved into place."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="unplaced_texts"
    )
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("ใกล้กระบวนการ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unplaced_texts",
    )
    text = models.TextField(_("ข้อความ"))
    # As shown to the editor: "หน้า ๑๒ บรรทัด ๓"; page/line are the numbers (null when unknown).
    source_location = models.CharField(_("ตำแหน่งในต้นฉบับ"), max_length=120, blank=True)
    page = models.PositiveIntegerField(_("หน้า"), null=True, blank=True)
    line = models.PositiveIntegerField(_("บรรทัด"), null=True, blank=True)
    # Why it was not placed (a column with no field, text outside every table …).
    reason = models.CharField(_("เหตุที่ไม่ได้จัดลงช่อง"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ข้อความที่ยังไม่ได้จัดลงช่อง")
        verbose_name_plural = _("ข้อความที่ยังไม่ได้จัดลงช่อง")
        ordering = ["edition", "position"]

    def __str__(self) -> str:
        return self.text[:80]
