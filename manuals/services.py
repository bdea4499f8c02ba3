"""Writes on manuals and editions. Views and commands call these, never the ORM directly."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import EditionFrozenError
from core.thai import thai_digits
from manuals.models import (
    Abbreviation,
    Definition,
    Edition,
    Form,
    Lane,
    Manual,
    Responsibility,
)

# Every table whose rows belong to an edition, in an order that copies parents first.
# (model, {fk field: table it points to}) — the FKs are remapped to the copies.


def _edition_tables():
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

    return [
        (Lane, "edition", {}),
        (Form, "edition", {}),
        (Definition, "edition", {}),
        (Abbreviation, "edition", {}),
        (Responsibility, "edition", {}),
        (Mission, "edition", {}),
        (Process, "edition", {"mission": Mission, "parent": Process}),
        (Stakeholder, "process__edition", {"process": Process}),
        (Requirement, "process__edition", {"process": Process}),
        (Indicator, "process__edition", {"process": Process}),
        (LegalRequirement, "process__edition", {"process": Process}),
        (Step, "process__edition", {"process": Process, "lane": Lane}),
        (Flow, "source__process__edition", {"source": Step, "target": Step}),
    ]


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
        copies.append(model(**values))
    created = model.objects.bulk_create(copies)
    id_maps.setdefault(model, {}).update(
        {old.pk: new.pk for old, new in zip(rows, created, strict=True)}
    )


@transaction.atomic
def edition_deep_copy(*, source: Edition, into: Edition) -> Edition:
    """Copy every row of ``source`` into the empty edition ``into``, keeping lineage ids."""
    from processes.models import Process, Step

    id_maps: dict = {}
    for model, path, fk_map in _edition_tables():
        rows = list(model.objects.filter(**{path: source}).order_by("pk"))
        if model is Process:
            # Parents before children so a child's parent is already mapped.
            for depth_rows in _by_depth(rows):
                _copy_rows(model, depth_rows, edition=into, fk_map=fk_map, id_maps=id_maps)
            continue
        _copy_rows(model, rows, edition=into, fk_map=fk_map, id_maps=id_maps)

    # Many-to-many links of steps (other responsible lanes, forms).
    step_map = id_maps.get(Step, {})
    for field, target in (("other_lanes", Lane), ("forms", Form)):
        through = getattr(Step, field).through
        target_col = f"{target._meta.model_name}_id"
        links = through.objects.filter(step_id__in=step_map.keys())
        through.objects.bulk_create(
            [
                through(
                    step_id=step_map[link.step_id],
                    **{target_col: id_maps[target][getattr(link, target_col)]},
                )
                for link in links
            ]
        )
    return into


def _ancestry(process, by_pk) -> list[int]:
    chain, node = [], process
    while node.parent_id is not None:
        chain.append(node.parent_id)
        node = by_pk[node.parent_id]
    return chain


def _by_depth(rows):
    by_pk = {r.pk: r for r in rows}
    depths: dict[int, list] = {}
    for row in rows:
        depths.setdefault(len(_ancestry(row, by_pk)), []).append(row)
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
    *, edition: Edition, expected_version: int | None = None, **fields
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
    edition.save()
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
