"""The printed manual: HTML from Django templates, laid out and written by WeasyPrint.

``build_manual(edition_id, progress=…, workers=…)`` gives a ``BuiltPdf``: the PDF bytes and page
count.

The manual is cut into parts (cover, คำนำ, สารบัญ, …, ตารางที่ ๑–๕, back matter) and every part
into chunks that start on a fresh page. The chunks are grouped into pieces of about the same
weight, and each piece is laid out and written as its own document (``printing.pdfworker``): in
a pool of worker processes for a large manual, in this process for a small one (or
``workers=1``). Both ways go through the same steps and give the same pages:

1. Every piece is laid out without page numbers; it reports its page count, each page's
   @page type and the page of every ``part-…`` anchor. The contents (สารบัญ) are laid out first
   with placeholder numbers as wide as any real one (``pagelabels.PLACEHOLDER``), which gives their
   page count.
2. As soon as every piece before a piece is done, the piece's first page number is known, and
   an overlay of the same pages holding only the page numbers (``printing.pagelabels``: the
   front matter on its own, the body from ๑) is drawn while later pieces are still laid out.
3. The contents are laid out again with the real pages (same length: checked), and pypdf joins
   the pieces, drawing each overlay page on its page as a form XObject (``_join``).

Charts (Table 4) are written to a temporary folder that only the workers may read from, so the
large SVGs never pass through the templates or the process pipes.
"""

from __future__ import annotations

import base64
import functools
import logging
import math
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core.fonts import sarabun_file
from core.thai import thai_digits
from flowcharts.layout import MIN_PRINT_SCALE, compute_layout
from manuals.models import Agency
from printing.pagelabels import PLACEHOLDER, PageLabels
from printing.svgflat import flatten_glyphs
from printing.wordbreak import Vocabulary, fold_line

logger = logging.getLogger(__name__)

BUILD_VERSION = "printing-5"  # 5: word breaks, front-matter numbering
CSS_FILE = Path(__file__).parent / "static" / "printing" / "manual.css"

# Landscape A4 content box (manual.css: @page wide margins 17/14/14/14 mm), in points.
PT_PER_MM = 72 / 25.4
CHART_MAX_W = 841.89 - 28 * PT_PER_MM
CHART_SHEET_H = 595.28 - 31 * PT_PER_MM
# Above a chart on its sheet (measured in the PDF, with a few points to spare for the line the
# image sits on): the ตารางที่ ๔ heading, a line more for each line a long process name wraps
# to, and on the table's first sheet its title. What is left is the chart's height.
CHART_HEAD_H = 36.0
CHART_HEAD_LINE_H = 21.0
CHART_TITLE_H = 35.0
CHART_MAX_H = CHART_SHEET_H - CHART_HEAD_H
# Graphviz pads the drawing by 0.1 in on every side (build_dot: pad="0.1"), in chart points.
CHART_SVG_PAD = 15.0
# Charts are laid out in printed points (flowcharts.layout): they print at 1:1, or shrink down
# to CHART_MIN_SCALE (no text under 9 pt) to fit the width or to save a sheet. A chart too
# wide for A4 even then prints on an A3 landscape fold-out (the "fold" page of manual.css).
CHART_SCALE = 1.0
CHART_MIN_SCALE = MIN_PRINT_SCALE
FOLD_MAX_W = 1190.55 - 28 * PT_PER_MM
FOLD_SHEET_H = 841.89 - 31 * PT_PER_MM

Progress = Callable[[str, int, int | None], None]


def _no_progress(stage: str, pages_done: int, page_count: int | None) -> None:
    return None


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


@dataclass
class BuiltPdf:
    pdf: bytes
    page_count: int
    seconds: float
    html: str = ""  # the single-document HTML (for the Chromium comparison in bench/)
    toc_pages: dict[str, str] = field(default_factory=dict)  # part key -> printed page label


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


# ----------------------------------------------------------------------------- charts


_SVG_SIZE_RE = re.compile(rb'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"')


