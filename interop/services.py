"""Writes of the interop app: a whole-manual JSON file becomes a new manual or a manual's next
draft; a BPMN file replaces a draft process's steps; the Word file of an edition is made in the
background (``docx_request`` queues ``export_docx``, ``docx_run`` makes it), like the PDF."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Mapping

import jsonschema
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import bulk_create_with_history

from interop.bpmn import parse_bpmn
from interop.docx_export import DOCX_VERSION, manual_docx
from interop.errors import ImportRejected, check_size
from interop.manual_json import (
    FORMAT_NAME,
    FORMAT_VERSION,
    LEGAL_FIELDS,
    content_models,
    decode_value,
    edition_fields,
    m2m_fields,
    relation_kind,
    row_fields,
    self_fk,
    stored_schema,
    table_key,
)
from interop.models import DocxExport
from manuals.models import Agency, Edition, Lane, LegalReference, Manual
from manuals.permissions import is_admin, require
from printing.services import edition_content_hash
from processes.models import Flow, Step


def _parse(data) -> dict:
    if isinstance(data, Mapping):
        return dict(data)
    if isinstance(data, str):
        data = data.encode("utf-8")
    check_size(len(data))
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportRejected(_("ไฟล์ไม่ได้เข้ารหัสเป็น UTF-8"), code="encoding") from exc
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            _("ไฟล์ไม่ใช่ JSON ที่ถูกต้อง"),
            detail=_("บรรทัด %(line)s") % {"line": exc.lineno},
            code="not_json",
        ) from exc
    except RecursionError as exc:
        raise ImportRejected(_("ไฟล์ซ้อนกันลึกเกินไป"), code="too_deep") from exc
    if not isinstance(parsed, dict):
        raise ImportRejected(_("ไฟล์นี้ไม่ใช่ไฟล์คู่มือที่ส่งออกจากระบบนี้"), code="wrong_format")
    return parsed


def _check_schema(doc: dict) -> None:
    if doc.get("format") != FORMAT_NAME:
        raise ImportRejected(_("ไฟล์นี้ไม่ใช่ไฟล์คู่มือที่ส่งออกจากระบบนี้"), code="wrong_format")
    version = doc.get("version")
    if not isinstance(version, int) or version != FORMAT_VERSION:
        raise ImportRejected(
            _("ระบบนี้อ่านไฟล์คู่มือรุ่นที่ %(ours)s ได้ แต่ไฟล์นี้เป็นรุ่น %(theirs)s")
            % {"ours": FORMAT_VERSION, "theirs": version},
            code="wrong_version",
        )
    validator = jsonschema.Draft202012Validator(stored_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "/"
        raise ImportRejected(
            _("ข้อมูลในไฟล์ไม่ตรงตามรูปแบบคู่มือ"),
            detail=f"{where}: {error.message[:200]}",
            code="schema",
        )


def _check_references(doc: dict) -> None:
    """Every lineage is unique in its table and every reference points at a row of the file."""
    known: dict[str, set[str]] = {}
    for model in content_models():
        key = table_key(model)
        seen: set[str] = set()
        for index, row in enumerate(doc["tables"][key]):
            lineage = str(uuid.UUID(row["lineage"]))
            if lineage in seen:
                raise ImportRejected(
                    _("รหัสสายประวัติซ้ำกันในไฟล์"), detail=f"{key}[{index}]", code="duplicate"
                )
            seen.add(lineage)
        known[key] = seen
    laws = {law["key"] for law in doc["legal_references"]}
    for model in content_models():
        key = table_key(model)
        for index, row in enumerate(doc["tables"][key]):
            for field in row_fields(model):
                if not field.is_relation or row.get(field.name) is None:
                    continue
                kind, value = relation_kind(field), row[field.name]
                if kind == "row":
                    ok = str(uuid.UUID(value)) in known[table_key(field.related_model)]
                elif kind == "legal":
                    ok = value in laws
                elif kind == "local":
                    ok = field.related_model._default_manager.filter(pk=value).exists()
                else:
                    ok = True
                if not ok:
                    raise ImportRejected(
                        _("ไฟล์อ้างถึงข้อมูลที่ไม่มีอยู่ในไฟล์"),
                        detail=f"{key}[{index}].{field.name} = {value}",
                        code="missing_reference",
                    )
            for field in m2m_fields(model):
                target = known[table_key(field.related_model)]
                for value in row[field.name]:
                    if str(uuid.UUID(value)) not in target:
                        raise ImportRejected(
                            _("ไฟล์อ้างถึงข้อมูลที่ไม่มีอยู่ในไฟล์"),
                            detail=f"{key}[{index}].{field.name} = {value}",
                            code="missing_reference",
                        )


def _tree_order(model, rows: list[dict]) -> list[list[dict]]:
    """Rows of a tree table in levels, parents first; a cycle is refused."""
    tree = self_fk(model)
    if tree is None:
        return [rows]
    by_lineage = {str(uuid.UUID(row["lineage"])): row for row in rows}
    levels: dict[int, list[dict]] = {}
    for row in rows:
        depth, node, seen = 0, row, set()
        while node.get(tree.name) is not None:
            parent = str(uuid.UUID(node[tree.name]))
            if parent in seen or depth > len(rows):
                raise ImportRejected(
                    _("ข้อมูลในไฟล์อ้างถึงกันเป็นวง"), detail=table_key(model), code="cycle"
                )
            seen.add(parent)
            node = by_lineage[parent]
            depth += 1
        levels.setdefault(depth, []).append(row)
    return [levels[depth] for depth in sorted(levels)]


def _agency_for(data: dict) -> Agency:
    parent = None
    for node in [*data["parents"], data]:
        agency = Agency.objects.filter(parent=parent, name=node["name"]).first()
        if agency is None:
            agency = Agency(
                parent=parent,
                name=node["name"],
                short_name=node.get("short_name", ""),
                kind=node["kind"],
            )
            agency.full_clean()
            agency.save()
        parent = agency
    return parent


def _legal_map(doc: dict) -> dict[str, int]:
    """File key -> id of the same law in this server's shared library (added when missing)."""
    found: dict[str, int] = {}
    for law in doc["legal_references"]:
        values = {name: law[name] for name in LEGAL_FIELDS}
        existing = LegalReference.objects.filter(
            title=values["title"], year_be=values["year_be"]
        ).first()
        if existing is None:
            existing = LegalReference(**values)
            existing.full_clean()
            existing.save()
        found[law["key"]] = existing.pk
    return found


