"""Writes of the chart settings: the manual's lane set (ช่องในแผนผังกระบวนการงาน)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import EditionFrozenError
from manuals.models import ChartLaneMode, Edition, Lane
from manuals.permissions import require
from manuals.services import repack_positions, stamp

EDIT = "manuals.edit_edition"


@dataclass(frozen=True)
class LaneSetRow:
    """One lane as the lane-set screen sends it back."""

    lane_id: int
    version: int
    order: int
    kind: str
    unit_id: int | None
    always_show: bool


class LaneSetStaleError(ValidationError):
    """Someone changed the lane set (a lane, the mode or the header) since the screen was
    opened: nothing is saved; ``lanes`` are the changed lanes as they are now."""

    def __init__(self, *, edition: Edition, lanes: list[Lane], settings_changed: bool):
        self.edition = edition
        self.lanes = lanes
        self.settings_changed = settings_changed
        super().__init__(
            _("มีผู้อื่นแก้ไขช่องในแผนผังไปก่อนแล้ว ระบบจึงไม่บันทึกทับ โปรดตรวจดูข้อมูลล่าสุดแล้วบันทึกอีกครั้ง"),
            code="stale",
        )


def _check_units(rows: dict[int, LaneSetRow], lanes: dict[int, Lane]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    members_of: dict[int, list[int]] = {}
    for row in rows.values():
        if row.unit_id is not None:
            members_of.setdefault(row.unit_id, []).append(row.lane_id)
    for row in rows.values():
        name = lanes[row.lane_id].name
        if row.kind not in Lane.Kind.values:
            errors.setdefault(f"kind_{row.lane_id}", []).append(_("ประเภทไม่ถูกต้อง"))
            continue
        if row.unit_id is None:
            continue
        unit = rows.get(row.unit_id)
        if unit is None:
            errors.setdefault(f"unit_{row.lane_id}", []).append(_("หน่วยงานที่เลือกไม่ได้อยู่ในคู่มือฉบับนี้"))
        elif row.unit_id == row.lane_id:
            errors.setdefault(f"unit_{row.lane_id}", []).append(_("ช่องหนึ่งสังกัดตัวเองไม่ได้"))
        elif row.kind != Lane.Kind.POSITION:
            errors.setdefault(f"unit_{row.lane_id}", []).append(
                _("เฉพาะตำแหน่งเท่านั้นที่สังกัดหน่วยงานได้ (%(name)s เป็น%(kind)s)")
                % {"name": name, "kind": Lane.Kind(row.kind).label}
            )
        elif unit.kind == Lane.Kind.POSITION:
            errors.setdefault(f"unit_{row.lane_id}", []).append(
                _("%(unit)s เป็นตำแหน่ง จึงเป็นหน่วยงานที่สังกัดไม่ได้") % {"unit": lanes[unit.lane_id].name}
            )
    for unit_id, members in members_of.items():
        unit = rows.get(unit_id)
        if unit is not None and unit.kind == Lane.Kind.POSITION and unit_id not in members:
            errors.setdefault(f"kind_{unit_id}", []).append(
                _("ยังมีตำแหน่งสังกัด %(name)s อยู่ จึงเปลี่ยนเป็นตำแหน่งไม่ได้") % {"name": lanes[unit_id].name}
            )
    return errors


@transaction.atomic
def lane_set_update(
    *,
    edition: Edition,
    by,
    mode: str,
    header: str,
    rows: list[LaneSetRow],
    seen_mode: str,
    seen_header: str,
) -> Edition:
    """Lets an editor of a draft set the chart lane set once for every chart of the manual:
    the order of the lanes, each lane's kind, the unit each position sits in, which lanes show
    in every chart, unit or position lanes, and the group header.

    All or nothing: a bad value raises ValidationError (Thai messages keyed by the screen's
    field names), a change by someone else since the screen was read raises
    ``LaneSetStaleError``; either way nothing is written.
    """
    require(by, EDIT, edition)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_frozen:
        raise EditionFrozenError()
    lanes = {lane.pk: lane for lane in Lane.objects.select_for_update().filter(edition=edition)}
    by_id = {row.lane_id: row for row in rows}
    changed = [
        lane for pk, lane in lanes.items() if pk not in by_id or by_id[pk].version != lane.version
    ]
    settings_changed = (edition.chart_lane_mode, edition.chart_lane_header) != (
        seen_mode,
        seen_header,
    )
    if changed or settings_changed or set(by_id) - set(lanes):
        raise LaneSetStaleError(edition=edition, lanes=changed, settings_changed=settings_changed)
    if mode not in ChartLaneMode.values:
        raise ValidationError({"mode": [_("ตัวเลือกไม่ถูกต้อง")]})
    errors = _check_units(by_id, lanes)
    if errors:
        raise ValidationError(errors)
    for pk, lane in lanes.items():
        row = by_id[pk]
        values = {"kind": row.kind, "unit_id": row.unit_id, "always_show": row.always_show}
        if any(getattr(lane, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(lane, name, value)
            lane.full_clean(exclude=["unit"])  # the unit was checked above, with the new kinds
            stamp(lane, by).save()
    order = [
        row.lane_id
        for row in sorted(rows, key=lambda r: (r.order, lanes[r.lane_id].position, r.lane_id))
    ]
    repack_positions(Lane.objects.filter(edition=edition), by=by, order=order)
    header = " ".join((header or "").split())
    if (edition.chart_lane_mode, edition.chart_lane_header) != (mode, header):
        edition.chart_lane_mode = mode
        edition.chart_lane_header = header
        edition.full_clean()
        stamp(edition, by).save()
    return edition
