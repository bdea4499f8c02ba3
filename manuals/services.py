"""Writes on manuals and editions. Views and commands call these, never the ORM directly."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.changes import edition_changed, edition_published
from core.models import EditionFrozenError
from core.thai import thai_digits
from manuals.content import edition_tables
from manuals.models import (
    Edition,
    Lane,
    LegalReference,
    Manual,
)


def _copy_rows(model, rows, *, edition, fk_map, id_maps) -> None:
    """Bulk-insert copies of rows, remapping FKs; record old pk → new pk in id_maps[model]."""
    copies = []
    for row in rows:
        values = {
            f.attname: getattr(row, f.attname)
            for f in model._meta.concrete_fields
            if not f.primary_key
        }
        if "edition_id" in values:
            values["edition_id"] = edition.pk
        for fk_name, target in fk_map.items():
            old = values[f"{fk_name}_id"]
            values[f"{fk_name}_id"] = None if old is None else id_maps[target][old]
        values["version"] = 1
        # Fields a revision starts afresh (e.g. citations frozen at the source's publication).
        values.update(getattr(model, "revision_resets", {}))
        copies.append(model(**values))
    created = model.objects.bulk_create(copies)
    id_maps.setdefault(model, {}).update(
        {old.pk: new.pk for old, new in zip(rows, created, strict=True)}
    )


@transaction.atomic
def edition_deep_copy(*, source: Edition, into: Edition) -> Edition:
    """Copy every row of ``source`` into the empty edition ``into``, keeping lineage ids.

    The tables come from the app registry (``manuals.content``), so content added by any app is
    copied too; foreign keys and many-to-many links between content rows point to the copies.
    """
    id_maps: dict = {}
    tables = edition_tables()
    for table in tables:
        model, fk_map = table.model, table.fk_map
        rows = list(model.objects.filter(**{table.path: source}).order_by("pk"))
        self_fk = next((name for name, target in fk_map.items() if target is model), None)
        if self_fk:
            # Parents before children so a child's parent is already mapped.
            for depth_rows in _by_depth(rows, self_fk):
                _copy_rows(model, depth_rows, edition=into, fk_map=fk_map, id_maps=id_maps)
            continue
        _copy_rows(model, rows, edition=into, fk_map=fk_map, id_maps=id_maps)

    for table in tables:
        row_map = id_maps.get(table.model, {})
        for name in table.m2m if row_map else ():
            m2m = table.model._meta.get_field(name)
            through = m2m.remote_field.through
            source_col = m2m.m2m_column_name()
            target_col = m2m.m2m_reverse_name()
            target_map = id_maps.get(m2m.related_model, {})
            links = through.objects.filter(**{f"{source_col}__in": row_map.keys()})
            through.objects.bulk_create(
                [
                    through(
                        **{
                            source_col: row_map[getattr(link, source_col)],
                            target_col: target_map[getattr(link, target_col)],
                        }
                    )
                    for link in links
                ]
            )
    edition_changed(into.pk)
    return into


def _ancestry(row, by_pk, self_fk: str) -> list[int]:
    chain, node = [], row
    while getattr(node, f"{self_fk}_id") is not None:
        chain.append(getattr(node, f"{self_fk}_id"))
        node = by_pk[chain[-1]]
    return chain


def _by_depth(rows, self_fk: str):
    by_pk = {r.pk: r for r in rows}
    depths: dict[int, list] = {}
    for row in rows:
        depths.setdefault(len(_ancestry(row, by_pk, self_fk)), []).append(row)
    return [depths[d] for d in sorted(depths)]


@transaction.atomic
def edition_start_revision(*, manual: Manual, year_be: int | None = None, by=None) -> Edition:
    """Start the next revision: a new draft that deep-copies the latest published edition.

    Refused when the manual already has an open draft (one per manual).
    """
    manual = Manual.objects.select_for_update().get(pk=manual.pk)
    if manual.editions.open().exists():
        raise ValidationError(_("คู่มือนี้มีฉบับร่างที่กำลังปรับปรุงอยู่แล้ว"), code="open_exists")
    source = manual.editions.published().order_by("-published_on", "-pk").first()
    if year_be is None:
        year_be = timezone.localdate().year + 543
    draft = Edition(
        manual=manual,
        year_be=year_be,
        label=thai_digits(f"ฉบับปรับปรุง พ.ศ. {year_be}"),
        status=Edition.Status.DRAFT,
        based_on=source,
    )
    if source is not None:
        for field in (
            "preface",
            "executive_summary",
            "background",
            "objectives",
            "structure_duties",
            "chart_lane_mode",
            "chart_lane_header",
        ):
            setattr(draft, field, getattr(source, field))
    draft.full_clean()
    draft.save()
    if source is not None:
        edition_deep_copy(source=source, into=draft)
    return draft


TEXT_SECTIONS = ("preface", "executive_summary", "background", "objectives", "structure_duties")


@transaction.atomic
def edition_update_text(
    *, edition: Edition, expected_version: int | None = None, by=None, **fields
) -> Edition:
    """Change the edition's text sections (คำนำ, บทสรุป …) of a draft."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_frozen:
        raise EditionFrozenError()
    if expected_version is not None and edition.version != expected_version:
        raise StaleDataError(edition)
    for name, value in fields.items():
        if name not in TEXT_SECTIONS:
            raise ValidationError(_("ไม่รู้จักหัวข้อ %(name)s") % {"name": name})
        setattr(edition, name, value)
    edition.full_clean()
    stamp(edition, by).save()
    edition_changed(edition.pk)
    return edition


