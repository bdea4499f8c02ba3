"""What a clerk's clipboard holds after copying a step table out of Word (text/html) or out of
a PDF reader / Excel (text/plain, tab-separated); shared by the paste tests, the browser test
and bench/bench_paste.py."""

from __future__ import annotations

import html

HEADER = ["ที่", "ผังกระบวนการงาน", "รายละเอียดของงาน", "ผู้รับผิดชอบ", "ระยะเวลา", "แบบฟอร์ม"]

ROWS = [
    ["๑", "", "รับหนังสือจากหน่วยงานภายนอก\nลงทะเบียนรับในระบบ", "จพง. ธุรการ", "๕ นาที", ""],
    ["๒", "", "เสนอหนังสือต่อผู้อำนวยการกอง", "ผอ.กอง / หัวหน้าฝ่าย", "๑ วันทำการ", "แบบ ง.๑๐๑"],
    ["๓", "", "พิจารณาสั่งการ", "ผู้อำนวยการกอง", "๑-๒ วัน", ""],
]

_WORD_HEAD = (
    "<html xmlns:o='urn:schemas-microsoft-com:office:office' "
    "xmlns:w='urn:schemas-microsoft-com:office:word'><head><meta charset=utf-8>"
    "<style><!-- p.MsoNormal {margin:0cm;font-family:'TH SarabunPSK'} --></style></head>"
    "<body lang=TH><!--StartFragment-->"
)


def _word_cell(text: str, width: int = 120) -> str:
    paragraphs = "".join(
        f"<p class=MsoNormal><span lang=TH style='font-size:16.0pt;font-family:"
        f'"TH SarabunPSK",sans-serif\'>{html.escape(line)}<o:p></o:p></span></p>'
        for line in (text.split("\n") if text else ["&nbsp;"])
    ).replace("&amp;nbsp;", "&nbsp;")
    return f"<td width={width} valign=top style='border:solid windowtext 1.0pt'>{paragraphs}</td>"


def word_html(rows: list[list[str]], *, header: list[str] | None = HEADER) -> str:
    """A table as Word for Windows puts it on the clipboard (MsoTableGrid, spans, o:p)."""
    body = []
    for row in ([header] if header else []) + rows:
        body.append("<tr style='height:18.0pt'>" + "".join(_word_cell(c) for c in row) + "</tr>")
    return (
        _WORD_HEAD
        + "<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 "
        + "style='border-collapse:collapse;border:none'><tbody>"
        + "".join(body)
        + "</tbody></table><!--EndFragment--></body></html>"
    )


def tsv(rows: list[list[str]], *, header: list[str] | None = HEADER) -> str:
    """The same table as text/plain: tabs between cells, a cell with a line break quoted."""

    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if ("\n" in text or "\t" in text) else text

    return "\r\n".join(
        "\t".join(cell(c) for c in row) for row in ([header] if header else []) + rows
    )


def many_rows(n: int) -> list[list[str]]:
    """``n`` step rows (the 60-row paste of the benchmark)."""
    actors = ["จพง.ธุรการ", "หัวหน้าฝ่ายบริหารงานทั่วไป", "ผู้อำนวยการกอง", "ผอ.กอง / เลขานุการสำนัก"]
    return [
        [
            str(i),
            "",
            f"ขั้นตอนที่ {i} ตรวจสอบเอกสารและความถูกต้องของข้อมูล\nจัดทำบันทึกเสนอผู้บังคับบัญชา",
            actors[i % len(actors)],
            f"{i % 5 + 1} วันทำการ",
            "แบบ ง.๑๐๑" if i % 7 == 0 else "",
        ]
        for i in range(1, n + 1)
    ]
