"""Tiny manuals to upload in the web tests: a text extraction and a Word file made here (no
fixture from ../shared)."""

from __future__ import annotations

import io

HEADER = [
    "ที่",
    "ผังกระบวนการงาน",
    "ระยะเวลา",
    "รายละเอียดของงาน",
    "มาตรฐานคุณภาพงาน",
    "ระบบติดตาม / ประเมินผลงาน",
    "ผู้รับผิดชอบ",
    "แบบฟอร์ม",
    "เอกสารอ้างอิง",
]
STEPS = [
    [
        "๑",
        "",
        "๕ นาที",
        "รับหนังสือจากหน่วยงานภายนอก",
        "ถูกต้องตามระเบียบ",
        "ทะเบียนรับ",
        "จพง.ธุรการ",
        "-",
        "-",
    ],
    [
        "๒",
        "",
        "๑ วัน",
        "เสนอผู้อำนวยการกองพิจารณาสั่งการ",
        "ทันเวลา",
        "แฟ้มเสนองาน",
        "ผู้อำนวยการกอง",
        "-",
        "-",
    ],
]
PROCESS_TITLE = "๑.๑.๑ กระบวนการย่อยการรับหนังสือจากหน่วยงานภายนอก"


def manual_text() -> bytes:
    """A text extraction laid out like seed 000 (Markdown headings, tab-separated rows)."""
    lines = [
        "# คู่มือการปฏิบัติงาน กองทดสอบ",
        "",
        "# ตารางที่ ๕",
        "",
        "## ขั้นตอนการปฏิบัติงาน",
        "",
        f"## {PROCESS_TITLE}",
        "",
        "\t".join(HEADER),
        *("\t".join(row) for row in STEPS),
        "",
        "หมายเหตุ ข้อความนี้ไม่อยู่ในตารางใด",
    ]
    return "\n".join(lines).encode()


def manual_docx() -> bytes:
    """The same manual as a Word file (python-docx): a heading and the step table."""
    import docx

    document = docx.Document()
    document.add_heading("คู่มือการปฏิบัติงาน กองทดสอบ", level=1)
    document.add_heading("ตารางที่ ๕ ขั้นตอนการปฏิบัติงาน", level=1)
    document.add_heading(PROCESS_TITLE, level=2)
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for row in STEPS:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