def _heading_lines(process) -> int:
    """Lines the ตารางที่ ๔ heading of a chart sheet takes (16 pt bold, with "(แผ่นที่ ๑๐/๑๐)"),
    estimated generously: bold sets about 8% wider than the regular face measured here, the
    boxed number has 3 mm of padding each side, and Thai wraps only at word breaks."""
    from flowcharts.text import text_width

    name = thai_digits(f"{process.number} {process.name}")
    text = f"ตารางที่ ๔ กระบวนการ {name} (แผ่นที่ ๑๐/๑๐)"
    width = text_width(text, 16) * 1.08 + 6 * PT_PER_MM
    return max(1, math.ceil(width / (0.9 * CHART_MAX_W)))


def chart_folds(spec) -> bool:
    """Whether a chart is too wide for an A4 sheet at its smallest legible scale (it is then
    printed on an A3 fold-out)."""
    width = compute_layout(spec).width + CHART_SVG_PAD
    return width * CHART_MIN_SCALE > CHART_MAX_W + 0.01


def chart_budget(process, titled: bool = False, fold: bool = False) -> tuple[float, float]:
    """Printed height (points) a chart may take on its first sheet and on the others."""
    sheet_max_h = FOLD_SHEET_H - CHART_HEAD_H if fold else CHART_MAX_H
    rest = sheet_max_h - CHART_HEAD_LINE_H * (_heading_lines(process) - 1)
    return (rest - CHART_TITLE_H if titled else rest), rest


def _chart_scale_and_pages(
    spec, first_h: float, rest_h: float, max_w: float = CHART_MAX_W
) -> tuple[float, list]:
    """The scale to print at and the chart cut into pages for it: the largest scale (at most
    CHART_SCALE, the width fitted) that gives the fewest sheets, down to CHART_MIN_SCALE. A
    chart wider than ``max_w`` even at CHART_MIN_SCALE prints at that (the text stays
    legible; ``chart_folds`` sends such charts to a wider sheet)."""
    from flowcharts.paging import paginate

    width = compute_layout(spec).width
    top = max(CHART_MIN_SCALE, min(CHART_SCALE, max_w / (width + CHART_SVG_PAD)))
    scales = [top]
    while scales[-1] - 0.01 >= CHART_MIN_SCALE - 1e-9:
        scales.append(round(scales[-1] - 0.01, 4))
    best: tuple[float, list] | None = None
    for scale in scales:
        pages = paginate(
            spec,
            rest_h / scale - CHART_SVG_PAD,
            first_page_height_pt=first_h / scale - CHART_SVG_PAD,
        )
        if best is None or len(pages) < len(best[1]):
            best = (scale, pages)
        if len(pages) == 1:
            break
    assert best is not None
    return best


def _chart_pages(process, spec, folder: Path | None = None, titled: bool = False) -> dict:
    """Table 4 of one process: its chart cut into pages, each an SVG with text as outlines,
    written to ``folder`` (the workers read it from there) or inlined as a data: URL.
    ``titled``: the first sheet also holds the table's title."""
    from flowcharts.render import ChartError, render

    try:
        fold = chart_folds(spec)
        first_h, rest_h = chart_budget(process, titled, fold)
        scale, chart_pages = _chart_scale_and_pages(
            spec, first_h, rest_h, FOLD_MAX_W if fold else CHART_MAX_W
        )
        pages = []
        for number, page in enumerate(chart_pages, start=1):
            svg = flatten_glyphs(render(page, "svg_outline"))
            match = _SVG_SIZE_RE.search(svg[:2000])
            svg_width = float(match.group(1)) if match else CHART_MAX_W / scale
            if folder is not None:
                path = folder / f"chart-{process.pk}-{number}.svg"
                path.write_bytes(svg)
                src = path.as_uri()
            else:
                src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
            # max-height: the sheet's room, so a chart never pushes onto a sheet of its own
            pages.append(
                {
                    "src": src,
                    "width_pt": f"{svg_width * scale:.1f}",
                    "max_height_pt": f"{first_h if number == 1 else rest_h:.1f}",
                    "fold": fold,
                }
            )
        return {"process": process, "pages": pages}
    except ChartError as exc:
        logger.warning("chart of process %s failed: %s (%s)", process.pk, exc, exc.detail)
        return {"process": process, "pages": [{"error": str(exc)}]}