def _bulk_create(model, objs: list, by) -> list:
    try:
        return bulk_create_with_history(
            objs, model, default_user=by if getattr(by, "is_authenticated", False) else None
        )
    except NotHistoricalModelError:
        return model._default_manager.bulk_create(objs)


def _insert_rows(doc: dict, edition: Edition, by) -> None:
    legal = _legal_map(doc)
    new_pk: dict = {}  # (model, lineage) -> pk
    for model in content_models():
        key = table_key(model)
        relation_names = [f.name for f in row_fields(model) if f.is_relation]
        for level in _tree_order(model, doc["tables"][key]):
            objs = []
            for row in level:
                values: dict = {}
                for field in row_fields(model):
                    if not field.is_relation:
                        values[field.attname] = decode_value(field, row[field.name])
                        continue
                    kind, value = relation_kind(field), row.get(field.name)
                    if kind == "edition":
                        values[field.attname] = edition.pk
                    elif value is None:
                        values[field.attname] = None
                    elif kind == "row":
                        values[field.attname] = new_pk[(field.related_model, str(uuid.UUID(value)))]
                    elif kind == "legal":
                        values[field.attname] = legal[value]
                    else:
                        values[field.attname] = value
                obj = model(**values)
                try:
                    # Constraints between rows are the database's to check, all at once below.
                    obj.full_clean(
                        exclude=relation_names, validate_unique=False, validate_constraints=False
                    )
                except ValidationError as exc:
                    raise ImportRejected(
                        _("ข้อมูลในไฟล์ไม่ถูกต้อง"),
                        detail=f"{key} {row['lineage']}: {'; '.join(exc.messages)[:200]}",
                        code="invalid_row",
                    ) from exc
                objs.append(obj)
            for obj in _bulk_create(model, objs, by):
                new_pk[(model, str(obj.lineage))] = obj.pk
        for field in m2m_fields(model):
            through = field.remote_field.through
            source_col = field.m2m_field_name() + "_id"
            target_col = field.m2m_reverse_field_name() + "_id"
            through.objects.bulk_create(
                [
                    through(
                        **{
                            source_col: new_pk[(model, str(uuid.UUID(row["lineage"])))],
                            target_col: new_pk[(field.related_model, str(uuid.UUID(target)))],
                        }
                    )
                    for row in doc["tables"][key]
                    for target in row[field.name]
                ]
            )


