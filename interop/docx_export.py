"""The printed manual as a Word file (.docx), in the official layout, with python-docx.

Cover, คำนำ, สารบัญ (a Word TOC field that Word fills in on opening), the front-matter texts,
then Tables 1–5 in landscape sections as real Word tables whose header rows repeat on every
page, Table 4 charts as PNG images at print resolution (rasterised from the same outline SVG the
PDF uses), and the back matter in portrait. Every number is in Thai digits; every style a clerk
touches is a named style of the document (ปกคู่มือ, หัวเรื่อง 1/2, ข้อความในตาราง, หัวตาราง …)
set in TH Sarabun New, so the file can be restyled in Word in one place.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from xml.sax.saxutils import escape

from django.core.cache import caches
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph

from core.thai import display_width, thai_digits, thai_number
from flowcharts.legend import legend_spec, render_legend
from flowcharts.paging import paginate
from flowcharts.render import ChartError, render
from flowcharts.selectors import chart_spec_for_process
from printing.selectors import PrintableEdition, printable_edition

logger = logging.getLogger(__name__)

# Bump when what the Word file shows changes: cached files are then made again.
DOCX_VERSION = "1"
FONT = "TH Sarabun New"
BODY_PT = 16
TABLE_PT = 14
CHART_DPI = 200
RSVG_TIMEOUT = 60
PNG_CACHE_SECONDS = 60 * 60 * 24 * 30

A4_SHORT, A4_LONG = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.0)
LANDSCAPE_MARGIN = Cm(1.5)
# Room for a chart on a landscape page under its heading (points).
CHART_W_PT = (A4_LONG - 2 * LANDSCAPE_MARGIN) / 12700
CHART_H_PT = (A4_SHORT - 2 * LANDSCAPE_MARGIN) / 12700 - 80
# The first chart sheet also holds the table's title.
TITLE_H_PT = 50

SHAPE_MARK = {
    "start": "◯",
    "end": "◯",
    "activity": "▭",
    "decision": "◇",
    "subprocess": "▭",
    "document": "▭",
    "multi_document": "▭",
    "database": "▭",
    "connector": "○",
}

STYLE_COVER = "ปกคู่มือ"
STYLE_TABLE_TEXT = "ข้อความในตาราง"
STYLE_TABLE_HEAD = "หัวตาราง"
STYLE_TABLE_GROUP = "กลุ่มในตาราง"


# ----------------------------------------------------------------------------- styles


_RPR_ORDER = [
    f"w:{tag}"
    for tag in (
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    )
]


def _set(rpr, tag: str, value: str | None) -> None:
    for old in rpr.findall(qn(tag)):
        rpr.remove(old)
    element = OxmlElement(tag)
    if value is not None:
        element.set(qn("w:val"), value)
    rpr.append(element)


def _fonts(rpr_owner, *, size: float | None = None, bold: bool | None = None) -> None:
    """Name the Thai font for every script (Thai is a complex script: w:cs, w:szCs, w:bCs)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if bold is not None:
        _set(rpr, "w:b", None if bold else "0")
        _set(rpr, "w:bCs", None if bold else "0")
    if size is not None:
        _set(rpr, "w:sz", str(int(size * 2)))
        _set(rpr, "w:szCs", str(int(size * 2)))
    _set(rpr, "w:lang", "th-TH")
    rpr.find(qn("w:lang")).set(qn("w:bidi"), "th-TH")
    # OOXML wants the run properties in schema order (Word refuses the file otherwise)
    order = {qn(tag): index for index, tag in enumerate(_RPR_ORDER)}
    children = sorted(rpr, key=lambda child: order.get(child.tag, len(order)))
    for child in children:
        rpr.remove(child)
        rpr.append(child)


def _paragraph_style(document, name, *, base="Normal", size=BODY_PT, bold=False, align=None):
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
    style.quick_style = True
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element, size=size, bold=bold)
    if align is not None:
        style.paragraph_format.alignment = align
    return style


