"""Writes on processes, steps, flows and the rows of Tables 1–2. Views call these, never the ORM.

Every function checks ``manuals.edit_edition`` first, runs in one transaction, locks the rows it
changes and, for updates, compares the caller's version stamp with the stored one: a save based
on stale data raises :class:`manuals.services.StaleDataError` carrying the current row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils.translation import gettext as _

from core.changes import edition_changed
from manuals.models import Form, Lane, LegalReference
from manuals.permissions import require
from manuals.services import (
    StaleDataError,
    content_row_create,
    content_row_delete,
    lane_get_or_create,
    repack_positions,
    stamp,
)
from processes.models import Flow, LegalRequirement, Mission, Process, Step

EDIT = "manuals.edit_edition"
OFFSET = 100_000

STEP_FIELDS = (
    "shape",
    "label",
    "detail",
    "lane",
    "duration_text",
    "headcount",
    "quality_standard",
    "monitoring",
    "references",
)


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _check_version(row, expected_version: int) -> None:
    if row.version != expected_version:
        raise StaleDataError(row)


def _lock_process(process: Process) -> Process:
    """Structural changes of one process (insert, move, delete steps) run one at a time."""
    return Process.objects.select_for_update().select_related("edition__manual").get(pk=process.pk)


# --- steps -------------------------------------------------------------------------------


def _apply_step_data(step: Step, data: dict[str, Any], by) -> None:
    edition = step.process.edition
    for name in STEP_FIELDS:
        if name in data:
            setattr(step, name, data[name])
    new_lane = (data.get("new_lane") or "").strip()
    if new_lane:
        step.lane = lane_get_or_create(edition=edition, name=new_lane, by=by)
    if step.lane is not None and step.lane.edition_id != edition.pk:
        raise ValidationError({"lane": _("ผู้รับผิดชอบต้องเป็นของคู่มือฉบับนี้")})


def _set_step_m2m(step: Step, data: dict[str, Any]) -> None:
    edition_id = step.process.edition_id
    if "other_lanes" in data:
        lanes = list(data["other_lanes"] or [])
        if any(lane.edition_id != edition_id for lane in lanes):
            raise ValidationError({"other_lanes": _("ผู้รับผิดชอบร่วมต้องเป็นของคู่มือฉบับนี้")})
        step.other_lanes.set(lanes)
    if "forms" in data:
        forms = list(data["forms"] or [])
        if any(form.edition_id != edition_id for form in forms):
            raise ValidationError({"forms": _("แบบฟอร์มต้องเป็นของคู่มือฉบับนี้")})
        step.forms.set(forms)


@transaction.atomic
def step_update(*, step: Step, by, data: dict[str, Any], expected_version: int) -> Step:
    """Lets a unit editor change every column of one step; refuses stale saves."""
    require(by, EDIT, step)
    step = Step.objects.select_for_update().select_related("process__edition").get(pk=step.pk)
    _check_version(step, expected_version)
    lanes_before = _lanes_of(Step.objects.filter(pk=step.pk))
    _apply_step_data(step, data, by)
    step.full_clean()
    stamp(step, by).save()
    _set_step_m2m(step, data)
    # a lane typed on the fly and then left for another one goes too
    lanes_drop_unused_new(lane_ids=lanes_before, by=by)
    edition_changed(step.process.edition_id, process_id=step.process_id)
    return step


@transaction.atomic
def step_insert(
    *, process: Process, by, after: Step | None = None, data: dict[str, Any] | None = None
) -> Step:
    """Add a step right after ``after`` (or at the end); later steps move down one place."""
    require(by, EDIT, process)
    process = _lock_process(process)
    data = dict(data or {})
    steps = Step.objects.filter(process=process)
    if after is not None:
        if after.process_id != process.pk:
            raise ValidationError(_("ขั้นตอนที่อ้างถึงไม่อยู่ในกระบวนการนี้"))
        position = Step.objects.get(pk=after.pk).position + 1
        # Two statements through a high offset: unique (process, position) holds at every row.
        later = steps.filter(position__gte=position)
        later.update(position=F("position") + OFFSET)
        steps.filter(position__gte=OFFSET).update(position=F("position") - OFFSET + 1)
    else:
        position = (steps.aggregate(m=Max("position"))["m"] or 0) + 1
    step = Step(process=process, position=position)
    _apply_step_data(step, data, by)
    step.full_clean()
    stamp(step, by).save()
    _set_step_m2m(step, data)
    if after is not None:
        _splice_arrow(after=after, new=step, by=by)
    edition_changed(process.edition_id, process_id=process.pk)
    return step


def _splice_arrow(*, after: Step, new: Step, by) -> None:
    """Inserting between two steps joined by one explicit arrow: the arrow now passes through
    the new step (after → new → old next), so the chart keeps reaching every step."""
    old_next = Step.objects.filter(process_id=after.process_id, position=new.position + 1).first()
    arrows = list(Flow.objects.filter(source=after, kind=Flow.Kind.FLOW))
    if old_next is None or len(arrows) != 1 or arrows[0].target_id != old_next.pk:
        return
    arrow = arrows[0]
    arrow.target = new
    stamp(arrow, by).save()
    stamp(Flow(source=new, target=old_next, label="", position=1), by).save()


@transaction.atomic
def step_delete(*, step: Step, by) -> None:
    """Delete a step (its arrows go with it); the remaining steps are renumbered 1..n."""
    require(by, EDIT, step)
    process = _lock_process(step.process)
    lane_ids = _lanes_of(Step.objects.filter(pk=step.pk))
    stamp(Step.objects.get(pk=step.pk), by).delete()
    repack_positions(Step.objects.filter(process=process), by=by)
    lanes_drop_unused_new(lane_ids=lane_ids, by=by)
    edition_changed(process.edition_id, process_id=process.pk)


def _lanes_of(steps: QuerySet) -> set[int]:
    """The lanes the steps are drawn in (main and shared)."""
    ids = set(steps.exclude(lane=None).values_list("lane_id", flat=True))
    ids |= set(
        Step.other_lanes.through.objects.filter(step__in=steps).values_list("lane_id", flat=True)
    )
    return ids


def lanes_drop_unused_new(*, lane_ids: set[int], by) -> list[str]:
    """Removes the lanes among ``lane_ids`` that this draft created (no edition before has
    them) and that no step or lane group uses any more: a lane typed on the fly for a step goes
    with its last step, so the compare view does not list it as new. Lanes carried over from
    the previous edition stay. Returns the names removed."""
    removed = []
    for lane in Lane.objects.filter(pk__in=lane_ids).order_by("pk"):
        if Lane.objects.filter(lineage=lane.lineage).exclude(pk=lane.pk).exists():
            continue
        if (
            Step.objects.filter(lane=lane).exists()
            or Step.other_lanes.through.objects.filter(lane=lane).exists()
            or Lane.objects.filter(unit=lane).exists()
        ):
            continue
        removed.append(lane.name)
        content_row_delete(row=lane, by=by)
    return removed


@transaction.atomic
def step_move(*, step: Step, by, to_position: int) -> Step:
    """Move a step to ``to_position`` (1-based); the others close up around it."""
    require(by, EDIT, step)
    process = _lock_process(step.process)
    steps = list(Step.objects.filter(process=process).order_by("position"))
    ids = [s.pk for s in steps]
    if step.pk not in ids:
        raise ValidationError(_("ขั้นตอนที่อ้างถึงไม่อยู่ในกระบวนการนี้"))
    if not 1 <= to_position <= len(ids):
        raise ValidationError(
            _("ลำดับใหม่ต้องอยู่ระหว่าง %(low)s ถึง %(high)s") % {"low": 1, "high": len(ids)}
        )
    ids.remove(step.pk)
    ids.insert(to_position - 1, step.pk)
    repack_positions(Step.objects.filter(process=process), by=by, order=ids)
    return Step.objects.get(pk=step.pk)


# --- flows (decision branches, loops) -------------------------------------------------------


@transaction.atomic
def flow_add(
    *, source: Step, by, target: Step, label: str = "", kind: str = Flow.Kind.FLOW
) -> Flow:
    """Add an explicit arrow from a step, e.g. a decision branch "ไม่อนุมัติ" back to step 2."""
    require(by, EDIT, source)
    _lock_process(source.process)
    if target.process_id != source.process_id:
        raise ValidationError({"target": _("ขั้นตอนปลายทางต้องอยู่ในกระบวนการเดียวกัน")})
    if target.pk == source.pk:
        raise ValidationError({"target": _("ลูกศรชี้กลับมาที่ขั้นตอนเดิมไม่ได้")})
    if Flow.objects.filter(source=source, target=target, label=label).exists():
        raise ValidationError({"label": _("มีทางแยกนี้อยู่แล้ว")})
    position = (Flow.objects.filter(source=source).aggregate(m=Max("position"))["m"] or 0) + 1
    flow = Flow(source=source, target=target, label=label, kind=kind, position=position)
    flow.full_clean()
    stamp(flow, by).save()
    return flow


@transaction.atomic
def flow_delete(*, flow: Flow, by) -> None:
    require(by, EDIT, flow)
    _lock_process(flow.source.process)
    stamp(Flow.objects.get(pk=flow.pk), by).delete()


# --- processes (Table 1 tree) -----------------------------------------------------------------


def _siblings(process: Process):
    if process.parent_id is None:
        return Process.objects.filter(mission_id=process.mission_id, parent__isnull=True)
    return Process.objects.filter(parent_id=process.parent_id)


def _lock_edition_tree(edition) -> None:
    """Tree changes of one edition run one at a time (they renumber many rows)."""
    list(Mission.objects.select_for_update().filter(edition=edition).values_list("pk", flat=True))


@transaction.atomic
def process_create(
    *, mission: Mission, by, name: str, parent: Process | None = None, data: dict | None = None
) -> Process:
    """Add a process at the end of a mission, or a sub-process at the end of ``parent``."""
    require(by, EDIT, mission)
    _lock_edition_tree(mission.edition)
    if parent is not None and parent.mission_id != mission.pk:
        raise ValidationError(_("กระบวนการหลักต้องอยู่ในพันธกิจเดียวกัน"))
    process = Process(mission=mission, edition_id=mission.edition_id, parent=parent, name=name)
    for key, value in (data or {}).items():
        setattr(process, key, value)
    process.position = (_siblings(process).aggregate(m=Max("position"))["m"] or 0) + 1
    process.full_clean()
    stamp(process, by).save()
    edition_changed(process.edition_id, process_id=process.pk)
    return process


@transaction.atomic
def process_update(*, process: Process, by, data: dict[str, Any], expected_version: int) -> Process:
    """Rename a process or change its Table 1 scope and responsible unit."""
    require(by, EDIT, process)
    process = _lock(Process, process.pk)
    _check_version(process, expected_version)
    for name in ("name", "scope_text", "scope_start", "scope_end", "responsible_unit"):
        if name in data:
            setattr(process, name, data[name])
    process.full_clean()
    stamp(process, by).save()
    edition_changed(process.edition_id, process_id=process.pk)
    return process


@transaction.atomic
def process_move(*, process: Process, by, direction: str) -> Process:
    """Move a process up / down among its siblings, "in" under the previous sibling (it becomes
    a sub-process) or "out" next to its parent. Numbers (๑.๑ → ๑.๒) follow the positions."""
    require(by, EDIT, process)
    _lock_edition_tree(process.edition)
    process = Process.objects.get(pk=process.pk)
    siblings = list(_siblings(process).order_by("position"))
    ids = [p.pk for p in siblings]
    index = ids.index(process.pk)
    if direction in ("up", "down"):
        new_index = index - 1 if direction == "up" else index + 1
        if not 0 <= new_index < len(ids):
            return process
        ids.insert(new_index, ids.pop(index))
        repack_positions(_siblings(process), by=by, order=ids)
    elif direction == "in":
        if index == 0:
            raise ValidationError(_("ไม่มีกระบวนการก่อนหน้าให้ย้ายเข้าไปเป็นกระบวนการย่อย"))
        new_parent = siblings[index - 1]
        old_siblings = _siblings(process)
        position = (
            Process.objects.filter(parent=new_parent).aggregate(m=Max("position"))["m"] or 0
        ) + 1
        Process.objects.filter(pk=process.pk).update(position=OFFSET + process.pk)
        process = Process.objects.get(pk=process.pk)
        process.parent = new_parent
        process.position = position
        stamp(process, by).save()
        repack_positions(old_siblings.exclude(pk=process.pk), by=by)
    elif direction == "out":
        if process.parent_id is None:
            raise ValidationError(_("กระบวนการนี้อยู่ระดับบนสุดแล้ว"))
        parent = process.parent
        old_parent_id = parent.pk
        new_siblings = list(_siblings(parent).order_by("position").values_list("pk", flat=True))
        Process.objects.filter(pk=process.pk).update(position=OFFSET + process.pk)
        process = Process.objects.get(pk=process.pk)
        process.parent_id = parent.parent_id
        process.position = OFFSET * 2 + process.pk
        stamp(process, by).save()
        new_siblings.insert(new_siblings.index(parent.pk) + 1, process.pk)
        repack_positions(_siblings(process), by=by, order=new_siblings)
        repack_positions(Process.objects.filter(parent_id=old_parent_id), by=by)
    else:
        raise ValidationError(_("ทิศทางการย้ายไม่ถูกต้อง"))
    return Process.objects.get(pk=process.pk)


@transaction.atomic
def process_delete(*, process: Process, by) -> None:
    """Delete a process with its sub-processes and steps; its siblings are renumbered."""
    require(by, EDIT, process)
    _lock_edition_tree(process.edition)
    process = Process.objects.get(pk=process.pk)
    siblings = _siblings(process).exclude(pk=process.pk)
    tree = [process.pk]
    for _depth in range(8):  # sub-processes, level by level
        more = set(Process.objects.filter(parent_id__in=tree).values_list("pk", flat=True))
        if more <= set(tree):
            break
        tree = list(set(tree) | more)
    lane_ids = _lanes_of(Step.objects.filter(process_id__in=tree))
    stamp(process, by).delete()
    repack_positions(siblings, by=by)
    lanes_drop_unused_new(lane_ids=lane_ids, by=by)
    # Its rows and sub-processes are gone; listeners drop what they kept of them.
    edition_changed(process.edition_id, process_id=process.pk)


# --- lanes ------------------------------------------------------------------------------------


@transaction.atomic
def lane_merge(*, keep: Lane, remove: Lane, by) -> Lane:
    """Merge two actors into one: every step of ``remove`` moves to ``keep``, then it goes."""
    require(by, EDIT, keep)
    require(by, EDIT, remove)
    if keep.pk == remove.pk:
        raise ValidationError(_("เลือกผู้ปฏิบัติสองรายการที่ต่างกัน"))
    if keep.edition_id != remove.edition_id:
        raise ValidationError(_("ผู้ปฏิบัติทั้งสองต้องอยู่ในคู่มือฉบับเดียวกัน"))
    keep = _lock(Lane, keep.pk)
    remove = _lock(Lane, remove.pk)
    for step in Step.objects.filter(lane=remove):
        step.lane = keep
        stamp(step, by).save()
    for step in Step.objects.filter(other_lanes=remove).prefetch_related("other_lanes"):
        step.other_lanes.remove(remove)
        if step.lane_id != keep.pk:
            step.other_lanes.add(keep)
    stamp(remove, by).delete()
    repack_positions(Lane.objects.filter(edition_id=keep.edition_id), by=by)
    edition_changed(keep.edition_id)
    return Lane.objects.get(pk=keep.pk)


def forms_of(edition) -> list[Form]:
    return list(Form.objects.filter(edition=edition))


# --- legal citations ----------------------------------------------------------------------------


@transaction.atomic
def legal_requirement_add(*, process, by, reference: LegalReference, clause_note: str = ""):
    """Cite a law of the shared library in a process's Table 2."""
    if LegalRequirement.objects.filter(process=process, reference=reference).exists():
        raise ValidationError({"reference": _("กระบวนการนี้อ้างอิงกฎหมายนี้อยู่แล้ว")})
    return content_row_create(
        model=LegalRequirement,
        by=by,
        parent={"process": process},
        data={"reference": reference, "clause_note": clause_note},
    )


def legal_citations_freeze(*, edition_id: int) -> int:
    """Store each cited law's current citation on the edition's rows as it is published, so a
    later rename or merge in the shared library never changes how the published manual reads.

    Publication bookkeeping, like ``Edition.BOOKKEEPING_FIELDS``: it runs inside the publishing
    transaction, possibly after the edition is already approved (frozen), so it writes through a
    plain queryset on purpose.
    """
    rows = list(
        LegalRequirement.objects.filter(process__edition_id=edition_id, cited_as="").select_related(
            "reference"
        )
    )
    for row in rows:
        row.cited_as = row.reference.citation
    QuerySet(model=LegalRequirement).bulk_update(rows, ["cited_as"], batch_size=500)
    return len(rows)
