"""Search and copy-paste give back exactly what was typed (Sarabun draws ำ as ํ + า)."""

from __future__ import annotations

import pytest

from core.thai import thai_digits
from printing.fidelity import missing_texts, pages_text, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def layer(demo_pdf):
    return pages_text(demo_pdf.path)


def test_words_with_sara_am_are_found_as_typed(layer):
    text = squeeze("".join(layer))
    for word in ("คำนำ", "คำจำกัดความ", "คำอธิบายสัญลักษณ์", "ดำเนินการ", "ข้อกำหนดที่สำคัญ"):
        assert word in text, word
    # no decomposed sara am (nikhahit + sara aa) and no sara aa read as sara am
    assert "\u0e4d\u0e32" not in text
    assert "ตารางที่" in text and "ตำรำง" not in text


def test_every_heading_and_step_detail_is_in_the_text_layer_verbatim(layer, demo_pdf):
    headings = [f"{number} {name}" for number, name in demo_pdf.processes]
    details = [thai_digits(detail) for detail in demo_pdf.details]
    assert len(details) > 100
    assert missing_texts(layer, headings + details) == []


def test_a_missing_text_is_reported(layer):
    assert missing_texts(layer, ["คำที่ไม่มีในคู่มือเลยสักแห่ง"])


def test_a_row_split_over_a_page_break_is_found_but_a_lost_tail_is_not():
    # a detail whose row goes on over the page break: the other cells, the page foot and the
    # next page's head come between its two halves in the text layer
    pages = [
        "ที่ รายละเอียดของงาน\n- แจ้งตอบผู้มีความเห็น\n- รายงานเสนอ\nหัวหน้า\nเจ้าหน้าที่\n๑๖๖",
        "ที่ รายละเอียดของงาน (ต่อ)\nหัวหน้าหน่วยงานของรัฐเห็นชอบ\n๑๖๗",
    ]
    detail = "- แจ้งตอบผู้มีความเห็น\n- รายงานเสนอหัวหน้าหน่วยงานของรัฐเห็นชอบ"
    assert missing_texts(pages, [detail]) == []
    assert missing_texts(pages, [detail + "ให้นำประกาศเผยแพร่"])
    assert missing_texts(pages[:1], [detail])
