"""Header words in every spelling the manuals use map to the Step fields."""

import pytest

from imports.columns import is_step_header, map_columns


def test_table5_header_of_seed_000():
    header = [
        "ที่",
        "ผังกระบวนการงาน",
        "ระยะเวลา",
        "รายละเอียดของงาน",
        "มาตรฐาน คุณภาพงาน",
        "ระบบติดตาม/ ประเมินผล",
        "ผู้รับผิดชอบ",
        "แบบฟอร์ม",
        "เอกสาร อ้างอิง",
    ]
    assert map_columns(header) == {
        0: "position",
        1: "label",
        2: "duration_text",
        3: "detail",
        4: "quality_standard",
        5: "monitoring",
        6: "lane",
        7: "forms",
        8: "references",
    }


def test_table3_header_with_flow_column():
    header = ["Flow", "รายละเอียด", "ผู้รับผิดชอบ", "ระยะเวลา", "มาตรฐานงาน",
              "ระบบติดตามประเมินผล", "แบบฟอร์มที่ใช้", "หลักฐานอ้างอิง"]  # fmt: skip
    assert list(map_columns(header).values()) == [
        "label", "detail", "lane", "duration_text", "quality_standard", "monitoring", "forms",
        "references",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "field"),
    [
        ("ฝั่ง กระบวนการงาน", "label"),  # OCR
        ("ผู้รับผิดขอบ", "lane"),  # OCR
        ("รายละเอียดของาน", "detail"),  # a dropped letter
        ("ระยะ เวลา", "duration_text"),
        ("ระยะเวลา (วัน)", "duration_text"),
        ("ลำดับ ที่", "position"),
        ("จำนวนผู้ปฏิบัติงาน (คน)", "headcount_text"),
        ("ขั้นตอนการดำเนินการ ของ กระบวนการ", "detail"),
        ("ผู้ดำเนินการ", "lane"),
        ("การติดตาม/ ประเมินผล", "monitoring"),
    ],
)
def test_spellings(cell, field):
    assert map_columns(["x" * 0, cell]) == {1: field}


def test_a_running_head_or_empty_cell_is_not_mapped():
    mapping = map_columns(["ที่", "", "คู่มือการปฏิบัติงาน กองนโยบายและแผนงาน", "รายละเอียดงาน"])
    assert mapping == {0: "position", 3: "detail"}


def test_each_field_once_best_column_wins():
    mapping = map_columns(["รายละเอียดของงานที่ทำต่อเนื่อง", "รายละเอียดของงาน"])
    assert mapping == {1: "detail"}


def test_step_header_detection():
    assert is_step_header(["ที่", "ผังกระบวนการ", "ระยะเวลา", "รายละเอียดงาน", "ผู้รับผิดชอบ"])
    assert not is_step_header(["๑", "", "๕ นาที", "รับเรื่องจากหน่วยงาน", "จพง.ธุรการ"])
    assert not is_step_header(["ผู้เกี่ยวข้อง", "ความต้องการ"])
