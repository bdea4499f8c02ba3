"""Curating the shared legal library: merge duplicates, record that a law was replaced/amended.

Citations in editions still open move with a merge; published editions keep printing the
citation frozen at their publication (``LegalRequirement.cited_as``) and keep pointing at the
merged entry, which therefore stays (``merged_into``) but disappears from lists and pickers.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.changes import edition_changed
from manuals.models import Edition, LegalReference
from manuals.permissions import require
from manuals.services import stamp
from processes.models import LegalRequirement

CURATE = "search.curate_library"


def _spellings(*texts_and_lists) -> list[str]:
    out: list[str] = []
    for item in texts_and_lists:
        for text in [item] if isinstance(item, str) else item or []:
            text = " ".join(str(text).split())
            if text and text not in out:
                out.append(text)
    return out


@transaction.atomic
def legal_reference_merge(
    *, survivor: LegalReference, duplicate: LegalReference, by
) -> LegalReference:
    """Lets a planner merge a duplicate library entry into the one that stays."""
    require(by, CURATE)
    survivor = LegalReference.objects.select_for_update().get(pk=survivor.pk)
    duplicate = LegalReference.objects.select_for_update().get(pk=duplicate.pk)
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("เลือกกฎหมายสองรายการที่ต่างกัน"))
    if survivor.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("รายการนี้ถูกรวมเข้ากับรายการอื่นไปแล้ว"))
    frozen = Edition.Status.frozen_values()
    touched: set[tuple[int, int]] = set()
    rows = LegalRequirement.objects.filter(reference=duplicate).select_related("process")
    for row in rows.exclude(process__edition__status__in=frozen):
        touched.add((row.process.edition_id, row.process_id))
        twin = LegalRequirement.objects.filter(
            process_id=row.process_id, reference=survivor
        ).first()
        if twin is None:
            row.reference = survivor
            stamp(row, by).save()
            continue
        if row.clause_note and row.clause_note not in twin.clause_note:
            twin.clause_note = f"{twin.clause_note} {row.clause_note}".strip()[:300]
            stamp(twin, by).save()
        stamp(row, by).delete()
    # Published rows without a frozen citation (none after the migration) keep today's text.
    for row in rows.filter(process__edition__status__in=frozen, cited_as=""):
        QuerySet(model=LegalRequirement).filter(pk=row.pk).update(cited_as=duplicate.citation)
    survivor.spellings = _spellings(
        survivor.spellings, duplicate.citation, duplicate.title, duplicate.spellings
    )
    survivor.full_clean()
    survivor.save()
    duplicate.merged_into = survivor
    duplicate.save()
    LegalReference.objects.filter(replaced_by=duplicate).update(replaced_by=survivor)
    for edition_id, process_id in sorted(touched):
        edition_changed(edition_id, process_id=process_id)
    return survivor


@transaction.atomic
def legal_reference_mark(
    *,
    reference: LegalReference,
    by,
    status: str,
    replaced_by: LegalReference | None = None,
    note: str = "",
) -> LegalReference:
    """Lets a planner record that a law is in force, amended, or replaced by a newer one."""
    require(by, CURATE)
    reference = LegalReference.objects.select_for_update().get(pk=reference.pk)
    if status not in LegalReference.Status.values:
        raise ValidationError({"status": _("สถานะไม่ถูกต้อง")})
    if status == LegalReference.Status.REPLACED:
        if replaced_by is None:
            raise ValidationError({"replaced_by": _("กรุณาเลือกกฎหมายหรือระเบียบฉบับใหม่ที่ใช้แทน")})
        replaced_by = LegalReference.objects.get(pk=replaced_by.pk)  # as stored now
        if replaced_by.merged_into_id:
            replaced_by = replaced_by.merged_into
        chain, node = {reference.pk}, replaced_by
        while node is not None:
            if node.pk in chain:
                raise ValidationError({"replaced_by": _("ฉบับที่ใช้แทนต้องไม่ใช่ฉบับเดิม")})
            chain.add(node.pk)
            node = node.replaced_by
    else:
        replaced_by = None
    reference.status = status
    reference.replaced_by = replaced_by
    reference.status_note = " ".join((note or "").split())[:300]
    reference.full_clean()
    reference.save()
    return reference
