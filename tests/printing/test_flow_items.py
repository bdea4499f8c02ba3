"""Durations per bullet: a list item's own time is printed beside it."""

from __future__ import annotations

from printing.builder import duration_items


def test_each_listed_item_gets_its_own_duration():
    detail = "- ระบุหน่วยงานเจ้าของหนังสือ\n- ส่งคืนกรณีส่งผิดหน่วยงาน"
    assert duration_items(detail, "๓ นาที / ฉบับ\nทันที") == [
        ("- ระบุหน่วยงานเจ้าของหนังสือ", "๓ นาที / ฉบับ"),
        ("- ส่งคืนกรณีส่งผิดหน่วยงาน", "ทันที"),
    ]


def test_numbered_items_and_wrapped_lines_stay_with_their_item():
    detail = "๑. รับแจ้ง\nกำหนดการ\n๒. แจ้งทุกส่วนราชการ"
    assert duration_items(detail, "๑ วัน\n๕ วัน") == [
        ("๑. รับแจ้ง\nกำหนดการ", "๑ วัน"),
        ("๒. แจ้งทุกส่วนราชการ", "๕ วัน"),
    ]


def test_counts_that_do_not_match_keep_the_cells_whole():
    detail = "- ใส่แฟ้มเสนองาน\n- หัวหน้าฝ่ายพิจารณา"
    assert duration_items(detail, "๑๐ นาที/ แฟ้ม") == [(detail, "๑๐ นาที/ แฟ้ม")]
    assert duration_items("รับหนังสือ", "๑ วัน\n๒ วัน") == [("รับหนังสือ", "๑ วัน\n๒ วัน")]
