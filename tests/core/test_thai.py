"""core.thai: Thai digits, Buddhist-Era dates, numbers, wrapping, words; the template filters."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from core.thai import (
    arabic_digits,
    be_year,
    display_width,
    format_thai_date,
    thai_digits,
    thai_number,
    thai_words,
    wrap_thai,
)

# --- thai_digits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        (None, ""),
        ("ไม่มีตัวเลข", "ไม่มีตัวเลข"),
        ("พ.ศ. 2564", "พ.ศ. ๒๕๖๔"),
        ("พ.ศ.2564", "พ.ศ.๒๕๖๔"),
        ("ร้อยละ 100", "ร้อยละ ๑๐๐"),
        ("5 นาที", "๕ นาที"),
        ("1.5 วัน", "๑.๕ วัน"),
        ("30/09/2564", "๓๐/๐๙/๒๕๖๔"),
        ("1,234,567 บาท", "๑,๒๓๔,๕๖๗ บาท"),
        ("-5 องศา", "-๕ องศา"),
        ("0123456789", "๐๑๒๓๔๕๖๗๘๙"),
        ("COVID-19", "COVID-19"),
        ("สถานการณ์ COVID-19 ปี 2564", "สถานการณ์ COVID-19 ปี ๒๕๖๔"),
        ("ISO 9001", "ISO 9001"),
        ("มาตรฐาน ISO 9001:2015 ข้อ 7", "มาตรฐาน ISO 9001:2015 ข้อ ๗"),
        ("ระบบ e-GP", "ระบบ e-GP"),
        ("e-GP2 รอบ 2", "e-GP2 รอบ ๒"),
        ("ดู https://www.bangkok.go.th/a1 หน้า 3", "ดู https://www.bangkok.go.th/a1 หน้า ๓"),
        ("www.bangkok2.go.th", "www.bangkok2.go.th"),
        ("อีเมล a@b2.com ภายใน 3 วัน", "อีเมล a@b2.com ภายใน ๓ วัน"),
        ("Windows 10 จำนวน 5 เครื่อง", "Windows 10 จำนวน ๕ เครื่อง"),
        ("กระดาษ A4 5 แผ่น", "กระดาษ A4 ๕ แผ่น"),
        ("แบบ ง.101", "แบบ ง.๑๐๑"),
        ("ที่ 2718/2560", "ที่ ๒๗๑๘/๒๕๖๐"),
    ],
)
def test_thai_digits(text, expected):
    assert thai_digits(text) == expected


def test_thai_digits_keeps_thai_digits_and_is_idempotent():
    once = thai_digits("ภายใน 5 วัน ISO 9001")
    assert thai_digits(once) == once
    assert thai_digits("๕ วัน") == "๕ วัน"


def test_thai_digits_html_mode_leaves_markup_alone():
    html = '<td width="100" data-x="5">5 &#39;x&#39; &amp;</td>'
    assert thai_digits(html, html=True) == '<td width="100" data-x="5">๕ &#39;x&#39; &amp;</td>'
    # Without html=True the text is plain text: every Thai-context digit converts.
    assert "๑๐๐" in thai_digits(html)


def test_arabic_digits():
    assert arabic_digits("๑๒ วัน ๓.๕") == "12 วัน 3.5"
    assert arabic_digits("") == ""
    assert arabic_digits(None) == ""
    assert arabic_digits(thai_digits("0123456789")) == "0123456789"


# --- dates ---------------------------------------------------------------------------------


def test_format_thai_date_full_and_short():
    d = date(2021, 9, 30)
    assert format_thai_date(d) == "๓๐ กันยายน ๒๕๖๔"
    assert format_thai_date(d, style="short") == "๓๐ ก.ย. ๒๕๖๔"
    assert format_thai_date(d, digits="arabic") == "30 กันยายน 2564"
    assert format_thai_date(d, "short", "arabic") == "30 ก.ย. 2564"


def test_format_thai_date_every_month_and_datetime():
    assert format_thai_date(date(2024, 1, 1), "short") == "๑ ม.ค. ๒๕๖๗"
    assert format_thai_date(date(2024, 12, 31)) == "๓๑ ธันวาคม ๒๕๖๗"
    assert format_thai_date(datetime(2012, 2, 29, 23, 59)) == "๒๙ กุมภาพันธ์ ๒๕๕๕"
    assert format_thai_date(None) == ""


def test_format_thai_date_rejects_unknown_options():
    with pytest.raises(ValueError):
        format_thai_date(date(2021, 1, 1), style="long")
    with pytest.raises(ValueError):
        format_thai_date(date(2021, 1, 1), digits="roman")


def test_be_year():
    assert be_year(2021) == 2564
    assert be_year(date(2012, 1, 1)) == 2555
    assert be_year(datetime(2024, 6, 1, 8, 30)) == 2567


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (0, {}, "๐"),
        (5, {}, "๕"),
        (-42, {}, "-๔๒"),
        (1234567, {}, "๑๒๓๔๕๖๗"),
        (1234567, {"grouping": True}, "๑,๒๓๔,๕๖๗"),
        (-1234567, {"grouping": True}, "-๑,๒๓๔,๕๖๗"),
        (Decimal("0.50"), {}, "๐.๕"),
        (Decimal("100"), {}, "๑๐๐"),
        (Decimal("1E+3"), {}, "๑๐๐๐"),
        (Decimal("-0.00"), {}, "๐"),
        (Decimal("1234.500"), {"grouping": True}, "๑,๒๓๔.๕"),
        (0.1, {}, "๐.๑"),
        (2.5, {}, "๒.๕"),
        ("1,234,567", {}, "๑๒๓๔๕๖๗"),
        ("1,234,567", {"grouping": True}, "๑,๒๓๔,๕๖๗"),
        ("๑,๒๐๐.๕๐", {}, "๑๒๐๐.๕"),
        ("-3.0", {}, "-๓"),
        ("ไม่ใช่ตัวเลข 5", {}, "ไม่ใช่ตัวเลข ๕"),
        (None, {}, ""),
    ],
)
def test_thai_number(value, kwargs, expected):
    assert thai_number(value, **kwargs) == expected


# --- wrapping ------------------------------------------------------------------------------

LABEL = "เจ้าหน้าที่รับหนังสือจากหน่วยงานภายในหรือหน่วยงานภายนอกแล้วเสนอผู้อำนวยการกองเพื่อพิจารณา"


def test_display_width_ignores_combining_marks():
    assert display_width("กา") == 2
    assert display_width("ที่") == 1  # ท + ี + ่
    assert display_width("ผู้อำนวยการ") == 9  # marks ู ้ take no width; ำ does
    assert display_width("e\u0301") == 1
    assert display_width("") == 0


def test_wrap_thai_breaks_at_word_boundaries():
    lines = wrap_thai(LABEL, 20)
    assert "".join(lines) == LABEL
    assert len(lines) > 1
    assert all(display_width(line) <= 20 for line in lines)
    words = thai_words(LABEL)
    boundaries = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    pos = 0
    for line in lines[:-1]:
        pos += len(line)
        assert pos in boundaries, f"broke inside a word after {line!r}"


def test_wrap_thai_counts_display_width_not_code_points():
    # "ผู้อำนวยการกอง" is 14 code points but 12 cells wide: it fits 12, not 11.
    text = "ผู้อำนวยการกอง"
    assert len(text) == 14
    assert wrap_thai(text, 12) == [text]
    assert len(wrap_thai(text, 11)) == 2
    # And a line is filled up to the width in cells, more code points than the width.
    lines = wrap_thai("ที่ที่ที่ที่ที่ที่", 6)
    assert lines == ["ที่ที่ที่ที่ที่ที่"]


def test_wrap_thai_splits_long_words_without_orphaning_marks():
    word = "ก" * 25
    assert wrap_thai(word, 10) == ["ก" * 10, "ก" * 10, "ก" * 5]
    lines = wrap_thai("ที่" * 5, 2)  # one cluster per cell
    assert lines == ["ที่ที่", "ที่ที่", "ที่"]
    for line in lines:
        assert line[0] not in "\u0e34\u0e35\u0e48"


def test_wrap_thai_preserves_newlines_and_spaces():
    assert wrap_thai("บรรทัดแรก\n\nบรรทัดสาม", 40) == ["บรรทัดแรก", "", "บรรทัดสาม"]
    assert wrap_thai("ก ข\r\nค", 40) == ["ก ข", "ค"]
    lines = wrap_thai("รับหนังสือ ส่งหนังสือ เก็บหนังสือ", 8)  # 7, 7 and 8 cells wide
    assert lines == ["รับหนังสือ", "ส่งหนังสือ", "เก็บหนังสือ"]


def test_wrap_thai_mixed_latin_and_edge_cases():
    lines = wrap_thai("ตรวจสอบตามมาตรฐาน ISO 9001 ทุกปี", 12)
    assert all(display_width(line) <= 12 for line in lines)
    assert any("ISO" in line for line in lines)
    assert "9001" in "".join(lines)
    assert wrap_thai("", 10) == []
    assert wrap_thai(None, 10) == []
    with pytest.raises(ValueError):
        wrap_thai("ก", 0)


def test_wrap_thai_is_deterministic():
    first = wrap_thai(LABEL * 3, 17)
    for _ in range(5):
        assert wrap_thai(LABEL * 3, 17) == first


def test_thai_words():
    assert thai_words("รับหนังสือ จาก หน่วยงาน") == ["รับ", "หนังสือ", "จาก", "หน่วยงาน"]
    assert thai_words("") == []
    assert thai_words(None) == []
    assert all(w.strip() for w in thai_words("ก  ข\nค"))


# --- template filters ----------------------------------------------------------------------


@pytest.fixture
def render(settings):
    from django.template import Context, Template

    def _render(source, autoescape=True, **context):
        return Template("{% load thai %}" + source).render(Context(context, autoescape=autoescape))

    return _render


def test_filter_thai_digits_escapes_unsafe_input(render):
    assert render("{{ v|thai_digits }}", v="<b>1</b>") == "&lt;b&gt;๑&lt;/b&gt;"
    assert render("{{ v|thai_digits }}", v="ราคา 'พิเศษ' 5") == "ราคา &#x27;พิเศษ&#x27; ๕"


def test_filter_thai_digits_keeps_safe_markup(render):
    from django.utils.safestring import mark_safe

    v = mark_safe('<td width="100">5</td>')
    assert render("{{ v|thai_digits }}", v=v) == '<td width="100">๕</td>'
    out = render("{{ v|force_escape|thai_digits }}", v="<ก> 5")
    assert out == "&lt;ก&gt; ๕"
    # Character references keep their digits.
    assert render("{{ v|thai_digits }}", v=mark_safe("ก &#39;5&#39;")) == "ก &#39;๕&#39;"


def test_filter_thai_digits_without_autoescape(render):
    out = render("{% autoescape off %}{{ v|thai_digits }}{% endautoescape %}", v="<b>1</b>")
    assert out == "<b>๑</b>"


def test_filter_thai_date(render):
    d = date(2021, 9, 30)
    assert render("{{ d|thai_date }}", d=d) == "๓๐ กันยายน ๒๕๖๔"
    assert render('{{ d|thai_date:"short" }}', d=d) == "๓๐ ก.ย. ๒๕๖๔"
    assert render("{{ d|thai_date }}", d="2021-09-30") == "๓๐ กันยายน ๒๕๖๔"
    assert render("{{ d|thai_date }}", d="<i>x</i>") == "&lt;i&gt;x&lt;/i&gt;"
    assert render("{{ d|thai_date }}", d=None) == ""


def test_filter_thai_number(render):
    assert render("{{ n|thai_number }}", n=Decimal("0.50")) == "๐.๕"
    assert render('{{ n|thai_number:"grouping" }}', n=1234567) == "๑,๒๓๔,๕๖๗"
    assert render("{{ n|thai_number }}", n="<b>1</b>") == "&lt;b&gt;๑&lt;/b&gt;"
    assert render("{{ n|thai_number }}", n=None) == ""


def test_a_label_made_from_a_detail_ends_at_a_whole_word():
    from core.thai import short_text

    # the Flow box of a step without a label once read "… - วงเงินเกิน ๕ ล้" (detail[:60])
    detail = "- วงเงินเกิน ๕ แสนบาท แต่ไม่เกิน ๕ ล้านบาท\n- วงเงินเกิน ๕ ล้านบาท แต่ไม่เกิน ๑๐ ล้านบาท"
    assert short_text(detail) == "วงเงินเกิน ๕ แสนบาท แต่ไม่เกิน ๕ ล้านบาท …"
    long_line = "ผู้เสนอราคาเข้าเสนอราคาผ่านระบบจัดซื้อจัดจ้างภาครัฐโดยเสนอราคาได้เพียงครั้งเดียวเท่านั้น"
    label = short_text(long_line, 30)
    assert label.endswith(" …") and long_line.startswith(label[:-2])
    assert label[:-2] in {"".join(_words(long_line)[:n]) for n in range(1, 20)}
    assert short_text("๑. ตรวจสอบเอกสาร") == "ตรวจสอบเอกสาร"
    assert short_text("") == "" and short_text("ก" * 80, 10).endswith(" …")


def _words(text):
    from core.thai import _tokenize

    return list(_tokenize(text))
