"""The search index: one row per searchable thing of an edition (a step, a process's Table 2 …).

Rows are derived data, rebuilt from the content by ``search.index`` (the services that write
content notify it through ``core.changes``) or by ``manage.py rebuild_search_index``.
On PostgreSQL the migrations add a stored ``tsv`` column (``to_tsvector('simple', tokens)``,
generated) with a GIN index, and a pg_trgm GIN index on ``compact``; on SQLite two FTS5 tables
(words, trigrams) kept in step by triggers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from manuals.models import Edition
from processes.models import Process, Step


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("ส่วนนำ คำจำกัดความ และภาคผนวก")
        TABLE1 = "table1", _("ตารางที่ ๑ ขอบเขต")
        TABLE2 = "table2", _("ตารางที่ ๒ กรอบแนวคิดและข้อกำหนด")
        STEP = "step", _("ตารางที่ ๓–๕ ขั้นตอน")
        FORM = "form", _("แบบฟอร์ม")

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="+"
    )
    process = models.ForeignKey(
        Process, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("ส่วนของคู่มือ"), max_length=10, choices=Kind.choices)
    # Where in the edition: a text section name, "definition", a form code …
    anchor = models.CharField(max_length=80, blank=True)
    title = models.CharField(_("หัวเรื่อง"), max_length=400)
    # "label: value" lines as the user wrote them, for snippets.
    body = models.TextField(blank=True)
    # Space-separated normalised word tokens of title and body (search.text.search_words).
    tokens = models.TextField(blank=True)
    # Title and body without spaces or punctuation (search.text.search_compact).
    compact = models.TextField(blank=True)

    class Meta:
        verbose_name = _("รายการดัชนีค้นหา")
        verbose_name_plural = _("ดัชนีค้นหา")
        indexes = [models.Index(fields=["edition", "process"], name="search_entry_scope")]

    def __str__(self) -> str:
        return self.title
