"""The fidelity check (printing.fidelity) passes on the demo and fails on what it looks for."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.thai import thai_digits
from printing.fidelity import (
    arabic_digits,
    broken_words,
    check_pdf,
    near_empty_pages,
    pages_text,
    small_text,
    text_sizes,
)
from printing.wordbreak import Vocabulary

pytestmark = pytest.mark.django_db


def test_the_demo_manual_passes_the_fidelity_check(demo_pdf):
    headings = [f"{number} {name}" for number, name in demo_pdf.processes]
    details = [thai_digits(detail) for detail in demo_pdf.details]
    assert len(demo_pdf.vocabulary.units) > 100
    findings = check_pdf(demo_pdf.path, expected=headings + details, vocabulary=demo_pdf.vocabulary)
    assert [str(f) for f in findings] == []


def test_the_demo_text_is_never_below_9_pt(demo_pdf):
    sizes = [size for page in text_sizes(demo_pdf.path) for size in page]
    assert len(sizes) > 1000
    assert min(sizes) >= 9.0
    # body text 16 pt, landscape tables 13 pt: read from the PDF's own font sizes
    assert {13.0, 16.0} <= set(sizes)


def _pdf(tmp_path: Path, body: str, css: str = "") -> Path:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from core.fonts import sarabun_file

    fonts = FontConfiguration()
    face = f"@font-face {{ font-family: S; src: url('{sarabun_file().as_uri()}'); }}"
    sheet = CSS(string=face + "body { font-family: S; font-size: 14pt; }" + css, font_config=fonts)
    path = tmp_path / "probe.pdf"
    HTML(string=f"<html><body>{body}</body></html>").write_pdf(
        path, stylesheets=[sheet], font_config=fonts
    )
    return path


def test_each_check_fails_on_what_it_looks_for(tmp_path):
    path = _pdf(
        tmp_path,
        '<p>ขั้นตอนที่ 3 ใช้เวลา ๕ วัน ISO 9001</p><p style="font-size: 8pt">หมายเหตุ</p>'
        '<div style="width: 30mm">งานของกรุงเทพมหานครและหน่วยงานภาครัฐ</div>'
        '<div style="break-before: page">ตารางที่ ๓ กระบวนการ ๑.๑ (ต่อ)</div>'
        '<div style="break-before: page">ตารางที่ ๓ กระบวนการ ๑.๒</div>',
    )
    pages = pages_text(path)
    assert [(f.kind, f.text) for f in arabic_digits(pages)] == [("arabic-digit", "3")]
    assert [f.kind for f in small_text(path)] == ["small-text"]
    assert "8 pt" in small_text(path)[0].text
    broken = broken_words(pages, Vocabulary.from_entries([]))
    assert broken and all(f.kind == "broken-word" for f in broken)
    assert [f.page for f in near_empty_pages(path, pages)] == [2]
