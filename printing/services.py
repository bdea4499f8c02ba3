"""Writes for the printed manual: ask for a PDF, make it, keep it.

``export_request`` is what the "ส่งออก PDF" button calls: it hands back a finished export of the
same content when there is one, joins an export that is already queued or running, or queues a
new one (``export_pdf``, the background task at the end of this module). ``export_run`` makes
the PDF (the task and the CLI).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.thai import thai_digits
from manuals.models import (
    Abbreviation,
    Agency,
    Definition,
    Edition,
    Form,
    Lane,
    LegalReference,
    Responsibility,
)
from manuals.permissions import require
from printing.models import PdfExport
from processes.models import (
    Flow,
    Indicator,
    LegalRequirement,
    Mission,
    Process,
    Requirement,
    Stakeholder,
    Step,
)

logger = logging.getLogger(__name__)

# An export queued or running for longer than this is taken as lost (a worker died).
STALE_AFTER = datetime.timedelta(minutes=30)


class ExportLimitError(ValidationError):
    """The user already has as many PDF builds waiting as one person may (settings)."""

    def __init__(self, count: int):
        super().__init__(
            _("คุณมีคำขอสร้าง PDF ที่ยังไม่เสร็จอยู่ %(n)s รายการแล้ว โปรดรอให้เสร็จก่อนแล้วจึงขอใหม่")
            % {"n": thai_digits(str(count))},
            code="export_limit",
        )


def _pending(queryset):
    fresh = timezone.now() - STALE_AFTER
    return queryset.filter(
        status__in=[PdfExport.Status.QUEUED, PdfExport.Status.RUNNING], created_at__gte=fresh
    )


def _limit_queue(edition: Edition, content_hash: str, by) -> None:
    """At most one build waits per edition: a request for newer content replaces the queued
    build of older content (cancelled before a worker starts it; a running one finishes). And
    one person has at most ``PDF_EXPORT_MAX_PENDING_PER_USER`` builds waiting or running."""
    PdfExport.objects.filter(edition=edition, status=PdfExport.Status.QUEUED).exclude(
        content_hash=content_hash
    ).update(
        status=PdfExport.Status.FAILED,
        error=_("ยกเลิกแล้ว: มีคำขอที่ใหม่กว่าสำหรับเนื้อหาล่าสุดของฉบับนี้"),
        finished_at=timezone.now(),
    )
    if getattr(by, "pk", None) is None:
        return
    limit = settings.PDF_EXPORT_MAX_PENDING_PER_USER
    count = _pending(PdfExport.objects.filter(requested_by=by)).count()
    if count >= limit:
        raise ExportLimitError(count)


def _code_version() -> str:
    from flowcharts.layout import LAYOUT_VERSION
    from flowcharts.render import CODE_VERSION
    from printing.builder import BUILD_VERSION

    return f"{BUILD_VERSION}|{CODE_VERSION}|{LAYOUT_VERSION}"


def edition_content_hash(edition: Edition) -> str:
    """A hash of everything the edition's PDF shows: every row of the edition (all fields,
    versions included), the cited laws of the shared library, the owner agencies' names, and
    the version of the printing and chart code."""
    digest = hashlib.sha256(_code_version().encode())

    def feed(label: str, rows) -> None:
        digest.update(label.encode())
        for row in rows:
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
            digest.update(b"\x1e")

    feed("edition", Edition.objects.filter(pk=edition.pk).values_list())
    agency_ids = edition.manual.agency.ancestor_ids()
    feed("agency", Agency.objects.filter(pk__in=agency_ids).order_by("pk").values_list())
    feed("manual", type(edition.manual).objects.filter(pk=edition.manual_id).values_list())
    by_edition = (Lane, Form, Definition, Abbreviation, Responsibility, Mission, Process)
    for model in by_edition:
        feed(model.__name__, model.objects.filter(edition=edition).order_by("pk").values_list())
    by_process = (Stakeholder, Requirement, Indicator, LegalRequirement, Step)
    for model in by_process:
        rows = model.objects.filter(process__edition=edition).order_by("pk").values_list()
        feed(model.__name__, rows)
    feed(
        "Flow",
        Flow.objects.filter(source__process__edition=edition).order_by("pk").values_list(),
    )
    for through in (Step.other_lanes.through, Step.forms.through):
        rows = through.objects.filter(step__process__edition=edition).order_by("pk").values_list()
        feed(through.__name__, rows)
    feed(
        "LegalReference",
        LegalReference.objects.filter(requirements__process__edition=edition)
        .distinct()
        .order_by("pk")
        .values_list("pk", "kind", "title", "year_be", "amendment_note"),
    )
    return digest.hexdigest()


def _reusable(edition: Edition, content_hash: str) -> PdfExport | None:
    """A done export of exactly this content, or one that is queued or running for this
    content and not stale. The hash decides in every status: a PDF made while the edition was a
    draft is never handed out for the published edition (the status, the approval and every
    row are in the hash), so the official document is always the approved content."""
    done = PdfExport.objects.filter(
        edition=edition, status=PdfExport.Status.DONE, content_hash=content_hash
    )
    for export in done.order_by("-finished_at", "-pk"):
        if export.file and export.file.storage.exists(export.file.name):
            return export
        # the file is gone (cleaned by hand): forget this export
        export.status = PdfExport.Status.FAILED
        export.error = _("ไม่พบไฟล์ PDF ที่เคยสร้างไว้")
        export.save(update_fields=["status", "error"])
    pending = PdfExport.objects.filter(
        edition=edition,
        content_hash=content_hash,
        status__in=[PdfExport.Status.QUEUED, PdfExport.Status.RUNNING],
    ).first()
    if pending is not None and pending.created_at < timezone.now() - STALE_AFTER:
        pending.status = PdfExport.Status.FAILED
        pending.error = _("การสร้าง PDF ใช้เวลานานผิดปกติ จึงยกเลิก กรุณาลองใหม่อีกครั้ง")
        pending.finished_at = timezone.now()
        pending.save(update_fields=["status", "error", "finished_at"])
        return None
    return pending


def export_request(*, edition: Edition, by) -> PdfExport:
    """Lets anyone who can read the edition ask for its PDF: an export of the same content is
    reused (a published edition's PDF is kept as long as its content and the printing code are
    the same), otherwise one is queued."""
    require(by, "manuals.view_edition", edition)
    content_hash = edition_content_hash(edition)
    existing = _reusable(edition, content_hash)
    if existing is not None:
        return existing
    _limit_queue(edition, content_hash, by)
    try:
        with transaction.atomic():
            export = PdfExport.objects.create(
                edition=edition,
                content_hash=content_hash,
                requested_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:
        # a concurrent request queued the same content first: join it
        existing = _reusable(edition, content_hash)
        if existing is None:
            raise
        return existing
    try:
        export_pdf.enqueue(export.pk)
    except Exception as exc:  # the queue is down: say so, keep the page usable
        logger.exception("could not queue PDF export %s", export.pk)
        _fail(export, exc)
    export.refresh_from_db()
    return export


def export_ensure(*, edition: Edition) -> PdfExport:
    """The PDF of the edition, made now in this process unless a cached one exists (CLI)."""
    content_hash = edition_content_hash(edition)
    existing = _reusable(edition, content_hash)
    if existing is not None and existing.status == PdfExport.Status.DONE:
        return existing
    if existing is not None:
        # queued or running elsewhere: print our own copy rather than wait for a worker
        existing = None
    export = PdfExport.objects.create(
        edition=edition, content_hash=content_hash, status=PdfExport.Status.RUNNING
    )
    export_run(export_id=export.pk)
    export.refresh_from_db()
    return export


def _save_progress(export_id: int, stage: str, pages_done: int, page_count: int | None) -> None:
    fields = {"stage": stage, "pages_done": pages_done}
    if page_count is not None:
        fields["page_count"] = page_count
    PdfExport.objects.filter(pk=export_id).update(**fields)


def _fail(export: PdfExport, exc: BaseException) -> None:
    export.status = PdfExport.Status.FAILED
    export.error = _("สร้างไฟล์ PDF ไม่สำเร็จ: %(reason)s") % {
        "reason": str(getattr(exc, "message", "")) or exc.__class__.__name__
    }
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])


def export_run(*, export_id: int, workers: int | None = None) -> PdfExport:
    """Make the PDF of a queued export, reporting the stage and pages as it goes."""
    from printing.builder import build_manual, default_workers

    # Claim the export: a queued one cancelled by a newer request (or already done) is not built.
    claimed = PdfExport.objects.filter(
        pk=export_id, status__in=[PdfExport.Status.QUEUED, PdfExport.Status.RUNNING]
    ).update(
        status=PdfExport.Status.RUNNING,
        started_at=timezone.now(),
        stage=PdfExport.Stage.LOADING,
    )
    export = PdfExport.objects.select_related("edition").get(pk=export_id)
    if not claimed:
        return export
    started = time.perf_counter()
    try:
        built = build_manual(
            export.edition_id,
            progress=lambda stage, done, total: _save_progress(export.pk, stage, done, total),
            workers=workers if workers is not None else default_workers(),
            keep_html=False,
        )
        export.refresh_from_db()
        name = f"edition-{export.edition_id}-{export.content_hash[:16]}.pdf"
        export.file.save(name, ContentFile(built.pdf), save=False)
        export.file_size = len(built.pdf)
        export.page_count = built.page_count
        export.pages_done = built.page_count
        export.status = PdfExport.Status.DONE
        export.stage = PdfExport.Stage.FINISHED
        export.seconds = time.perf_counter() - started
        export.finished_at = timezone.now()
        export.error = ""
        export.save()
    except Exception as exc:
        logger.exception("PDF export %s of edition %s failed", export.pk, export.edition_id)
        export.refresh_from_db()
        _fail(export, exc)
        return export
    _prune_old(export)
    return export


def _prune_old(export: PdfExport) -> None:
    """Drop the files of an open edition's older exports (a published edition keeps its PDF)."""
    edition = export.edition
    if edition.is_frozen:
        return
    old = PdfExport.objects.filter(edition=edition, status=PdfExport.Status.DONE).exclude(
        pk=export.pk
    )
    for row in old:
        if row.file:
            row.file.delete(save=False)
        row.delete()


# The background task lives beside the service it runs, so neither module imports the other
# behind a function (``printing.tasks`` re-exports it under its historical path).
@task()
def export_pdf(export_id: int) -> int:
    """Make the PDF of one queued export; returns its page count (0 when it failed)."""
    export = export_run(export_id=export_id)
    return export.page_count or 0
