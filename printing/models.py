"""PDF exports of editions: one row per requested PDF, cached against the edition's content."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ExportJob
from manuals.models import Edition


class PdfExport(ExportJob):
    """The printed manual of one edition, as it was when its content hashed to ``content_hash``.

    A finished export is reused for as long as the edition's content (and the printing and chart
    code) hash the same; a published edition's PDF is made once and kept.
    """

    class Stage(models.TextChoices):
        WAITING = "waiting", _("รอเริ่มงาน")
        LOADING = "loading", _("อ่านข้อมูลคู่มือ")
        CHARTS = "charts", _("วาดแผนผังกระบวนการ")
        LAYOUT = "layout", _("จัดหน้า")
        WRITING = "writing", _("เขียนไฟล์ PDF")
        FINISHED = "finished", _("เสร็จสิ้น")

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="pdf_exports"
    )
    stage = models.CharField(
        _("ขั้นตอน"), max_length=10, choices=Stage.choices, default=Stage.WAITING
    )
    pages_done = models.PositiveIntegerField(_("จำนวนหน้าที่จัดแล้ว"), default=0)
    page_count = models.PositiveIntegerField(_("จำนวนหน้า"), null=True, blank=True)
    file = models.FileField(_("ไฟล์ PDF"), upload_to="pdf/", blank=True)

    class Meta(ExportJob.Meta):
        verbose_name = _("ไฟล์ PDF ของคู่มือ")
        verbose_name_plural = _("ไฟล์ PDF ของคู่มือ")
        constraints = [
            # One usable (queued, running or done) export per edition content: a second request
            # for the same content joins the first instead of printing it again.
            models.UniqueConstraint(
                fields=["edition", "content_hash"],
                condition=Q(status__in=["queued", "running", "done"]),
                name="pdfexport_one_active_per_content",
            )
        ]

    def __str__(self) -> str:
        return f"PDF {self.edition} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """Progress for the bar: charts 0–10 %, layout 10–90 % by pages, writing 90–100 %."""
        if self.status == self.Status.DONE:
            return 100
        if self.stage in (self.Stage.WAITING, self.Stage.LOADING):
            return 2
        if self.stage == self.Stage.CHARTS:
            return 8
        if self.stage == self.Stage.LAYOUT:
            if self.page_count:
                return 10 + int(80 * min(self.pages_done, self.page_count) / self.page_count)
            return 10 + min(70, self.pages_done // 4)
        if self.stage == self.Stage.WRITING:
            return 92
        return 0
