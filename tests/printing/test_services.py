"""Asking for a PDF: the content hash, the cache, the task, failures."""

from __future__ import annotations

import datetime
import logging
import tempfile
from pathlib import Path

import pytest

from core.thai import format_thai_date
from manuals.models import Edition
from printing.models import PdfExport
from printing.services import edition_content_hash, export_request
from tests.factories import EditionFactory, MembershipFactory, ProcessFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_edition():
    edition = EditionFactory(preface="คำนำ")
    StepFactory(process=ProcessFactory(mission__edition=edition), detail="รับหนังสือ")
    return edition


@pytest.fixture
def editor(small_edition):
    return MembershipFactory(agency=small_edition.manual.agency).user


def test_hash_changes_with_any_row_and_not_otherwise(small_edition):
    first = edition_content_hash(small_edition)
    assert edition_content_hash(small_edition) == first
    step = small_edition.processes.first().steps.first()
    step.detail = "รับหนังสือและลงทะเบียน"
    step.save()
    second = edition_content_hash(small_edition)
    assert second != first
    step.delete()
    assert edition_content_hash(small_edition) not in (first, second)


def test_request_runs_the_task_and_reuses_the_result(small_edition, editor):
    export = export_request(edition=small_edition, by=editor)  # ImmediateBackend: runs now
    assert export.status == PdfExport.Status.DONE
    assert export.page_count >= 3
    assert export.file.read(5) == b"%PDF-"
    again = export_request(edition=small_edition, by=editor)
    assert again.pk == export.pk
    assert PdfExport.objects.count() == 1


def test_changed_draft_gets_a_new_pdf_and_the_old_file_goes(small_edition, editor):
    first = export_request(edition=small_edition, by=editor)
    Edition.objects.filter(pk=small_edition.pk)  # noqa: B018
    small_edition.preface = "คำนำใหม่"
    small_edition.save()
    second = export_request(edition=small_edition, by=editor)
    assert second.pk != first.pk
    assert not PdfExport.objects.filter(pk=first.pk).exists()


def test_published_edition_pdf_is_kept_while_its_content_is_the_same(small_edition, editor):
    import datetime

    Edition.objects.filter(pk=small_edition.pk).update(
        status=Edition.Status.PUBLISHED, published_on=datetime.date(2024, 1, 1)
    )
    small_edition.refresh_from_db()
    first = export_request(edition=small_edition, by=editor)
    again = export_request(edition=small_edition, by=editor)
    assert again.pk == first.pk


def _pdf_text(export) -> str:
    from tests.printing.pdftools import pages_text

    with export.file.open("rb") as handle, tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(handle.read())
        tmp.flush()
        return pages_text(Path(tmp.name))


def test_the_published_pdf_is_never_an_earlier_draft():
    """Issue 11, item 1, as reproduced: export a draft, delete a process and fix a step,
    resubmit, approve, export the published edition: a new PDF of the approved content, named
    as approved; the draft's PDF says ฉบับร่าง on every page."""
    from processes.services import process_delete, step_update
    from reviews.services import edition_approve, edition_request_changes, edition_submit

    edition = EditionFactory(preface="คำนำ", approval_letter_number="กท 0303/1293")
    edition.approval_letter_date = datetime.date(2021, 8, 25)
    edition.save()
    agency = edition.manual.agency
    kept = ProcessFactory(mission__edition=edition, name="กระบวนการที่คงไว้")
    step = StepFactory(process=kept, detail="รับหนังสือผิด")
    gone = ProcessFactory(mission=kept.mission, name="กระบวนการที่ถูกลบทิ้ง")
    StepFactory(process=gone, detail="ขั้นตอนของกระบวนการที่ลบ")
    editor = MembershipFactory(agency=agency).user
    reviewer = MembershipFactory(agency=agency, role="reviewer").user
    approver = MembershipFactory(agency=agency, role="approver").user

    draft_pdf = export_request(edition=edition, by=editor)
    draft_pages = _pdf_text(draft_pdf)
    assert all("ฉบับร่าง" in page for page in draft_pages), "a draft page without its mark"
    assert "สร้างเมื่อ" in draft_pages[0]
    assert "กระบวนการที่ถูกลบทิ้ง" in "".join(draft_pages)

    edition_submit(edition=edition, by=editor)
    edition_request_changes(edition=edition, by=reviewer, reason="ลบกระบวนการซ้ำ แก้ขั้นตอน")
    process_delete(process=gone, by=editor)
    step.refresh_from_db()
    step_update(
        step=step, by=editor, data={"detail": "รับหนังสือถูกต้อง"}, expected_version=step.version
    )
    edition.refresh_from_db()
    edition_submit(edition=edition, by=editor)
    edition_approve(edition=edition, by=approver)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.PUBLISHED

    published_pdf = export_request(edition=edition, by=editor)
    assert published_pdf.pk != draft_pdf.pk
    assert published_pdf.file.read() != draft_pdf.file.open("rb").read()
    text = "".join(_pdf_text(published_pdf))
    assert "กระบวนการที่ถูกลบทิ้ง" not in text
    assert "รับหนังสือถูกต้อง" in text
    assert "ฉบับร่าง" not in text
    assert "กท ๐๓๐๓/๑๒๙๓" in text
    assert "๒๕ สิงหาคม ๒๕๖๔" in text  # the approval letter's date
    assert format_thai_date(edition.published_on) in text


def test_failure_is_readable_and_logged(small_edition, editor, monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("printing.builder.build_manual", boom)
    with caplog.at_level(logging.ERROR, logger="printing.services"):
        export = export_request(edition=small_edition, by=editor)
    assert export.status == PdfExport.Status.FAILED
    assert "สร้างไฟล์ PDF ไม่สำเร็จ" in export.error
    assert "failed" in caplog.text
    # a later request tries again
    monkeypatch.undo()
    assert export_request(edition=small_edition, by=editor).status == PdfExport.Status.DONE


def test_request_needs_view_permission(small_edition):
    from django.core.exceptions import PermissionDenied

    stranger = MembershipFactory().user
    with pytest.raises(PermissionDenied):
        export_request(edition=small_edition, by=stranger)


def test_printable_edition_query_count_does_not_grow(django_assert_num_queries):
    from printing.selectors import printable_edition

    small = EditionFactory()
    StepFactory(process=ProcessFactory(mission__edition=small))
    big = EditionFactory()
    for _ in range(5):
        process = ProcessFactory(mission__edition=big)
        for n in range(1, 6):
            StepFactory(process=process, position=n)
    with django_assert_num_queries(14) as small_ctx:
        printable_edition(edition_id=small.pk)
    with django_assert_num_queries(14):
        data = printable_edition(edition_id=big.pk)
    assert data.step_count == 25
    assert len(small_ctx.captured_queries) == 14