def chart_items(processes, *, threads: int = 2, folder: Path | None = None) -> list[dict]:
    """Charts of the processes with steps (the first under the table's title). The specs are
    read here (database); Graphviz runs as a subprocess, so the drawing overlaps in threads."""
    from flowcharts.selectors import chart_spec_for_process

    jobs = [(p, chart_spec_for_process(p)) for p in processes if p.step_list]
    jobs = [(p, spec, folder, index == 0) for index, (p, spec) in enumerate(jobs)]
    if threads <= 1 or len(jobs) <= 1:
        return [_chart_pages(*job) for job in jobs]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda job: _chart_pages(*job), jobs))


@functools.cache
def legend_src() -> str:
    from flowcharts.legend import render_legend

    try:
        svg = flatten_glyphs(render_legend("svg_outline"))
    except Exception:  # noqa: BLE001 - the legend falls back to a table of meanings
        logger.warning("legend chart failed", exc_info=True)
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


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
    table3 = [p for p in data.processes if p.step_list]
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


# ----------------------------------------------------------------------------- WeasyPrint


@functools.cache
def _allowed_font_urls() -> tuple[str, ...]:
    return tuple(sarabun_file(style).as_uri() for style in ("Regular", "Bold"))


def default_workers() -> int:
    """Processes for laying out a large manual: one per CPU, at most 4."""
    import os

    return max(1, min(4, len(os.sched_getaffinity(0))))


# A manual lighter than this (the sum of its parts' weights, about its page count: the demo
# weighs 164) is laid out in this process: worker processes would cost more than they save.
PARALLEL_MIN_WEIGHT = 60
OVERLAY_CSS = """
@page { @top-right { content: none; } @bottom-center { content: string(pageno); } }
@page wide { @top-left { content: none; } @top-right { content: none; }
  @bottom-center { content: string(pageno); } }
@page fold { @bottom-center { content: string(pageno); } }
.pg { break-before: page; string-set: pageno attr(data-n); }
.pg:first-child { break-before: auto; }
"""


class _InlineExecutor:
    """The ``Executor.submit`` of a process pool, run at once in this process."""

    def submit(self, fn, *args):
        from concurrent.futures import Future

        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        return None