def _new_edition(doc: dict, manual: Manual, *, as_draft: bool) -> Edition:
    values = {f.attname: decode_value(f, doc["edition"][f.name]) for f in edition_fields()}
    edition = Edition(manual=manual, **values)
    if as_draft:
        edition.status = Edition.Status.DRAFT
        edition.published_on = None
        edition.approval_letter_number = ""
        edition.approval_letter_date = None
        edition.based_on = manual.editions.published().order_by("-published_on", "-pk").first()
    edition.full_clean()
    edition.save()
    return edition


def edition_import_json(
    *,
    data: bytes | str | Mapping,
    manual: Manual | None = None,
    slug: str | None = None,
    by=None,
) -> Edition:
    """Bring a whole-manual JSON file in: as a new manual (its slug from the file or ``slug``),
    or, with ``manual``, as that manual's next draft. Every row keeps its lineage id.

    Anything wrong with the file raises ``ImportRejected`` (a Thai message) and writes nothing.
    ``by`` is checked when given: a new manual needs an admin, a next draft an editor of the
    manual; commands pass no user.
    """
    doc = _parse(data)
    _check_schema(doc)
    try:
        _check_references(doc)
    except ValueError as exc:  # a lineage that has the shape of a UUID but is not one
        raise ImportRejected(_("รหัสสายประวัติในไฟล์ไม่ถูกต้อง"), code="bad_lineage") from exc
    if by is not None:
        allowed = is_admin(by) if manual is None else by.has_perm("manuals.start_revision", manual)
        if not allowed:
            raise PermissionDenied(_("คุณไม่มีสิทธิ์นำเข้าคู่มือนี้"))
    try:
        with transaction.atomic():
            if manual is None:
                slug = slug or doc["manual"]["slug"]
                if Manual.objects.filter(slug=slug).exists():
                    raise ImportRejected(
                        _("มีคู่มือรหัส %(slug)s อยู่แล้ว: นำเข้าเป็นฉบับร่างถัดไปของคู่มือนั้น หรือตั้งรหัสคู่มือใหม่")
                        % {"slug": slug},
                        code="slug_taken",
                    )
                manual = Manual(
                    agency=_agency_for(doc["manual"]["agency"]),
                    slug=slug,
                    title=doc["manual"]["title"],
                )
                manual.full_clean()
                manual.save()
                edition = _new_edition(doc, manual, as_draft=False)
            else:
                manual = Manual.objects.select_for_update().get(pk=manual.pk)
                if manual.editions.open().exists():
                    raise ImportRejected(
                        _("คู่มือนี้มีฉบับร่างที่กำลังปรับปรุงอยู่แล้ว จึงนำเข้าเป็นฉบับร่างใหม่ไม่ได้"),
                        code="open_exists",
                    )
                edition = _new_edition(doc, manual, as_draft=True)
            _insert_rows(doc, edition, by)
    except ImportRejected:
        raise
    except ValidationError as exc:
        raise ImportRejected(
            _("ข้อมูลในไฟล์ไม่ถูกต้อง"), detail="; ".join(exc.messages)[:200], code="invalid"
        ) from exc
    except IntegrityError as exc:
        raise ImportRejected(
            _("ข้อมูลในไฟล์ขัดกับข้อกำหนดของระบบ เช่น ลำดับหรือชื่อซ้ำกัน"),
            detail=str(exc)[:200],
            code="integrity",
        ) from exc
    return edition


# ----------------------------------------------------------------------------- BPMN


def _actor_lane(edition: Edition, actor: tuple[str, str], cache: dict):
    """The lane our BPMN extension names: the edition's lane of that lineage (the same actor in
    any edition of the manual), else the lane of that name (added when new)."""
    name, lineage = actor
    if lineage:
        key = ("lineage", lineage)
        if key not in cache:
            cache[key] = Lane.objects.filter(edition=edition, lineage=uuid.UUID(lineage)).first()
        if cache[key] is not None:
            return cache[key]
    return _lane_for(edition, name, cache)


def _lane_for(edition: Edition, name: str, cache: dict):
    if not name:
        return None
    if name not in cache:
        lane = Lane.objects.filter(edition=edition, name=name).first()
        if lane is None:
            last = Lane.objects.filter(edition=edition).order_by("-position").first()
            lane = Lane(
                edition=edition, name=name[:150], position=(last.position + 1) if last else 1
            )
            lane.full_clean()
            lane.save()
        cache[name] = lane
    return cache[name]


# Step fields that BPMN does not carry: kept when our own export comes back.
KEPT_STEP_FIELDS = (
    "lineage",
    "duration_text",
    "headcount",
    "headcount_text",
    "same_row",
    "quality_standard",
    "monitoring",
    "references",
)


