"""Files the importer cannot take: a Thai message, and nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from imports.errors import ImportRefused
from imports.services import import_file
from manuals.models import Agency, Edition, LegalReference, Manual
from processes.models import Step

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.django_db


def _nothing_written():
    return (
        Manual.objects.count(),
        Edition.objects.count(),
        Step.objects.count(),
        Agency.objects.count(),
        LegalReference.objects.count(),
    )


def _refused(path, match, **kwargs):
    before = _nothing_written()
    with pytest.raises(ImportRefused, match=match) as info:
        import_file(path, agency_name="กองทดสอบ", **kwargs)
    assert _nothing_written() == before
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in info.value.message)  # Thai
    return info.value


def _pdf(tmp_path, *, encrypt=False):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if encrypt:
        writer.encrypt("secret")
    path = tmp_path / ("locked.pdf" if encrypt else "scan.pdf")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_image_only_pdf_needs_ocr_first(tmp_path):
    _refused(_pdf(tmp_path), "ไม่มีชั้นข้อความ ต้องทำ OCR ก่อน")


def test_encrypted_pdf(tmp_path):
    _refused(_pdf(tmp_path, encrypt=True), "รหัสผ่าน|เข้ารหัส")


def test_corrupt_docx(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip file at all" * 10)
    _refused(path, "เสียหาย")


def test_password_protected_docx_is_an_ole_file(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    _refused(path, "รหัสผ่าน")


def test_zip_bomb(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/huge.bin", b"\0" * (6 * 1024 * 1024))
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < settings.IMPORT_MAX_BYTES  # small on disk
    _refused(path, "zip bomb")


def test_size_limit_from_settings(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    error = _refused(DATA / "seed000_small.txt", "ใหญ่เกิน")
    assert "เมกะไบต์" in error.message


def test_default_size_limit_is_200_mb():
    from imports.services import max_bytes

    assert max_bytes() == 200 * 1024 * 1024


def test_nothing_recognisable(tmp_path):
    path = tmp_path / "letter.md"
    path.write_text("# บันทึกข้อความ\n\nเรื่อง ขออนุมัติ\n\n| ก | ข |\n|---|---|\n| ๑ | ๒ |\n")
    _refused(path, "ไม่พบตารางที่รู้จัก")


def test_unknown_type_and_empty_file(tmp_path):
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"x")
    _refused(doc, r"\.docx")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _refused(empty, "ว่างเปล่า")


def test_binary_junk_as_text(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(256)) * 20)
    _refused(path, ".")


def test_failure_inside_the_write_rolls_everything_back(monkeypatch):
    """A crash after some rows were written leaves no manual, edition or agency behind."""
    from imports import writer

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer.UnplacedText.objects, "bulk_create", explode)
    before = _nothing_written()
    with pytest.raises(RuntimeError):
        import_file(DATA / "seed000_small.txt", agency_name="กองทดสอบ")
    assert _nothing_written() == before
