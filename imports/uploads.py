"""The browser's import: a clerk uploads a Word, PDF, text or JSON file; a background task turns
it into a draft edition while the page shows a progress bar.

``import_targets`` says what the user may import into (agencies for a new manual, manuals for
their next draft); ``import_request`` checks the file and the permission, keeps the file in
storage, writes an :class:`~imports.models.ImportRun` and queues ``imports.tasks.import_manual``;
``import_execute`` (the task body) calls :func:`imports.services.import_file` with a progress
callback and records the outcome. A refused file fails the run with the importer's Thai message;
nothing of the manual is written.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.thai import thai_number
from imports.errors import ImportRefused
from imports.models import ImportRun
from imports.services import import_file
from manuals.models import Agency, Edition, Manual, Membership
from manuals.permissions import is_admin

logger = logging.getLogger(__name__)

# The file kinds the upload accepts: extension → ImportRun.SourceKind value.
KINDS = {".docx": "docx", ".pdf": "pdf", ".txt": "text", ".md": "text", ".json": "json"}
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
PROGRESS_KEY = "imports:progress:{}"


class UploadRefused(ValidationError):
    """The upload cannot be taken (kind, size, target, permission): a Thai message."""

    def __str__(self) -> str:
        return self.messages[0]


def max_upload_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(size: int) -> str:
    return thai_number(max(1, round(size / (1024 * 1024))), grouping=True)


def check_upload(*, name: str, size: int) -> str:
    """The source kind of a file the user picked, or UploadRefused saying why not."""
    suffix = PurePath(name or "").suffix.lower()
    kind = KINDS.get(suffix)
    if kind is None:
        raise UploadRefused(
            _("รับเฉพาะไฟล์ .docx .pdf .txt .md หรือ .json แต่ไฟล์ที่เลือกเป็น %(ext)s")
            % {"ext": suffix or _("ไฟล์ไม่มีนามสกุล")}
        )
    limit = max_upload_bytes()
    if size > limit:
        raise UploadRefused(
            _("ไฟล์ใหญ่เกินไป (%(size)s เมกะไบต์) ระบบรับไฟล์ได้ไม่เกิน %(limit)s เมกะไบต์")
            % {"size": _mb(size), "limit": _mb(limit)}
        )
    if size == 0:
        raise UploadRefused(_("ไฟล์ที่เลือกว่างเปล่า กรุณาเลือกไฟล์คู่มืออีกครั้ง"))
    return kind


# --- what the user may import into ------------------------------------------------------------


@dataclass(frozen=True)
class ImportTargets:
    """Agencies the user may start a new manual for, manuals whose next draft they may import."""

    agencies: list[Agency]
    manuals: list[Manual]

    @property
    def any(self) -> bool:
        return bool(self.agencies or self.manuals)


def _editable_agency_ids(user) -> set[int] | None:
    """Agencies whose manuals the user edits (their editor agencies and every unit below);
    None means every agency (admins)."""
    if is_admin(user):
        return None
    roots = set(
        Membership.objects.filter(user=user, role=Membership.Role.EDITOR).values_list(
            "agency_id", flat=True
        )
    )
    if not roots:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent in Agency.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), list(roots)
    while todo:
        node = todo.pop()
        if node in found:
            continue
        found.add(node)
        todo.extend(children.get(node, []))
    return found


def import_targets(*, user) -> ImportTargets:
    """What the upload form offers this user."""
    if not getattr(user, "is_authenticated", False):
        return ImportTargets(agencies=[], manuals=[])
    ids = _editable_agency_ids(user)
    agencies = Agency.objects.select_related("parent").order_by("name")
    if ids is not None:
        agencies = agencies.filter(pk__in=ids)
    open_manuals = set(
        Edition.objects.open().values_list("manual_id", flat=True).order_by("manual_id")
    )
    manuals = [
        m
        for m in Manual.objects.select_related("agency").order_by("agency__name", "title")
        if m.pk not in open_manuals and user.has_perm("manuals.start_revision", m)
    ]
    return ImportTargets(agencies=list(agencies), manuals=manuals)


def _check_target(*, user, agency: Agency | None, manual: Manual | None) -> None:
    if (agency is None) == (manual is None):
        raise UploadRefused(_("กรุณาเลือกว่าจะนำเข้าเป็นคู่มือใหม่ของหน่วยงานใด หรือเป็นฉบับร่างถัดไปของคู่มือใด"))
    if manual is not None:
        if not user.has_perm("manuals.start_revision", manual):
            raise PermissionDenied(_("คุณไม่มีสิทธิ์นำเข้าฉบับร่างของคู่มือนี้"))
        if Edition.objects.open().filter(manual=manual).exists():
            raise UploadRefused(_("คู่มือนี้มีฉบับร่างค้างอยู่แล้ว จึงนำเข้าเป็นฉบับร่างใหม่ไม่ได้ ให้แก้ไขฉบับร่างเดิมแทน"))
    else:
        ids = _editable_agency_ids(user)
        if ids is not None and agency.pk not in ids:
            raise PermissionDenied(_("คุณไม่มีสิทธิ์สร้างคู่มือของหน่วยงานนี้"))


# --- the run ----------------------------------------------------------------------------------


def import_request(*, upload, by, agency: Agency | None = None, manual: Manual | None = None):
    """Lets a unit editor bring a file in as a new manual of ``agency`` or the next draft of
    ``manual``: the file is kept, a run is recorded and the import is queued."""
    kind = check_upload(name=upload.name, size=upload.size)
    _check_target(user=by, agency=agency, manual=manual)
    name = PurePath(upload.name).name[:255]
    run = ImportRun(
        agency=manual.agency if manual is not None else agency,
        manual=manual,
        source_name=name,
        source_kind=kind,
        created_by=by if getattr(by, "pk", None) else None,
        stage=_("รอคิวนำเข้า"),
    )
    suffix = PurePath(name).suffix.lower()
    run.source_file.save(f"upload{suffix}", upload, save=False)
    run.save()
    try:
        import_manual.enqueue(run.pk)
    except Exception as exc:  # the queue is down: say so, keep the page usable
        logger.exception("could not queue import %s", run.pk)
        _finish_failed(run, _("ระบบคิวงานไม่พร้อม กรุณาลองใหม่อีกครั้ง (%(reason)s)") % {"reason": exc})
    run.refresh_from_db()
    return run


def progress_recorder(run_id: int):
    """The ``progress(percent, stage)`` callback of one run. Progress reaches the polling page
    through the cache (shared by the web and worker processes) and, while the importer is not
    inside a transaction of its own, the run row too: an update made inside the import's
    transaction would only show once it commits (and would wait for its lock)."""
    depth = len(connection.atomic_blocks)

    def record(percent: int, stage: str) -> None:
        percent = max(0, min(99, int(percent)))
        stage = str(stage)[:200]
        cache.set(PROGRESS_KEY.format(run_id), (percent, stage), 3600)
        if len(connection.atomic_blocks) <= depth:
            ImportRun.objects.filter(pk=run_id).update(progress=percent, stage=stage)

    return record


def run_progress(run) -> tuple[int, str]:
    """(percent, stage) of a run for its progress bar."""
    if run.status == ImportRun.Status.DONE:
        return 100, run.stage
    if run.status == ImportRun.Status.RUNNING:
        cached = cache.get(PROGRESS_KEY.format(run.pk))
        if cached and cached[0] >= run.progress:
            return cached
    return run.progress, run.stage


def _finish_failed(run, message: str) -> None:
    run.status = type(run).Status.FAILED
    run.error = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    _drop_source(run)


def _drop_source(run) -> None:
    if run.source_file:
        try:
            run.source_file.delete(save=False)
        except OSError:  # already gone
            logger.warning("could not delete the uploaded file of import %s", run.pk)
        type(run).objects.filter(pk=run.pk).update(source_file="")
    cache.delete(PROGRESS_KEY.format(run.pk))


def _local_copy(run) -> str:
    """The uploaded file as a local path (storage may be remote); the caller removes it."""
    suffix = PurePath(run.source_name).suffix.lower() or ".bin"
    handle, path = tempfile.mkstemp(prefix="import-", suffix=suffix)
    with os.fdopen(handle, "wb") as out, run.source_file.open("rb") as source:
        for chunk in source.chunks():
            out.write(chunk)
    return path


def import_execute(*, run_id: int):
    """Run one queued import (the background task): the draft edition, or a Thai failure."""
    run = ImportRun.objects.select_related("agency", "manual", "created_by").get(pk=run_id)
    if run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED):
        return run
    run.status = ImportRun.Status.RUNNING
    run.stage = _("อ่านไฟล์")
    run.progress = 1
    run.save(update_fields=["status", "stage", "progress"])
    started = time.perf_counter()
    path = None
    try:
        if not run.source_file:
            raise ImportRefused(_("ไม่พบไฟล์ที่อัปโหลด กรุณาอัปโหลดใหม่อีกครั้ง"))
        path = _local_copy(run)
        result = import_file(
            path,
            filename=run.source_name,
            agency=run.agency if run.manual_id is None else None,
            manual=run.manual,
            user=run.created_by,
            dry_run=False,
            progress=progress_recorder(run.pk),
        )
    except ImportRefused as exc:
        run.refresh_from_db()
        _finish_failed(run, str(exc))
        return run
    except PermissionDenied as exc:
        run.refresh_from_db()
        _finish_failed(run, str(exc) or _("คุณไม่มีสิทธิ์นำเข้าคู่มือนี้"))
        return run
    except Exception as exc:
        logger.exception("import %s (%s) failed", run.pk, run.source_name)
        run.refresh_from_db()
        _finish_failed(
            run,
            _("นำเข้าไม่สำเร็จเพราะระบบอ่านไฟล์นี้ไม่ได้ (%(reason)s) ไม่มีข้อมูลใดถูกบันทึก")
            % {"reason": exc.__class__.__name__},
        )
        return run
    finally:
        if path:
            os.unlink(path)
    run.refresh_from_db()
    edition = getattr(result, "edition", None)
    run.edition = edition
    if edition is not None:
        run.manual = edition.manual
        run.agency = edition.manual.agency
    run.report = _jsonable(getattr(result, "report", None) or {})
    run.status = ImportRun.Status.DONE
    run.progress = 100
    run.stage = _("นำเข้าเสร็จแล้ว")
    run.error = ""
    run.seconds = getattr(result, "seconds", None) or (time.perf_counter() - started)
    run.finished_at = timezone.now()
    run.save()
    _drop_source(run)
    return run


def _jsonable(value):
    """The report as plain JSON (the importer may hand back tuples or dataclasses)."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


# The background task lives beside the service it runs (``imports.tasks`` re-exports it), so
# neither module imports the other inside a function.
@task()
def import_manual(run_id: int) -> int:
    """Import the uploaded file of one queued run; returns the new edition's id (0 on failure)."""
    run = import_execute(run_id=run_id)
    return run.edition_id or 0