def _process_pool(workers: int):
    """Worker processes forked from a fork server that has WeasyPrint loaded already. A worker
    is replaced after a few pieces, so no process keeps a large layout's memory for long."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", "printing.pdfworker"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _split_pieces(chunks: list[tuple[str, SafeString, int]], count: int) -> list[list]:
    """Consecutive chunks in ``count`` runs of about the same weight."""
    total = sum(weight for _key, _html, weight in chunks) or 1
    pieces: list[list] = [[]]
    done = 0
    for chunk in chunks:
        if pieces[-1] and done >= total * len(pieces) / count:
            pieces.append([])
        pieces[-1].append(chunk)
        done += chunk[2]
    return pieces


def _piece_html(title: str, author: str, chunks) -> str:
    return render_to_string(
        "printing/pdf/document.html",
        {"title": title, "author": author, "parts": [{"html": html} for _k, html, _w in chunks]},
    )


def _overlay_html(page_types: list[str], labels: list[str]) -> str:
    """One empty page per page of the manual, of the same @page type: only the margin boxes
    (the page number, its label from ``printing.pagelabels``) are drawn."""
    divs = []
    for name, text in zip(page_types, labels, strict=True):
        name = name if re.fullmatch(r"[a-z][a-z0-9-]*", name or "") else "auto"
        divs.append(f'<div class="pg" style="page: {name}" data-n="{escape(text)}"></div>')
    return "<!doctype html><html><body>" + "".join(divs) + "</body></html>"


def _overlay_css(first_number: int) -> str:
    return OVERLAY_CSS + f"@page :first {{ counter-reset: page {first_number}; }}\n"


def draft_stamp_css(edition, built_at=None) -> str:
    """The "ฉบับร่าง" mark drawn on every page (the cover too) of an edition not yet approved,
    with the time of the build, so a draft's printout is never taken for the approved manual.
    Drawn with the page numbers (the overlay), in the bottom-left margin box of every page."""
    from django.utils import timezone

    from core.thai import format_thai_date

    if edition.is_frozen:
        return ""
    when = timezone.localtime(built_at or timezone.now())
    text = thai_digits(f"ฉบับร่าง ยังไม่ได้รับอนุมัติ · สร้างเมื่อ {format_thai_date(when)} {when:%H:%M} น.")
    box = (
        f"@bottom-left {{ content: {css_string(text)}; color: #b00020; font-weight: bold;"
        " font-size: 11pt; white-space: nowrap; }"
    )
    return "".join(f"@page{name} {{ {box} }}\n" for name in ("", " wide", " cover"))


def _join(pieces, overlays, title: str, author: str) -> bytes:
    """The pieces' pages in order, each with its page of ``overlays`` (the page numbers) drawn
    on top. The overlay page goes in as a form XObject behind a q/Q pair, so the piece's own
    content streams are kept as they are (not decoded and compressed again)."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    writer = PdfWriter()
    for piece in pieces:
        writer.append(PdfReader(io.BytesIO(piece.pdf)))
    over_pages = [page for overlay in overlays for page in PdfReader(io.BytesIO(overlay.pdf)).pages]
    if len(over_pages) != len(writer.pages):
        raise RuntimeError(f"{len(over_pages)} number pages for {len(writer.pages)} pages")

    def stream(data: bytes, **entries):
        obj = DecodedStreamObject()
        obj.set_data(data)
        obj.update({NameObject(k): v for k, v in entries.items()})
        return obj

    push = writer._add_object(stream(b"q\n"))
    for page, over in zip(writer.pages, over_pages, strict=True):
        content = over.get_contents()
        data = content.get_data() if content is not None else b""
        if not data.strip():
            continue
        form = stream(
            data,
            **{
                "/Type": NameObject("/XObject"),
                "/Subtype": NameObject("/Form"),
                "/BBox": ArrayObject(over.mediabox),
                "/Resources": over["/Resources"].get_object().clone(writer),
            },
        ).flate_encode()
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject("/ManualPageNumber")] = writer._add_object(form)
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else ArrayObject()
        existing = list(existing) if isinstance(existing, ArrayObject) else [contents]
        pop = writer._add_object(stream(b"\nQ\nq /ManualPageNumber Do Q\n"))
        page[NameObject("/Contents")] = ArrayObject([push, *existing, pop])
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "BMA work manuals"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# The printed manual is the official Thai document, whatever language the requester's UI uses.
@translation.override("th")
def build_manual(
    edition_id: int,
    *,
    progress: Progress = _no_progress,
    workers: int = 1,
    parallel_min_weight: int = PARALLEL_MIN_WEIGHT,
    keep_html: bool = True,
    agency_id: int | None = None,
) -> BuiltPdf:
    """The PDF of an edition (see the module docstring); with ``agency_id`` the copy of a
    shared manual for that adopting agency, its name on the cover and in the running head."""
    from printing.selectors import printable_edition

    started = time.perf_counter()
    progress("loading", 0, None)
    data = printable_edition(edition_id=edition_id)
    if agency_id is not None:
        data.edition.manual.agency = Agency.objects.select_related("parent").get(pk=agency_id)
    with tempfile.TemporaryDirectory(prefix="manual-pdf-") as folder:
        progress("charts", 0, None)
        charts = chart_items(data.processes, folder=Path(folder))
        parts = build_parts(data, charts)
        del charts
        built = _lay_out(data, parts, folder, progress, workers, parallel_min_weight)
        if keep_html:
            toc = next(p for p in parts if p.key == "toc")
            toc.html = toc_html(parts, built.toc_pages)
            built.html = _inline_charts(document_html(data, parts), folder)
    built.seconds = time.perf_counter() - started
    return built


@translation.override("th")
def manual_html(edition_id: int) -> str:
    """The whole manual as one HTML document, charts inline, the contents' numbers left to
    ``target-counter()``: for printing the same content with another engine (bench/)."""
    from printing.selectors import printable_edition

    data = printable_edition(edition_id=edition_id)
    parts = build_parts(data, chart_items(data.processes))
    toc = next(p for p in parts if p.key == "toc")
    toc.html = toc_html(parts)
    return document_html(data, parts)