def _setup_styles(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            for child in list(rpr):
                if child.tag in (qn("w:rFonts"), qn("w:lang")):
                    rpr.remove(child)
            fonts = OxmlElement("w:rFonts")
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), FONT)
            rpr.insert(0, fonts)
    normal = _paragraph_style(document, "Normal", size=BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    title = _paragraph_style(document, "Title", size=28, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    title_ppr = title.element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):  # the default template underlines titles
        title_ppr.remove(border)
    cover = _paragraph_style(document, STYLE_COVER, size=20, bold=True)
    cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.paragraph_format.space_after = Pt(12)
    h1 = _paragraph_style(document, "Heading 1", size=20, bold=True)
    h1.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    h1.paragraph_format.page_break_before = True
    h1.paragraph_format.space_after = Pt(12)
    h1.paragraph_format.keep_with_next = True
    h2 = _paragraph_style(document, "Heading 2", size=BODY_PT, bold=True)
    h2.paragraph_format.space_before = Pt(6)
    h2.paragraph_format.space_after = Pt(6)
    h2.paragraph_format.keep_with_next = True
    _paragraph_style(document, STYLE_TABLE_TEXT, size=TABLE_PT)
    _paragraph_style(
        document, STYLE_TABLE_HEAD, size=TABLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _paragraph_style(document, STYLE_TABLE_GROUP, size=TABLE_PT, bold=True)
    for name in ("TOC Heading", "toc 1", "toc 2"):
        with contextlib.suppress(KeyError, ValueError):
            _paragraph_style(document, name, size=BODY_PT)


# ----------------------------------------------------------------------------- building blocks


# Characters XML 1.0 cannot hold (Word's stray control characters in pasted text).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    return _NOT_XML.sub("", thai_digits(str(value or "")))


def _add_lines(paragraph, text: str) -> None:
    """Text with its line breaks kept (one run, ``w:br`` between lines)."""
    lines = _text(text).splitlines() or [""]
    run = paragraph.add_run(lines[0])
    for line in lines[1:]:
        run.add_break(WD_BREAK.LINE)
        run.add_text(line)


def _paragraphs(document, text: str) -> None:
    for block in (text or "").split("\n"):
        paragraph = document.add_paragraph(_text(block))
        paragraph.paragraph_format.first_line_indent = Cm(1.25) if block.strip() else None


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC …); ``placeholder`` shows until Word updates it."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _thai_page_numbers(section) -> None:
    """Page numbers of the section in Thai digits, centred in the footer."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:fmt"), "thaiNumbers")
    sect_pr.append(numbering)
    footer = section.footer
    footer.is_linked_to_previous = True


def _set_page(section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    )
    margin = LANDSCAPE_MARGIN if landscape else MARGIN
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin


def _new_section(document, *, landscape: bool):
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _set_page(section, landscape=landscape)
    _thai_page_numbers(section)
    return section


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _fixed_width(table, total) -> None:
    """The table as wide as the page's text, its columns as given (Word and LibreOffice alike)."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(total / 635)))  # EMU -> twentieths of a point
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    order = [
        qn(f"w:{tag}")
        for tag in (
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
        )
    ]
    rank = {tag: index for index, tag in enumerate(order)}
    for child in sorted(tbl_pr, key=lambda c: rank.get(c.tag, len(rank))):
        tbl_pr.remove(child)
        tbl_pr.append(child)


def _table(document, headers: list[str], widths_pct: list[float], *, width) -> object:
    """A grid table with one header row that Word repeats on every page."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Emu(int(width * pct / 100)) for pct in widths_pct]
    for column, cell_width in zip(table.columns, widths, strict=True):
        column.width = cell_width
    for cell, text, cell_width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = cell_width
        _use_style(cell.paragraphs[0], document, STYLE_TABLE_HEAD)
        cell.paragraphs[0].add_run(_text(text))
    _repeat_header(table.rows[0])
    _fixed_width(table, sum(widths))
    table._widths = widths
    return table


_STYLE_IDS: dict[int, dict[str, str]] = {}


def _style_id(document, name: str) -> str:
    """python-docx looks a style up by scanning every style on each assignment: remember ids."""
    ids = _STYLE_IDS.setdefault(id(document), {})
    if name not in ids:
        ids[name] = document.styles[name].style_id
    return ids[name]


def _use_style(paragraph, document, name: str) -> None:
    paragraph._p.style = _style_id(document, name)


# Lines a landscape page holds for one row under the repeated header (14 pt TH Sarabun New).
ROW_PAGE_LINES = 18
# Characters of Thai text per centimetre of column width at 14 pt, estimated (narrow is safe).
CHARS_PER_CM = 3.6


def _row_lines(values: list, widths: list) -> int:
    """Roughly how many lines the row's tallest cell takes."""
    most = 1
    for value, width in zip(values, widths, strict=True):
        text = "\n".join(value) if isinstance(value, list | tuple) else str(value or "")
        chars = max(1, int(width / 360000 * CHARS_PER_CM))
        lines = sum(max(1, -(-display_width(line) // chars)) for line in text.splitlines())
        most = max(most, lines)
    return most


def _row(table, values: list, document, *, style: str = STYLE_TABLE_TEXT) -> None:
    """A body row; a value is text (line breaks kept) or a list of lines. A row that fits on a
    page is kept whole on one page (as in the PDF); a longer one breaks where it falls.

    Built as one piece of XML: python-docx's cell-by-cell API costs seconds on a 500-page
    manual."""
    style_id = escape(_style_id(document, style), {'"': "&quot;"})
    keep = _row_lines(values, table._widths) <= ROW_PAGE_LINES
    cells = []
    for value, width in zip(values, table._widths, strict=True):
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value if v)
        lines = _text(value).splitlines() or [""]
        text = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{int(width / 635)}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr><w:r>{text}</w:r></w:p></w:tc>'
        )
    row_pr = "<w:trPr><w:cantSplit/></w:trPr>" if keep else ""
    table._tbl.append(parse_xml(f"<w:tr {nsdecls('w')}>{row_pr}{''.join(cells)}</w:tr>"))


def _merged_row(table, text: str, document) -> None:
    cells = table.add_row().cells
    merged = cells[0].merge(cells[-1])
    _use_style(merged.paragraphs[0], document, STYLE_TABLE_GROUP)
    merged.paragraphs[0].add_run(_text(text))


def _heading(document, text: str, level: int, *, new_page: bool = False):
    paragraph = document.add_paragraph(_text(text))
    _use_style(paragraph, document, f"Heading {level}")
    if new_page:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


# ----------------------------------------------------------------------------- the charts


def svg_to_png(svg: bytes, *, dpi: int = CHART_DPI) -> bytes:
    """Rasterise an outline SVG (text already drawn as paths, so Thai marks are intact);
    cached like the charts themselves, by the SVG's content."""
    key = f"docx-png:{dpi}:{hashlib.sha256(svg).hexdigest()}"
    cached = caches["default"].get(key)
    if cached is not None:
        return cached
    png = _rasterise(svg, dpi)
    caches["default"].set(key, png, PNG_CACHE_SECONDS)
    return png


def _rasterise(svg: bytes, dpi: int) -> bytes:
    completed = subprocess.run(
        ["rsvg-convert", "--format", "png", "--dpi-x", str(dpi), "--dpi-y", str(dpi)],
        input=svg,
        capture_output=True,
        timeout=RSVG_TIMEOUT,
        check=False,
    )
    if completed.returncode != 0 or not completed.stdout.startswith(b"\x89PNG"):
        raise ChartError("แปลงแผนผังเป็นภาพไม่สำเร็จ", completed.stderr.decode(errors="replace"))
    return completed.stdout


def _chart_pages(process, spec, titled: bool = False) -> dict:
    """The process's chart cut to landscape pages, each a PNG; ``titled``: the first sheet
    also holds the table's title. No database access: this runs in threads."""
    first_h = CHART_H_PT - TITLE_H_PT if titled else CHART_H_PT
    try:
        pages = paginate(spec, CHART_H_PT, CHART_W_PT, first_page_height_pt=first_h)
        images = []
        for page in pages:
            svg = render(page, "svg_outline")
            images.append(svg_to_png(svg))
        return {"process": process, "images": images, "first_h": first_h}
    except ChartError as exc:
        logger.warning("chart of process %s failed: %s (%s)", process.pk, exc, exc.detail)
        return {"process": process, "images": [], "error": str(exc), "first_h": first_h}


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# ----------------------------------------------------------------------------- the parts


def _cover(document, data: PrintableEdition) -> None:
    agency = data.agency
    for _ in range(6):
        document.add_paragraph()
    document.add_paragraph(_text(data.edition.manual.title), style="Title")
    document.add_paragraph(_text(agency.name), style=STYLE_COVER)
    if agency.parent_id:
        document.add_paragraph(_text(agency.parent.name), style=STYLE_COVER)
    document.add_paragraph("กรุงเทพมหานคร", style=STYLE_COVER)
    document.add_paragraph(_text(data.edition.display_label), style=STYLE_COVER)


def _front_matter(document, data: PrintableEdition) -> None:
    edition = data.edition
    texts = [
        ("บทสรุปสำหรับผู้บริหาร", edition.executive_summary),
        ("ความเป็นมาและความสำคัญ", edition.background),
        ("วัตถุประสงค์", edition.objectives),
        ("โครงสร้าง อัตรากำลัง และอำนาจหน้าที่", edition.structure_duties),
    ]
    if edition.preface.strip():
        _heading(document, "คำนำ", 1)
        _paragraphs(document, edition.preface)
    _heading(document, "สารบัญ", 1)
    toc = document.add_paragraph()
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u', "กด F9 เพื่อปรับปรุงสารบัญ (เลขหน้า)")
    for title, text in texts:
        if text.strip():
            _heading(document, title, 1)
            _paragraphs(document, text)


def _roles(step) -> list[str]:
    names = [step.lane.name] if step.lane_id else []
    names += [lane.name for lane in step.other_lanes.all()]
    return [_text(name) for name in names]


def _forms(step) -> list[str]:
    return [
        _text(f"{form.code} {form.title}" if form.title and form.title != form.code else form.code)
        for form in step.forms.all()
    ]


def _flow_cell(step) -> list[str]:
    lines = [
        f"{SHAPE_MARK.get(step.shape, '▭')} {thai_number(step.number)}. {_text(step.chart_label)}"
    ]
    for flow in step.flow_list:
        target = thai_number(flow.target_step.number)
        lines.append(f"{_text(flow.label)} → {target}" if flow.label else f"→ {target}")
    return lines


def _scope(process, mission) -> str:
    if process.scope_text:
        return process.scope_text
    if process.scope_start or process.scope_end:
        return f"มีจุดเริ่มต้นจาก{process.scope_start} และสิ้นสุดที่{process.scope_end}"
    return ""


def _table1(document, data, width) -> None:
    missions = [m for m in data.missions if m.process_list or m.text.strip()]
    if not missions:
        return
    _heading(document, f"ตารางที่ ๑ ขอบเขตของ{data.agency.name}", 1)
    for index, mission in enumerate(missions):
        _heading(
            document,
            f"ตารางที่ ๑ หน่วยงาน {data.agency.name} {mission.unit}",
            2,
            new_page=index > 0,
        )
        table = _table(
            document,
            ["พันธกิจ/ภารกิจ", "กระบวนการ", "ขอบเขต", "หน่วยงานรับผิดชอบ"],
            [28, 22, 34, 16],
            width=width,
        )
        if not mission.process_list:
            _row(table, [mission.text, "", "", mission.unit], document)
        for number, process in enumerate(mission.process_list):
            _row(
                table,
                [
                    mission.text if number == 0 else "",
                    f"{process.number} {process.name}",
                    _scope(process, mission),
                    process.responsible_unit or mission.unit,
                ],
                document,
            )


def _table2(document, data, width) -> None:
    processes = [
        p
        for p in data.processes
        if p.stakeholder_list or p.requirement_list or p.indicator_list or p.legal_list
    ]
    if not processes:
        return
    _heading(document, "ตารางที่ ๒ กรอบแนวคิดและข้อกำหนดที่สำคัญ", 1)
    for index, process in enumerate(processes):
        _heading(
            document,
            f"ตารางที่ ๒ กระบวนการ {process.number} {process.name}",
            2,
            new_page=index > 0,
        )
        if process.stakeholder_list:
            table = _table(document, ["ผู้เกี่ยวข้อง", "ความต้องการ"], [40, 60], width=width)
            groups: dict[str, list] = {}
            for stakeholder in process.stakeholder_list:
                groups.setdefault(stakeholder.get_kind_display(), []).append(stakeholder)
            for label, rows in groups.items():
                _merged_row(table, label, document)
                for stakeholder in rows:
                    _row(table, [f"- {stakeholder.name}", stakeholder.needs], document)
            document.add_paragraph()
        key = [r for r in process.requirement_list if r.kind == "key"]
        if key:
            table = _table(document, ["ข้อกำหนดที่สำคัญ"], [100], width=width)
            for requirement in key:
                _row(table, [f"- {requirement.text}"], document)
            document.add_paragraph()
        if process.indicator_list:
            internal = [i for i in process.indicator_list if i.kind == "internal"]
            outcome = [i for i in process.indicator_list if i.kind != "internal"]
            table = _table(document, ["ตัวชี้วัด: ภายใน", "ตัวชี้วัด: ผลกระบวนการ"], [50, 50], width=width)

            def _indicator(rows, i):
                if i >= len(rows):
                    return ""
                text = rows[i].statement
                return f"{text} (เป้าหมาย {rows[i].target})" if rows[i].target else text

            for i in range(max(len(internal), len(outcome))):
                _row(table, [_indicator(internal, i), _indicator(outcome, i)], document)
            document.add_paragraph()
        efficiency = [r for r in process.requirement_list if r.kind == "efficiency"]
        cost = [r for r in process.requirement_list if r.kind == "cost_effectiveness"]
        legal = process.legal_list
        if legal or efficiency or cost:
            table = _table(
                document,
                ["ข้อกำหนดด้านกฎหมาย", "ประสิทธิภาพของกระบวนการ", "ความคุ้มค่า"],
                [34, 33, 33],
                width=width,
            )
            for i in range(max(len(legal), len(efficiency), len(cost))):
                law = ""
                if i < len(legal):
                    law = f"- {legal[i].reference.citation}"
                    if legal[i].clause_note:
                        law += f" {legal[i].clause_note}"
                _row(
                    table,
                    [
                        law,
                        f"- {efficiency[i].text}" if i < len(efficiency) else "",
                        f"- {cost[i].text}" if i < len(cost) else "",
                    ],
                    document,
                )


def _table3(document, data, width) -> None:
    processes = [p for p in data.processes if p.step_list]
    if not processes:
        return
    _heading(document, "ตารางที่ ๓ กระบวนการ", 1)
    for index, process in enumerate(processes):
        _heading(
            document, f"ตารางที่ ๓ กระบวนการ {process.number} {process.name}", 2, new_page=index > 0
        )
        table = _table(
            document,
            [
                "Flow",
                "รายละเอียดของงาน",
                "ผู้รับผิดชอบ",
                "ระยะเวลา",
                "มาตรฐานงาน",
                "ระบบติดตามประเมินผล",
                "แบบฟอร์มที่ใช้",
                "เอกสารอ้างอิง",
            ],
            [12, 24, 10, 8, 12, 11, 10, 13],
            width=width,
        )
        for step in process.step_list:
            _row(
                table,
                [
                    _flow_cell(step),
                    step.detail,
                    _roles(step),
                    step.duration_text,
                    step.quality_standard,
                    step.monitoring,
                    _forms(step),
                    step.references,
                ],
                document,
            )


def _table4(document, charts: list[dict], width) -> None:
    if not charts:
        return
    _heading(document, "ตารางที่ ๔ แผนผังกระบวนการงาน", 1)
    for index, item in enumerate(charts):
        process = item["process"]
        images = item["images"]
        for number, png in enumerate(images or [None], start=1):
            title = f"ตารางที่ ๔ กระบวนการ {process.number} {process.name}"
            if len(images) > 1:
                title += f" (แผ่นที่ {thai_number(number)}/{thai_number(len(images))})"
            _heading(document, title, 2, new_page=index > 0 or number > 1)
            if png is None:
                document.add_paragraph(item.get("error") or "ไม่มีแผนผัง")
                continue
            px_w, px_h = _png_size(png)
            natural_w = Emu(int(px_w / CHART_DPI * 914400))
            natural_h = Emu(int(px_h / CHART_DPI * 914400))
            room_h = Emu(int((item["first_h"] if number == 1 else CHART_H_PT) * 12700))
            scale = min(1.0, width / natural_w, room_h / natural_h)
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run().add_picture(io.BytesIO(png), width=Emu(int(natural_w * scale)))


def _table5(document, data, width) -> None:
    processes = [p for p in data.table5_processes if p.step_list]
    if not processes:
        return
    _heading(document, "ตารางที่ ๕ ขั้นตอนการปฏิบัติงาน", 1)
    for index, process in enumerate(processes):
        _heading(document, f"ตารางที่ ๕ {process.number} {process.name}", 2, new_page=index > 0)
        table = _table(
            document,
            [
                "ที่",
                "ผังกระบวนการงาน",
                "ระยะเวลา",
                "รายละเอียดของงาน",
                "มาตรฐานคุณภาพงาน",
                "ระบบติดตาม/ประเมินผลงาน",
                "ผู้รับผิดชอบ",
                "แบบฟอร์ม",
                "เอกสารอ้างอิง",
            ],
            [4, 12, 8, 22, 12, 10, 10, 9, 13],
            width=width,
        )
        for step in process.step_list:
            _row(
                table,
                [
                    thai_number(step.number),
                    _flow_cell(step),
                    step.duration_text,
                    step.detail,
                    step.quality_standard,
                    step.monitoring,
                    _roles(step),
                    _forms(step),
                    step.references,
                ],
                document,
            )


def _legend(document, width) -> None:
    """คำอธิบายสัญลักษณ์ที่ใช้: the symbols drawn as in the charts (a table of meanings if the
    drawing fails)."""
    _heading(document, "คำอธิบายสัญลักษณ์ที่ใช้", 1)
    try:
        png = svg_to_png(render_legend("svg_outline"))
    except ChartError:
        logger.warning("legend chart failed", exc_info=True)
        table = _table(document, ["ความหมาย"], [100], width=width)
        for _kind, _key, meaning in legend_spec():
            _row(table, [meaning], document)
        return
    px_w, _px_h = _png_size(png)
    natural = Emu(int(px_w / CHART_DPI * 914400))
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(io.BytesIO(png), width=min(natural, width))


def _pairs(document, title, heads, rows, width) -> None:
    if not rows:
        return
    _heading(document, title, 1)
    table = _table(document, heads, [30, 70], width=width)
    for left, right in rows:
        _row(table, [left, right], document)


def _back_matter(document, data, width, *, with_legend: bool) -> None:
    _pairs(
        document,
        "คำจำกัดความ",
        ["คำ", "ความหมาย"],
        [(d.term, d.meaning) for d in data.definitions],
        width,
    )
    if with_legend:
        _legend(document, width)
    _pairs(
        document,
        "คำอธิบายอักษรย่อ",
        ["อักษรย่อ", "คำเต็ม"],
        [(a.short, a.full) for a in data.abbreviations],
        width,
    )
    _pairs(
        document,
        "หน้าที่ความรับผิดชอบ",
        ["ตำแหน่ง/หน่วยงาน", "หน้าที่ความรับผิดชอบ"],
        [(r.holder, r.duties) for r in data.responsibilities],
        width,
    )
    if data.legal_references:
        _heading(document, "เอกสารอ้างอิง", 1)
        for number, reference in enumerate(data.legal_references, start=1):
            document.add_paragraph(f"{thai_number(number)}. {_text(reference.citation)}")


# ----------------------------------------------------------------------------- entry point


def chart_items(processes, *, threads: int = 2, on_chart=None) -> list[dict]:
    """Table 4 images of the processes with steps; Graphviz and rsvg run as subprocesses, so
    threads overlap them. ``on_chart(done, total)`` is called in this thread after each chart."""
    # the specs are read here, in the calling thread (database); the threads only draw
    with_steps = [p for p in processes if p.step_list]
    todo = [(p, chart_spec_for_process(p), index == 0) for index, p in enumerate(with_steps)]
    report = on_chart or (lambda done, total: None)
    report(0, len(todo))
    if threads <= 1 or len(todo) <= 1:
        results = []
        for job in todo:
            results.append(_chart_pages(*job))
            report(len(results), len(todo))
        return results
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = []
        for item in pool.map(lambda job: _chart_pages(*job), todo):
            results.append(item)
            report(len(results), len(todo))
        return results


def manual_docx(*, edition_id: int, threads: int = 2, progress=None) -> bytes:
    """The edition's printed manual as the bytes of a .docx file. ``progress(stage, done,
    total)`` hears "loading", "charts" (charts drawn of all) and "writing" as the work goes."""
    report = progress or (lambda stage, done, total: None)
    report("loading", 0, None)
    data = printable_edition(edition_id=edition_id)
    charts = chart_items(
        data.processes, threads=threads, on_chart=lambda done, total: report("charts", done, total)
    )
    report("writing", 0, None)

    document = Document()
    _fast_ids(document)
    _setup_styles(document)
    core = document.core_properties
    core.title = _text(f"{data.edition.manual.title} {data.agency.name}")
    core.subject = _text(data.edition.display_label)
    core.author = _text(data.agency.name)
    core.language = "th-TH"

    first = document.sections[0]
    _set_page(first, landscape=False)
    _thai_page_numbers(first)
    footer = first.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "๑")  # in Thai digits through the sections' w:pgNumType
    portrait_width = A4_SHORT - 2 * MARGIN
    landscape_width = A4_LONG - 2 * LANDSCAPE_MARGIN

    _cover(document, data)
    _front_matter(document, data)

    _new_section(document, landscape=True)
    _table1(document, data, landscape_width)
    _table2(document, data, landscape_width)
    _table3(document, data, landscape_width)
    _table4(document, charts, landscape_width)
    _table5(document, data, landscape_width)

    _new_section(document, landscape=False)
    _back_matter(document, data, portrait_width, with_legend=bool(charts))
    _drop_leading_break(document)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _CountingIds:
    """python-docx numbers each new picture by scanning the whole document for the largest id
    (seconds on a 500-page manual with a hundred charts): count instead, from that largest id."""

    @property
    def next_id(self) -> int:
        if getattr(self, "_last_id", None) is None:
            self._last_id = super().next_id - 1
        self._last_id += 1
        return self._last_id


def _fast_ids(document) -> None:
    part = document.part
    part.__class__ = type("CountingIdsPart", (_CountingIds, type(part)), {})


def _drop_leading_break(document) -> None:
    """A heading that opens a section already starts a page: no blank page before it."""
    body = document.element.body
    previous = None
    for element in body.iterchildren():
        if previous is not None and previous.tag == qn("w:p") and element.tag == qn("w:p"):
            p_pr = previous.find(qn("w:pPr"))
            if p_pr is not None and p_pr.find(qn("w:sectPr")) is not None:
                Paragraph(element, document._body).paragraph_format.page_break_before = False
        previous = element
