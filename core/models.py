"""Building blocks shared by every model that belongs to an edition of a manual."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class EditionFrozenError(ValidationError):
    """Raised whenever anything tries to change a published (or superseded) edition."""

    def __init__(self, message=None):
        super().__init__(
            message or _("ฉบับนี้เผยแพร่แล้ว จึงแก้ไขไม่ได้ หากต้องการปรับปรุง ให้เริ่มฉบับปรับปรุงใหม่จากฉบับที่เผยแพร่"),
            code="edition_frozen",
        )


class EditionContentQuerySet(models.QuerySet):
    """Bulk writes refuse rows of frozen editions, like single saves do."""

    def _refuse_if_frozen(self) -> None:
        path = self.model.edition_path
        edition_model = self.model.edition_model()
        frozen = self.filter(**{f"{path}__status__in": edition_model.Status.frozen_values()})
        if frozen.exists():
            raise EditionFrozenError()

    def update(self, **kwargs):
        self._refuse_if_frozen()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()


class EditionContent(models.Model):
    """A row of a manual's content: it belongs to exactly one edition.

    ``lineage`` is copied unchanged when a revision deep-copies an edition, so the same row
    can be followed across editions. ``version`` is bumped on every save and lets the editor
    refuse a save based on stale data.
    """

    # Path from this model to its Edition, for queries ("edition", "process__edition", ...).
    edition_path = "edition"

    lineage = models.UUIDField(_("รหัสสายประวัติ"), default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(_("รุ่นของข้อมูล"), default=1, editable=False)

    objects = EditionContentQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def edition_model(cls) -> type[models.Model]:
        """The edition model, found by following ``edition_path`` (core knows no app)."""
        model = cls
        for part in cls.edition_path.split("__"):
            model = model._meta.get_field(part).related_model
        return model

    def get_edition(self):
        obj = self
        for part in self.edition_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def _check_not_frozen(self) -> None:
        edition = self.get_edition()
        edition_model = type(edition)
        # Read the status from the database: an in-memory edition object may be stale. Inside a
        # transaction the row stays locked until the commit, so no approval slips in between.
        rows = edition_model.objects.filter(pk=edition.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        status = rows.values_list("status", flat=True).first()
        if status in edition_model.Status.frozen_values():
            raise EditionFrozenError()

    def save(self, *args, **kwargs):
        self._check_not_frozen()
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_not_frozen()
        return super().delete(*args, **kwargs)


class Positioned(models.Model):
    """Rows kept in a user-chosen order (1, 2, 3 ...) within their parent."""

    position = models.PositiveIntegerField(_("ลำดับ"), default=1)

    class Meta:
        abstract = True


class ExportJob(models.Model):
    """A file made in the background from one edition's content (the PDF, the Word file): its
    state, how long it took, who asked. The subclass adds the edition, the file, its stages
    and its progress; a finished file is reused while the content hashes the same
    (``content_hash``: the edition's content and the code that draws it)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังสร้าง")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")

        @classmethod
        def active_values(cls) -> list[str]:
            """States in which the export is, or will be, a usable file."""
            return [cls.QUEUED, cls.RUNNING, cls.DONE]

    content_hash = models.CharField(_("รหัสเนื้อหา"), max_length=64, db_index=True)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file_size = models.PositiveBigIntegerField(_("ขนาดไฟล์ (ไบต์)"), null=True, blank=True)
    seconds = models.FloatField(_("เวลาที่ใช้ (วินาที)"), null=True, blank=True)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ขอ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ขอเมื่อ"), auto_now_add=True)
    started_at = models.DateTimeField(_("เริ่มเมื่อ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
