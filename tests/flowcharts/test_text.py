"""Thai wrapping for chart labels: between words, abbreviations whole, long words cut sensibly."""

from __future__ import annotations

from flowcharts.text import text_width, wrap


def test_wraps_between_words_and_splits_compounds_at_dictionary_words():
    lines = wrap("จัดตั้งคณะกรรมการอำนวยการและคณะทำงานฯ", 110, 12)
    assert lines == ("จัดตั้ง", "คณะกรรมการ", "อำนวยการและ", "คณะทำงานฯ")
    assert all(text_width(line, 12) <= 110 for line in lines)


def test_abbreviations_are_not_cut():
    lines = wrap("ผอ. สยป. และ ผอ. สงม.", 110, 12)
    assert "สงม." in lines[-1] and not any(line.endswith("สง") for line in lines)
    assert wrap("สำนักงบประมาณกรุงเทพมหานคร (สงม.)", 110, 12)[-1] == "(สงม.)"


def test_a_word_wider_than_a_line_is_cut_between_clusters():
    lines = wrap("ก" * 40 + "ี", 60, 12)
    assert "".join(lines) == "ก" * 40 + "ี"
    assert all(text_width(line, 12) <= 60 for line in lines)
    assert not any(line.startswith("ี") for line in lines)


def test_max_lines_ends_in_an_ellipsis():
    lines = wrap("ตรวจสอบความครบถ้วนของเอกสารประกอบการเบิกจ่าย " * 5, 80, 12, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
