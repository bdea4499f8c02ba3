"""Clipboard and extracted tables become rows of plain-text cells."""

from imports.tables import cell_text, parse_clipboard, parse_html_tables, parse_tsv


def test_html_table_with_paragraphs_lists_and_entities():
    html = """<html><body><table>
    <tr><th>ที่</th><th>รายละเอียดของงาน</th><th>ผู้รับผิดชอบ</th></tr>
    <tr><td>๑</td><td><p>รับเรื่อง</p><ul><li>- ตรวจสอบ &amp; ลงทะเบียน</li><li>- เสนอ</li></ul></td>
        <td>จพง.ธุรการ<br>หัวหน้าฝ่าย</td></tr>
    </table></body></html>"""
    rows = parse_html_tables(html)
    assert rows[0] == ["ที่", "รายละเอียดของงาน", "ผู้รับผิดชอบ"]
    assert rows[1] == ["๑", "รับเรื่อง\n- ตรวจสอบ & ลงทะเบียน\n- เสนอ", "จพง.ธุรการ\nหัวหน้าฝ่าย"]


def test_merged_cells_keep_text_once_and_pad_the_grid():
    html = """<table>
    <tr><td rowspan="2">๑</td><td colspan="2">ยาว</td></tr>
    <tr><td>ก</td><td>ข</td></tr>
    <tr><td>๒</td><td>ค</td></tr>
    </table>"""
    rows = parse_html_tables(html)
    assert rows == [["๑", "ยาว", ""], ["", "ก", "ข"], ["๒", "ค", ""]]


def test_nested_table_text_joins_its_cell_and_two_tables_concatenate():
    html = (
        "<table><tr><td>a<table><tr><td>x</td><td>y</td></tr></table></td><td>b</td></tr></table>"
        "<p>between</p><table><tr><td>c</td></tr></table>"
    )
    rows = parse_html_tables(html)
    assert rows == [["a\nx y", "b"], ["c"]]


def test_tsv_with_html_cells_as_the_seed_writes_them():
    text = (
        "ที่\tรายละเอียดงาน\tผู้รับผิดชอบ\n"
        '๑\t<ul style="list-style-type: none"> <li>- ใส่แฟ้ม</li> <li>- เสนอ</li> </ul>\t'
        "<p>จพง. ธุรการ</p><div>หัวหน้าฝ่าย</div>\n\n"
    )
    rows = parse_tsv(text)
    assert rows == [
        ["ที่", "รายละเอียดงาน", "ผู้รับผิดชอบ"],
        ["๑", "- ใส่แฟ้ม\n- เสนอ", "จพง. ธุรการ\nหัวหน้าฝ่าย"],
    ]


def test_tsv_quoted_multiline_cells_as_word_puts_them_on_the_clipboard():
    text = '๑\t"รับเรื่อง\nตรวจสอบ ""ด่วน"""\tจพง.\r\n๒\t“อ้าง” ข้อความ\t\n'
    rows = parse_tsv(text)
    assert rows == [["๑", 'รับเรื่อง\nตรวจสอบ "ด่วน"', "จพง."], ["๒", "“อ้าง” ข้อความ", ""]]


def test_a_lone_quote_is_text_not_a_quoted_cell():
    rows = parse_tsv('"ไม่ปิด\tข\n')
    assert rows == [['"ไม่ปิด', "ข"]]


def test_clipboard_prefers_html_table_then_falls_back_to_text():
    assert parse_clipboard(html="<table><tr><td>ก</td></tr></table>", text="x\ty") == [["ก"]]
    assert parse_clipboard(html="<p>no table</p>", text="x\ty") == [["x", "y"]]


def test_cell_text_drops_controls_and_collapses_spaces():
    assert cell_text("ก\u200b  ข\x0bค") == "ก ข\nค"


def test_flow_column_arrows_are_drawing_not_label_text():
    from imports.plan import flow_label

    # the seed's Flow column read as text: each box's label, then the arrow to the next box
    assert flow_label("จัดทำรายงาน ขอซื้อขอจ้าง ↓") == "จัดทำรายงาน ขอซื้อขอจ้าง"
    assert flow_label("↓ ประกาศใช้ระบบ ICT\n↓") == "ประกาศใช้ระบบ ICT"
    assert flow_label("ร่างขอบเขตของงาน ↓ กำหนดราคากลาง") == "ร่างขอบเขตของงาน กำหนดราคากลาง"
    assert flow_label("ส่ง → ตรวจ") == "ส่ง ตรวจ" and flow_label("") == ""