def _lineage_prefix(element_id: str) -> str:
    parts = element_id.split("_")
    return parts[2] if len(parts) == 3 and parts[0] == "Step" else ""


def process_import_bpmn(*, process, data: bytes, by=None):
    """Replace the steps and flows of a draft process with those of a BPMN file: lanes by name
    (new ones are added to the edition), tasks, events, gateways, documents, flows. A flow to
    the next step without a label is left implicit, as the editor does.

    A bad file raises ``ImportRejected`` (a Thai message) and changes nothing.
    """
    parsed = parse_bpmn(data)
    edition = process.edition
    if not edition.is_editable:
        raise ImportRejected(_("นำเข้าได้เฉพาะในฉบับร่างหรือฉบับที่ถูกขอให้แก้ไข"), code="not_editable")
    if by is not None and not by.has_perm("manuals.edit_edition", edition):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์นำเข้าคู่มือนี้"))
    try:
        with transaction.atomic():
            # A step of this process that went out in our own BPMN (Step_<n>_<lineage>) and
            # comes back keeps what BPMN does not carry (duration, standards, forms …) and its
            # lineage, so review comments and edition comparisons still find it.
            kept = {
                step.lineage.hex[:12]: (step, list(step.forms.all()), list(step.other_lanes.all()))
                for step in Step.objects.filter(process=process).prefetch_related(
                    "forms", "other_lanes"
                )
            }
            Step.objects.filter(process=process).delete()
            lanes: dict = {}
            for name in parsed.lanes:
                _lane_for(edition, name, lanes)
            created = {}
            for position, node in enumerate(parsed.steps, start=1):
                # The step's own actor (our extension) or else the BPMN lane it is drawn in.
                lane = (
                    _actor_lane(edition, node.actor, lanes)
                    if node.actor
                    else _lane_for(edition, node.lane, lanes)
                )
                step = Step(
                    process=process,
                    position=position,
                    shape=node.shape,
                    label=node.label[:400],
                    detail=node.detail,
                    lane=lane,
                )
                old = kept.pop(_lineage_prefix(node.element_id), None)
                if old is not None:
                    for name in KEPT_STEP_FIELDS:
                        setattr(step, name, getattr(old[0], name))
                step.full_clean()
                step.save()
                if old is not None:
                    step.forms.set(old[1])
                    step.other_lanes.set(old[2])
                elif node.others:
                    others = {_actor_lane(edition, pair, lanes) for pair in node.others}
                    step.other_lanes.set(others - {lane, None})
                created[node.element_id] = step
            order = [created[node.element_id] for node in parsed.steps]
            next_of = {a.pk: b.pk for a, b in zip(order, order[1:], strict=False)}
            outgoing: dict = {}
            for flow in parsed.flows:
                source, target = created[flow.source], created[flow.target]
                if source.pk != target.pk:
                    outgoing.setdefault(source.pk, []).append((target, flow))
            seen = set()
            for source_pk, items in outgoing.items():
                solid = [(t, f) for t, f in items if f.kind == "flow"]
                implicit = (
                    len(solid) == 1
                    and solid[0][0].pk == next_of.get(source_pk)
                    and not solid[0][1].label
                )
                for position, (target, flow) in enumerate(items, start=1):
                    if implicit and flow.kind == "flow":
                        continue
                    key = (source_pk, target.pk, flow.label[:80])
                    if key in seen:
                        continue
                    seen.add(key)
                    row = Flow(
                        source_id=source_pk,
                        target=target,
                        label=flow.label[:80],
                        kind=flow.kind,
                        position=position,
                    )
                    row.full_clean()
                    row.save()
    except ValidationError as exc:
        if isinstance(exc, ImportRejected):
            raise
        raise ImportRejected(
            _("ข้อมูลในไฟล์ไม่ถูกต้อง"), detail="; ".join(exc.messages)[:200], code="invalid"
        ) from exc
    return process


# ------------------------------------------------------------------ Word, in the background

logger = logging.getLogger(__name__)
# A Word export queued or running for longer than this is taken as lost (a worker died).
DOCX_STALE_AFTER = datetime.timedelta(minutes=30)


def docx_content_hash(edition: Edition) -> str:
    """Everything the Word file shows (the hash the PDF is cached by: every row, the cited laws,
    the agencies, the chart code) and the version of the Word code."""
    base = edition_content_hash(edition)
    return hashlib.sha256(f"docx|{DOCX_VERSION}|{base}".encode()).hexdigest()


