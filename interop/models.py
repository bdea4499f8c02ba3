"""Word exports of editions: one row per requested .docx, cached against the edition's content."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ExportJob
from manuals.models import Edition


class DocxExport(ExportJob):
    """The Word file of one edition, as it was when its content hashed to ``content_hash``.

    Made in the background like the PDF (``interop.services.export_docx``); a finished file is
    handed out again for as long as the edition's content and the Word code hash the same.
    """

    class Stage(models.TextChoices):
        WAITING = "waiting", _("รอเริ่มงาน")
        LOADING = "loading", _("อ่านข้อมูลคู่มือ")
        CHARTS = "charts", _("วาดแผนผังกระบวนการ")
        WRITING = "writing", _("เขียนไฟล์ Word")
        FINISHED = "finished", _("เสร็จสิ้น")

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="docx_exports"
    )
    stage = models.CharField(
        _("ขั้นตอน"), max_length=10, choices=Stage.choices, default=Stage.WAITING
    )
    charts_done = models.PositiveIntegerField(_("จำนวนแผนผังที่วาดแล้ว"), default=0)
    charts_total = models.PositiveIntegerField(_("จำนวนแผนผัง"), null=True, blank=True)
    file = models.FileField(_("ไฟล์ Word"), upload_to="docx/", blank=True)

    class Meta(ExportJob.Meta):
        verbose_name = _("ไฟล์ Word ของคู่มือ")
        verbose_name_plural = _("ไฟล์ Word ของคู่มือ")
        constraints = [
            # One usable export per edition content: a second request joins the first.
            models.UniqueConstraint(
                fields=["edition", "content_hash"],
                condition=Q(status__in=["queued", "running", "done"]),
                name="docxexport_one_active_per_content",
            )
        ]

    def __str__(self) -> str:
        return f"Word {self.edition} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """Progress for the bar: reading 0–5 %, charts 5–85 % by charts drawn, writing 85–100 %."""
        if self.status == self.Status.DONE:
            return 100
        if self.stage == self.Stage.CHARTS:
            if self.charts_total:
                return 5 + int(80 * min(self.charts_done, self.charts_total) / self.charts_total)
            return 5
        if self.stage == self.Stage.WRITING:
            return 90
        return 2