@transaction.atomic
def edition_publish(*, edition: Edition, on: datetime.date | None = None) -> Edition:
    """Publish an edition: it freezes, and the previously published edition is superseded."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status == Edition.Status.PUBLISHED:
        raise ValidationError(_("ฉบับนี้เผยแพร่แล้ว"), code="already_published")
    if edition.status == Edition.Status.SUPERSEDED:
        raise ValidationError(_("ฉบับนี้ถูกแทนที่แล้ว เผยแพร่อีกไม่ได้"), code="superseded")
    for previous in edition.manual.editions.published().exclude(pk=edition.pk):
        previous.status = Edition.Status.SUPERSEDED
        previous.save()
    edition_published(edition.pk)
    edition.status = Edition.Status.PUBLISHED
    edition.published_on = on or timezone.localdate()
    edition.save()
    return edition


class StaleDataError(ValidationError):
    """A save based on data someone else has changed since it was read."""

    def __init__(self, current: models.Model):
        self.current = current
        super().__init__(
            _("มีผู้อื่นแก้ไขข้อมูลนี้ไปก่อนแล้ว ระบบจึงไม่บันทึกทับ โปรดตรวจดูข้อมูลล่าสุดแล้วแก้ไขอีกครั้ง"),
            code="stale",
        )


# --- editing rows of an edition (added for the in-browser editor) ---------------------------

POSITION_OFFSET = 100_000
EDIT_PERM = "manuals.edit_edition"


def stamp(obj, by):
    """Record ``by`` as the author in the row's history (outside requests too)."""
    if getattr(by, "is_authenticated", False):
        obj._history_user = by
    return obj


def _require_edit(by, obj) -> None:
    from manuals.permissions import require

    require(by, EDIT_PERM, obj)


def sibling_scope(row: models.Model) -> dict:
    """The fields that group a row with its siblings, from the model's ordering (minus position)."""
    return {
        name: getattr(row, f"{name}_id" if hasattr(row, f"{name}_id") else name)
        for name in row._meta.ordering
        if name != "position"
    }


def _siblings_of(row: models.Model):
    scope = {
        (f"{k}_id" if hasattr(row, f"{k}_id") else k): v for k, v in sibling_scope(row).items()
    }
    return type(row).objects.filter(**scope)


def repack_positions(queryset, *, by=None, order: list[int] | None = None) -> None:
    """Renumber rows 1..n (in ``order`` of pks, or their current order) and record the moves.

    Rows that change are first lifted by a large offset, so a unique (parent, position)
    constraint holds after every single-row write on SQLite and PostgreSQL alike.
    """
    from simple_history.utils import bulk_update_with_history

    model = queryset.model
    rows = list(queryset.order_by("position", "pk"))
    by_pk = {row.pk: row for row in rows}
    ids = list(order) if order is not None else [row.pk for row in rows]
    if sorted(ids) != sorted(by_pk):
        raise ValidationError(_("ลำดับที่ส่งมาไม่ตรงกับรายการปัจจุบัน"))
    changed = []
    for index, pk in enumerate(ids, start=1):
        row = by_pk[pk]
        if row.position != index:
            row.position = index
            changed.append(row)
    if not changed:
        return
    model.objects.filter(pk__in=[row.pk for row in changed]).update(
        position=models.F("position") + POSITION_OFFSET
    )
    user = by if getattr(by, "is_authenticated", False) else None
    if hasattr(model, "history"):
        bulk_update_with_history(changed, model, ["position"], default_user=user)
    else:
        model.objects.bulk_update(changed, ["position"])


def _notify(row: models.Model) -> None:
    """Tell listeners (the search index) which part of the edition changed."""
    edition_id = row.get_edition().pk
    # Rows of a process (Table 2) re-index that process; edition-wide rows (lanes and forms are
    # named in every step, missions in Table 1) re-index the edition.
    edition_changed(edition_id, process_id=getattr(row, "process_id", None))