def docx_reusable(edition: Edition, content_hash: str) -> DocxExport | None:
    """A done export of exactly this content whose file is still there, or one queued or
    running for it that is not stale."""
    done = DocxExport.objects.filter(
        edition=edition, status=DocxExport.Status.DONE, content_hash=content_hash
    )
    for export in done.order_by("-finished_at", "-pk"):
        if export.file and export.file.storage.exists(export.file.name):
            return export
        _docx_fail(export, _("ไม่พบไฟล์ Word ที่เคยสร้างไว้"))
    pending = DocxExport.objects.filter(
        edition=edition,
        content_hash=content_hash,
        status__in=[DocxExport.Status.QUEUED, DocxExport.Status.RUNNING],
    ).first()
    if pending is not None and pending.created_at < timezone.now() - DOCX_STALE_AFTER:
        _docx_fail(pending, _("การสร้างไฟล์ Word ใช้เวลานานผิดปกติ จึงยกเลิก กรุณาลองใหม่อีกครั้ง"))
        return None
    return pending


def docx_request(*, edition: Edition, by) -> DocxExport:
    """Lets anyone who can read the edition ask for its Word file: a file of the same content
    is handed out again, one queued or running is joined, else one is queued."""
    require(by, "manuals.view_edition", edition)
    content_hash = docx_content_hash(edition)
    existing = docx_reusable(edition, content_hash)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            export = DocxExport.objects.create(
                edition=edition,
                content_hash=content_hash,
                requested_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:
        existing = docx_reusable(edition, content_hash)  # a concurrent request came first
        if existing is None:
            raise
        return existing
    try:
        export_docx.enqueue(export.pk)
    except Exception as exc:  # the queue is down: say so, keep the page usable
        logger.exception("could not queue Word export %s", export.pk)
        _docx_fail(export, _("สร้างไฟล์ Word ไม่สำเร็จ: %(reason)s") % {"reason": _reason(exc)})
    export.refresh_from_db()
    return export


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "message", "")) or exc.__class__.__name__


def _docx_fail(export: DocxExport, message: str) -> None:
    export.status = DocxExport.Status.FAILED
    export.error = message
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])


def _docx_progress(export_id: int, stage: str, done: int, total: int | None) -> None:
    fields = {"stage": stage}
    if stage == DocxExport.Stage.CHARTS:
        fields.update(charts_done=done, charts_total=total)
    DocxExport.objects.filter(pk=export_id).update(**fields)


def docx_run(*, export_id: int) -> DocxExport:
    """Make the Word file of a queued export, reporting the stage and charts as it goes."""
    export = DocxExport.objects.select_related("edition").get(pk=export_id)
    if export.status == DocxExport.Status.DONE:
        return export
    export.status = DocxExport.Status.RUNNING
    export.started_at = timezone.now()
    export.stage = DocxExport.Stage.LOADING
    export.save(update_fields=["status", "started_at", "stage"])
    started = time.perf_counter()
    try:
        data = manual_docx(
            edition_id=export.edition_id,
            progress=lambda stage, done, total: _docx_progress(export.pk, stage, done, total),
        )
        export.refresh_from_db()
        name = f"edition-{export.edition_id}-{export.content_hash[:16]}.docx"
        export.file.save(name, ContentFile(data), save=False)
        export.file_size = len(data)
        export.status = DocxExport.Status.DONE
        export.stage = DocxExport.Stage.FINISHED
        export.seconds = time.perf_counter() - started
        export.finished_at = timezone.now()
        export.error = ""
        export.save()
    except Exception as exc:
        logger.exception("Word export %s of edition %s failed", export.pk, export.edition_id)
        export.refresh_from_db()
        _docx_fail(export, _("สร้างไฟล์ Word ไม่สำเร็จ: %(reason)s") % {"reason": _reason(exc)})
        return export
    _docx_prune_old(export)
    return export


def _docx_prune_old(export: DocxExport) -> None:
    """Drop an open edition's older Word files (a published edition keeps its own)."""
    if export.edition.is_frozen:
        return
    old = DocxExport.objects.filter(edition=export.edition, status=DocxExport.Status.DONE).exclude(
        pk=export.pk
    )
    for row in old:
        if row.file:
            row.file.delete(save=False)
        row.delete()


# The background task lives beside the service it runs (``interop.tasks`` re-exports it).
@task()
def export_docx(export_id: int) -> int:
    """Make the Word file of one queued export; returns its size in bytes (0 when it failed)."""
    return docx_run(export_id=export_id).file_size or 0
