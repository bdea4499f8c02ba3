"""Assembling the parts of the printed manual: HTML from Django templates.

The manual is cut into parts (cover, คำนำ, สารบัญ, …, ตารางที่ ๑–๕, back matter) and every part
into chunks that start on a fresh page (a table part: one chunk per process or unit). Each part
carries a rough weight (about its page count), which ``printing.layout`` uses to spread the work.
Also the manual's own CSS (the fonts, the stylesheet, the running header).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.fonts import sarabun_file
from core.thai import thai_digits
from printing.chartsheets import legend_src
from printing.wordbreak import fold_line

CSS_FILE = Path(__file__).parent / "static" / "printing" / "manual.css"


@dataclass
class Part:
    """A part of the manual that starts on a new page and may have a contents entry."""

    key: str
    title: str
    html: SafeString
    toc: bool = True
    wide: bool = False
    weight: int = 1  # rough size, for spreading the work over processes
    chunks: list[SafeString] = field(default_factory=list)
    chunk_weights: list[int] = field(default_factory=list)  # a table part's, one per chunk


# ----------------------------------------------------------------------------- CSS


def css_string(text: str) -> str:
    """A CSS string literal holding ``text``: everything but letters, digits and Thai escaped."""
    out = []
    for ch in text:
        if ch.isalnum() or ch == " ":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x} ")
    return '"' + "".join(out) + '"'


@functools.cache
def base_css() -> str:
    fonts = "".join(
        f"@font-face {{ font-family: Sarabun; font-weight: {weight}; font-style: normal;"
        f" src: url('{sarabun_file(style).as_uri()}'); }}\n"
        for weight, style in ((400, "Regular"), (700, "Bold"))
    )
    return fonts + CSS_FILE.read_text(encoding="utf-8")


def page_css(runhead: str, first_page: int | None = None, numbers: bool = True) -> str:
    """The CSS that depends on the manual: the running header, where numbering starts."""
    head = css_string(fold_line(runhead)) + "; white-space: pre"  # never inside a word
    portrait = css_string(fold_line(runhead, 40)) + "; white-space: pre"
    css = f"@page {{ @top-right {{ content: {portrait}; }} }}\n"
    css += f"@page wide {{ @top-right {{ content: {head}; }} }}\n"
    css += f"@page fold {{ @top-right {{ content: {head}; }} }}\n"
    if first_page is not None:
        css += f"@page :first {{ counter-reset: page {first_page}; }}\n"
    if not numbers:
        css += "@page { @bottom-center { content: none; } }\n"
        css += "@page wide { @bottom-center { content: none; } }\n"
        css += "@page fold { @bottom-center { content: none; } }\n"
    return css


# ----------------------------------------------------------------------------- parts


def _indicator_rows(process) -> list[tuple]:
    internal = [i for i in process.indicator_list if i.kind == "internal"]
    outcome = [i for i in process.indicator_list if i.kind != "internal"]
    n = max(len(internal), len(outcome))
    return [
        (internal[i] if i < len(internal) else None, outcome[i] if i < len(outcome) else None)
        for i in range(n)
    ]


def _legal_rows(process) -> list[tuple]:
    efficiency = [r for r in process.requirement_list if r.kind == "efficiency"]
    cost = [r for r in process.requirement_list if r.kind == "cost_effectiveness"]
    legal = process.legal_list
    n = max(len(legal), len(efficiency), len(cost))
    pick = lambda rows, i: rows[i] if i < len(rows) else None  # noqa: E731
    return [(pick(legal, i), pick(efficiency, i), pick(cost, i)) for i in range(n)]


# Table 5's text columns (% of 762 pt at 13 pt): characters per line, and the lines a landscape
# page holds under the heading and the column headers.
_COLUMN_CHARS = {
    "detail": 27,
    "quality_standard": 14,
    "monitoring": 11,
    "references": 15,
    "duration_text": 8,
}
_PAGE_LINES = 20


def _row_lines(step) -> int:
    """Roughly how many lines the step's row takes in Tables 3 and 5."""
    from core.thai import display_width

    most = 0
    for name, chars in _COLUMN_CHARS.items():
        text = getattr(step, name) or ""
        lines = sum(max(1, -(-display_width(line) // chars)) for line in text.splitlines())
        most = max(most, lines)
    return most


_ITEM_RE = re.compile(r"^\s*(?:[-–•▪*]|[0-9๐-๙]{1,2}[.)])\s*")


def duration_items(detail: str, duration: str) -> list[tuple[str, str]]:
    """The detail and the duration, item by item when the detail is a list and the duration
    has one line per item (๓ นาที / ฉบับ, ทันที): the manuals print each time beside its item.
    Otherwise one pair, the texts as they are."""
    lines = [line for line in (detail or "").splitlines() if line.strip()]
    times = [line.strip() for line in (duration or "").splitlines() if line.strip()]
    if len(times) >= 2 and lines and _ITEM_RE.match(lines[0]):
        items: list[str] = []
        for line in lines:
            if _ITEM_RE.match(line):
                items.append(line)
            else:  # a wrapped item: its next line
                items[-1] += "\n" + line
        if len(items) == len(times):
            return list(zip(items, times, strict=True))
    return [(detail or "", duration or "")]


def _flow_column(process) -> None:
    """Each step's cell of the drawn Flow column (``flowcharts.flowcolumn``)."""
    from flowcharts.flowcolumn import flow_cells, symbol_src
    from flowcharts.spec import ChartFlow, ChartStep

    steps = [
        ChartStep(str(step.pk), "", step.shape, step.chart_label) for step in process.step_list
    ]
    flows = [
        ChartFlow(str(flow.source_id), str(flow.target_id), flow.label or "", flow.kind or "flow")
        for step in process.step_list
        for flow in step.flow_list
    ]
    numbers = {str(step.pk): step.number for step in process.step_list}
    for step, cell in zip(process.step_list, flow_cells(steps, flows, numbers), strict=True):
        step.flow_cell = cell
        step.flow_src = symbol_src(step.shape)


@functools.cache
def flow_images() -> dict[str, str]:
    from flowcharts.flowcolumn import arrowhead_src, symbol_src

    return {"arrowhead": arrowhead_src(), "connector": symbol_src("connector")}


def _prepare_process(process) -> None:
    _flow_column(process)
    for step in process.step_list:
        step.items = duration_items(step.detail, step.duration_text)
        # A row is kept whole on a page ("break-inside: avoid") unless it cannot fit on one:
        # WeasyPrint then drops the repeated column headers to make room, so such a row is
        # allowed to break where it falls instead.
        step.row_class = "split" if _row_lines(step) > _PAGE_LINES else ""
    process.key_requirements = [r for r in process.requirement_list if r.kind == "key"]
    process.efficiency = [r for r in process.requirement_list if r.kind == "efficiency"]
    process.cost_effectiveness = [
        r for r in process.requirement_list if r.kind == "cost_effectiveness"
    ]
    process.indicator_rows = _indicator_rows(process)
    process.legal_rows = _legal_rows(process)


def _has_table2(process) -> bool:
    return bool(
        process.stakeholder_list
        or process.requirement_list
        or process.indicator_list
        or process.legal_list
    )


def _table_part(key, title, template, items, item_name, context, weight_of) -> Part:
    """A table part: one chunk per item (a process, a unit), each starting on a new page."""
    part = Part(key=key, title=title, html=mark_safe(""), wide=True)
    for index, item in enumerate(items):
        chunk_part = Part(key=key if index == 0 else f"{key}-{index}", title=title, html="")
        chunk_ctx = {**context, "part": chunk_part, item_name: [item], "show_title": index == 0}
        part.chunks.append(mark_safe(render_to_string(template, chunk_ctx)))
    part.html = mark_safe("".join(part.chunks))
    part.chunk_weights = [weight_of(item) for item in items]
    part.weight = sum(part.chunk_weights)
    return part


def build_parts(data, charts: list[dict]) -> list[Part]:
    """Every non-empty part of the manual, in print order."""
    edition = data.edition
    agency = edition.manual.agency
    context = {
        "edition": edition,
        "manual": edition.manual,
        "agency": agency,
        "edition_label": edition.display_label,
        "flow_images": flow_images(),
    }
    parts: list[Part] = []

    def add(key, title, template, toc=True, wide=False, weight=1, **extra):
        part = Part(key=key, title=title, html=mark_safe(""), toc=toc, wide=wide, weight=weight)
        part.html = mark_safe(render_to_string(template, {**context, "part": part, **extra}))
        part.chunks = [part.html]
        parts.append(part)

    add("cover", "", "printing/pdf/_cover.html", toc=False)
    texts = [
        ("preface", "คำนำ", edition.preface, False),
        ("summary", "บทสรุปสำหรับผู้บริหาร", edition.executive_summary, True),
        ("background", "ความเป็นมาและความสำคัญ", edition.background, True),
        ("objectives", "วัตถุประสงค์", edition.objectives, True),
        ("structure", "โครงสร้าง อัตรากำลัง และอำนาจหน้าที่", edition.structure_duties, True),
    ]
    for key, title, text, toc in texts:
        if text.strip():
            weight = 1 + len(text) // 2500
            add(key, title, "printing/pdf/_text.html", toc=toc, text=text, weight=weight)
            if key == "preface":
                parts.append(Part(key="toc", title="สารบัญ", html=mark_safe(""), toc=False))
    if not any(p.key == "toc" for p in parts):
        parts.insert(1, Part(key="toc", title="สารบัญ", html=mark_safe(""), toc=False))

    # sub-processes print in Table 5 only, but need the same preparation
    for process in {id(p): p for p in [*data.processes, *data.table5_processes]}.values():
        _prepare_process(process)
    missions = [m for m in data.missions if m.process_list or m.text.strip()]
    if missions:
        parts.append(
            _table_part(
                "table1",
                f"ตารางที่ ๑ ขอบเขตของ{agency.name}",
                "printing/pdf/_table1.html",
                missions,
                "missions",
                context,
                lambda m: 1 + len(m.process_list) // 3,
            )
        )
    table2 = [p for p in data.processes if _has_table2(p)]
    if table2:
        parts.append(
            _table_part(
                "table2",
                "ตารางที่ ๒ กรอบแนวคิดและข้อกำหนดที่สำคัญ",
                "printing/pdf/_table2.html",
                table2,
                "processes",
                context,
                lambda p: 1 + (len(p.stakeholder_list) + len(p.requirement_list)) // 8,
            )
        )
    table3 = [p for p in data.processes if p.step_list or getattr(p, "local_additions", None)]
    if table3:
        parts.append(
            _table_part(
                "table3",
                "ตารางที่ ๓ กระบวนการ",
                "printing/pdf/_table3.html",
                table3,
                "processes",
                context,
                lambda p: 1 + len(p.step_list) // 4,
            )
        )
    if charts:
        parts.append(
            _table_part(
                "table4",
                "ตารางที่ ๔ แผนผังกระบวนการงาน",
                "printing/pdf/_table4.html",
                charts,
                "charts",
                context,
                lambda c: 2 * len(c["pages"]),
            )
        )
    table5 = [p for p in data.table5_processes if p.step_list]
    if table5:
        parts.append(
            _table_part(
                "table5",
                "ตารางที่ ๕ ขั้นตอนการปฏิบัติงาน",
                "printing/pdf/_table5.html",
                table5,
                "processes",
                context,
                lambda p: 1 + len(p.step_list) // 3,
            )
        )
    if data.definitions:
        add(
            "definitions",
            "คำจำกัดความ",
            "printing/pdf/_pairs.html",
            rows=[(d.term, d.meaning) for d in data.definitions],
            left_head="คำ",
            right_head="ความหมาย",
            left_width=30,
            weight=1 + len(data.definitions) // 8,
        )
    if charts:
        from flowcharts.legend import legend_spec

        add(
            "legend",
            "คำอธิบายสัญลักษณ์ที่ใช้",
            "printing/pdf/_legend.html",
            legend_src=legend_src(),
            legend_rows=legend_spec(),
        )
    if data.abbreviations:
        add(
            "abbreviations",
            "คำอธิบายอักษรย่อ",
            "printing/pdf/_pairs.html",
            rows=[(a.short, a.full) for a in data.abbreviations],
            left_head="อักษรย่อ",
            right_head="คำเต็ม",
            left_width=30,
            weight=1 + len(data.abbreviations) // 20,
        )
    if data.responsibilities:
        add(
            "responsibilities",
            "หน้าที่ความรับผิดชอบ",
            "printing/pdf/_pairs.html",
            rows=[(r.holder, r.duties) for r in data.responsibilities],
            left_head="ตำแหน่ง/หน่วยงาน",
            right_head="หน้าที่ความรับผิดชอบ",
            left_width=30,
            weight=1 + len(data.responsibilities) // 4,
        )
    if data.legal_references:
        add(
            "references",
            "เอกสารอ้างอิง",
            "printing/pdf/_references.html",
            references=data.legal_references,
            weight=1 + len(data.legal_references) // 25,
        )
    return parts


def toc_html(parts: list[Part], pages: dict[str, int] | None = None) -> SafeString:
    """สารบัญ: with ``pages`` the numbers are printed; without, ``target-counter`` finds them."""
    entries = [
        {"key": p.key, "title": p.title, "page": (pages or {}).get(p.key)} for p in parts if p.toc
    ]
    toc = next(p for p in parts if p.key == "toc")
    return mark_safe(render_to_string("printing/pdf/_toc.html", {"entries": entries, "part": toc}))


def runhead_text(data) -> str:
    edition = data.edition
    agency = edition.manual.agency
    names = [agency.name] + ([agency.parent.name] if agency.parent_id else [])
    return thai_digits(f"{' '.join(names)} · {edition.display_label}")


def document_html(data, parts: list[Part], chunks: list[SafeString] | None = None) -> str:
    edition = data.edition
    return render_to_string(
        "printing/pdf/document.html",
        {
            "title": f"{edition.manual.title} {edition.manual.agency.name} {edition.display_label}",
            "author": edition.manual.agency.name,
            "parts": [
                {"html": c} for c in (chunks if chunks is not None else [p.html for p in parts])
            ],
        },
    )