def _inline_charts(html: str, folder: str) -> str:
    """The HTML with the chart files as data: URLs, for printing it elsewhere (bench/)."""
    prefix = Path(folder).as_uri() + "/"

    def inline(match: re.Match) -> str:
        path = Path(folder) / match.group(1)
        return 'src="data:image/svg+xml;base64,' + base64.b64encode(path.read_bytes()).decode()

    return re.sub(r'src="' + re.escape(prefix) + r"([\w.-]+\.svg)", inline, html)


def _lay_out(data, parts, folder, progress, workers, parallel_min_weight) -> BuiltPdf:
    """Lay out the parts in pieces (in worker processes for a large manual), number the
    pages, fill in the contents, join."""
    from concurrent.futures import FIRST_COMPLETED, wait

    from printing.pdfworker import render

    edition = data.edition
    title = f"{edition.manual.title} {edition.manual.agency.name} {edition.display_label}"
    author = edition.manual.agency.name
    sheets = [base_css(), page_css(runhead_text(data), numbers=False)]
    overlay_sheets = [base_css(), draft_stamp_css(edition)]
    allowed = (*_allowed_font_urls(), Path(folder).as_uri())

    # The pieces, in print order: what comes before the contents, the contents, then the rest
    # cut into runs of about the same weight.
    toc_index = next(i for i, p in enumerate(parts) if p.key == "toc")
    chunks = []
    for part in parts[toc_index + 1 :]:
        weights = part.chunk_weights or [part.weight]
        for index, html in enumerate(part.chunks):
            chunks.append((part.key, html, weights[min(index, len(weights) - 1)]))
    total_weight = sum(p.weight for p in parts)
    parallel = workers > 1 and total_weight >= parallel_min_weight
    head = [(p.key, p.html, p.weight) for p in parts[:toc_index]]
    body = _split_pieces(chunks, 5 * workers if parallel else 1) if chunks else []
    toc_chunk = ("toc", toc_html(parts, {p.key: PLACEHOLDER for p in parts}), 1)
    piece_chunks = [head, [toc_chunk], *body]
    toc_at = 1
    vocabulary = Vocabulary.for_edition(data)  # lines break between words only
    htmls = [vocabulary.protect_html(_piece_html(title, author, c)) for c in piece_chunks]
    del chunks, body

    progress("layout", 0, None)
    executor = _process_pool(workers) if parallel else _InlineExecutor()
    try:
        futures = {
            executor.submit(render, html, sheets, allowed): i for i, html in enumerate(htmls)
        }
        del htmls
        results: list = [None] * len(piece_chunks)
        overlays: dict[int, object] = {}
        next_overlay = 0
        labels = PageLabels()
        first_number = 1
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                if future in futures:
                    results[futures[future]] = future.result()
            progress("layout", sum(r.page_count for r in results if r is not None), None)
            # A piece's page numbers are known once every piece before it is laid out: draw
            # them now, while later pieces are still being laid out.
            while next_overlay < len(results) and results[next_overlay] is not None:
                piece = results[next_overlay]
                overlay_future = executor.submit(
                    render,
                    _overlay_html(piece.page_types, labels.add(piece.anchors, piece.page_count)),
                    [*overlay_sheets, _overlay_css(first_number)],
                    allowed,
                )
                overlays[next_overlay] = overlay_future
                pending.add(overlay_future)
                first_number += piece.page_count
                next_overlay += 1

        # The contents with the real page numbers: the same number of pages as with the
        # placeholders (checked), so no other page moves.
        offsets, page = [], 1
        for piece in results:
            offsets.append(page)
            page += piece.page_count
        pages = {}
        for index, piece in enumerate(results):
            for anchor, page_index in piece.anchors.items():
                printed = labels.of_page(offsets[index] + page_index)
                pages.setdefault(anchor.removeprefix("part-"), printed)
        toc_piece = render(
            vocabulary.protect_html(
                _piece_html(title, author, [("toc", toc_html(parts, pages), 1)])
            ),
            sheets,
            allowed,
        )
        if toc_piece.page_count != results[toc_at].page_count:
            raise RuntimeError("the contents changed length when the page numbers were filled in")
        results[toc_at] = toc_piece
        page_count = sum(r.page_count for r in results)
        progress("writing", page_count, page_count)
        pdf = _join(results, [overlays[i].result() for i in range(len(results))], title, author)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return BuiltPdf(pdf=pdf, page_count=page_count, seconds=0.0, toc_pages=pages)
