import pytest

from core.text import clean_user_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ลงทะเบียน\tรับ", "ลงทะเบียน รับ"),
        ("บรรทัดแรก\vบรรทัดสอง", "บรรทัดแรก\nบรรทัดสอง"),
        ("หน้าแรก\fหน้าสอง", "หน้าแรก\nหน้าสอง"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("ดำเนิน\x00การ", "ดำเนินการ"),
        ("ดำเนิน\u200bการ", "ดำเนินการ"),
        ("\ufeffคำนำ", "คำนำ"),
        ("x\x1by\x7fz\x9f", "xyz"),
        ("  ผู้อำนวยการ  ", "ผู้อำนวยการ"),
        ("", ""),
    ],
)
def test_controls_become_plain_text(raw, expected):
    assert clean_user_text(raw) == expected


def test_thai_marks_are_kept():
    word = "ผู้อำนวยการกองนโยบายและแผนงาน ที่ ๑ ก่อน ฯลฯ ๆ"
    assert clean_user_text(word) == word


def test_single_line_fields_fold_line_breaks():
    assert clean_user_text("ฝ่ายบริหาร\n งานทั่วไป\v", multiline=False) == "ฝ่ายบริหาร งานทั่วไป"