def _next_position(row: models.Model) -> int:
    top = _siblings_of(row).aggregate(m=models.Max("position"))["m"]
    return (top or 0) + 1


@transaction.atomic
def content_row_create(*, model, by, parent: dict, data: dict) -> models.Model:
    """Add a row (a definition, a stakeholder, a lane …) at the end of its list."""
    row = model(**parent)
    _require_edit(by, row)
    for name, value in data.items():
        setattr(row, name, value)
    if hasattr(row, "position"):
        row.position = _next_position(row)
    row.full_clean()
    stamp(row, by).save()
    _notify(row)
    return row


@transaction.atomic
def content_row_update(*, row: models.Model, by, data: dict, expected_version: int):
    """Change one row; refused (StaleDataError) when someone saved it since it was read."""
    _require_edit(by, row)
    model = type(row)
    row = model.objects.select_for_update().get(pk=row.pk)
    if row.version != expected_version:
        raise StaleDataError(row)
    before = sibling_scope(row)
    for name, value in data.items():
        setattr(row, name, value)
    if hasattr(row, "position") and sibling_scope(row) != before:
        # Moved to another list (e.g. a stakeholder changes kind): goes to its end.
        row.position = _next_position(row)
    row.full_clean()
    stamp(row, by).save()
    _notify(row)
    return row


@transaction.atomic
def content_row_delete(*, row: models.Model, by) -> None:
    """Delete one row; the rows after it close up (1..n)."""
    _require_edit(by, row)
    model = type(row)
    row = model.objects.select_for_update().get(pk=row.pk)
    siblings = _siblings_of(row).exclude(pk=row.pk)
    stamp(row, by).delete()
    if hasattr(row, "position"):
        repack_positions(siblings, by=by)
    _notify(row)


@transaction.atomic
def content_row_move(*, row: models.Model, by, direction: str) -> models.Model:
    """Move a row one place up or down in its list."""
    _require_edit(by, row)
    if direction not in ("up", "down"):
        raise ValidationError(_("ทิศทางการย้ายไม่ถูกต้อง"))
    model = type(row)
    if not any(f.name == "position" for f in model._meta.concrete_fields):
        raise ValidationError(_("รายการนี้เรียงตามรหัสโดยอัตโนมัติ ย้ายลำดับเองไม่ได้"), code="unordered")
    row = model.objects.select_for_update().get(pk=row.pk)
    siblings = _siblings_of(row)
    ids = list(siblings.order_by("position", "pk").values_list("pk", flat=True))
    index = ids.index(row.pk)
    new_index = index - 1 if direction == "up" else index + 1
    if 0 <= new_index < len(ids):
        ids.insert(new_index, ids.pop(index))
        repack_positions(siblings, by=by, order=ids)
    return model.objects.get(pk=row.pk)


@transaction.atomic
def lane_get_or_create(*, edition: Edition, name: str, by) -> Lane:
    """The lane of this edition with that name, created at the end of the lanes if new."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"new_lane": _("กรุณากรอกชื่อผู้ปฏิบัติ")})
    existing = Lane.objects.filter(edition=edition, name=name).first()
    if existing is not None:
        return existing
    return content_row_create(model=Lane, by=by, parent={"edition": edition}, data={"name": name})


@transaction.atomic
def edition_text_change(*, edition: Edition, by, data: dict, expected_version: int) -> Edition:
    """Lets a unit editor change a text section (คำนำ, บทสรุป …) of their draft."""
    _require_edit(by, edition)
    return edition_update_text(edition=edition, expected_version=expected_version, by=by, **data)


@transaction.atomic
def legal_reference_get_or_create(*, text: str, kind: str, by, process) -> LegalReference:
    """A library entry for a citation typed by an editor; an existing spelling is reused."""
    from manuals.legal import normalise_title, split_citation

    _require_edit(by, process)
    title, year, amendment = split_citation(text)
    if not title:
        raise ValidationError({"title": _("กรุณากรอกชื่อกฎหมายหรือระเบียบ")})
    key = normalise_title(title)
    candidates = LegalReference.objects.all()
    if year:
        candidates = candidates.filter(year_be=year)
    for candidate in candidates.only("pk", "title", "year_be", "spellings", "merged_into"):
        if normalise_title(candidate.title) == key:
            # A duplicate merged by the planners: its survivor is the entry to cite.
            return LegalReference.objects.get(pk=candidate.merged_into_id or candidate.pk)
    reference = LegalReference(
        kind=kind, title=title, year_be=year, amendment_note=amendment, spellings=[text]
    )
    reference.full_clean()
    stamp(reference, by).save()
    return reference
