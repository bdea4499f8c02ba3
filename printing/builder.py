"""The printed manual: HTML from Django templates, laid out and written by WeasyPrint.

``build_manual(edition_id, progress=…)`` gives a ``BuiltPdf``: the PDF bytes and page count.

The manual is cut into parts (cover, คำนำ, สารบัญ, …, ตารางที่ ๑–๕, back matter) and every part
into chunks that start on a fresh page. Chunks are laid out by WeasyPrint in parallel worker
processes, each told the page number it starts on (``@page :first { counter-reset: page N }``),
and joined with pypdf. Page numbers need every earlier chunk's page count, so a chunk is laid out
once to count its pages and the numbers are known before anything is drawn … which would mean
laying out twice; instead each chunk is laid out and written with page numbers left out, and
the page numbers and the contents' numbers are drawn by a second, cheap pass over empty pages
(see ``_stamp_pdf``). A small manual (or ``workers=1``) is laid out as one document where
``target-counter()`` gives the contents its numbers directly.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.fonts import sarabun_file
from core.thai import thai_digits
from printing.svgflat import flatten_glyphs

logger = logging.getLogger(__name__)

BUILD_VERSION = "printing-1"
CSS_FILE = Path(__file__).parent / "static" / "printing" / "manual.css"

# Landscape A4 content box (manual.css: @page wide margins 17/14/14/14 mm), in points, less the
# table heading above a chart.
PT_PER_MM = 72 / 25.4
CHART_MAX_W = 841.89 - 28 * PT_PER_MM
CHART_MAX_H = 595.28 - 31 * PT_PER_MM - 75
CHART_SCALE = 0.85

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


@dataclass
class BuiltPdf:
    pdf: bytes
    page_count: int
    seconds: float
    html: str = ""  # the single-document HTML (for the Chromium comparison in bench/)


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
    head = css_string(runhead)
    css = f"@page {{ @top-right {{ content: {head}; }} }}\n"
    css += f"@page wide {{ @top-right {{ content: {head}; }} }}\n"
    if first_page is not None:
        css += f"@page :first {{ counter-reset: page {first_page}; }}\n"
    if not numbers:
        css += "@page { @bottom-center { content: none; } }\n"
        css += "@page wide { @bottom-center { content: none; } }\n"
    return css


# ----------------------------------------------------------------------------- charts


_SVG_SIZE_RE = re.compile(rb'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"')


def _chart_pages(process, spec) -> dict:
    """Table 4 of one process: its chart cut into pages, each an SVG with text as outlines."""
    from flowcharts.layout import DURATION_W, HEADCOUNT_W, LANE_W
    from flowcharts.paging import paginate
    from flowcharts.render import ChartError, render
    from flowcharts.spec import normalized_lanes

    try:
        width = DURATION_W + HEADCOUNT_W + LANE_W * len(normalized_lanes(spec))
        # Fit the width, and never print larger than CHART_SCALE: the chart's 12 pt labels then
        # print at about 10 pt and a typical process fits on one or two pages.
        scale = min(CHART_SCALE, CHART_MAX_W / width)
        pages = []
        for page in paginate(spec, CHART_MAX_H / scale):
            svg = flatten_glyphs(render(page, "svg_outline"))
            match = _SVG_SIZE_RE.search(svg[:2000])
            svg_width = float(match.group(1)) if match else width
            src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
            pages.append({"src": src, "width_pt": f"{svg_width * scale:.1f}"})
        return {"process": process, "pages": pages}
    except ChartError as exc:
        logger.warning("chart of process %s failed: %s (%s)", process.pk, exc, exc.detail)
        return {"process": process, "pages": [{"error": str(exc)}]}


def chart_items(processes, *, threads: int = 2) -> list[dict]:
    """Charts of the processes with steps. The specs are read here (database); Graphviz runs
    as a subprocess, so the drawing overlaps in threads."""
    from flowcharts.selectors import chart_spec_for_process

    jobs = [(p, chart_spec_for_process(p)) for p in processes if p.step_list]
    if threads <= 1 or len(jobs) <= 1:
        return [_chart_pages(p, spec) for p, spec in jobs]
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


def _prepare_process(process) -> None:
    for step in process.step_list:
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
    part.weight = sum(weight_of(item) for item in items)
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

    for process in data.processes:
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
def _url_fetcher():
    """Only our own fonts and the inline charts: user text can never make WeasyPrint fetch."""
    from weasyprint.urls import URLFetcher

    class ManualFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not (url.startswith("data:") or url in _allowed_font_urls()):
                raise ValueError("external resources are not allowed in the printed manual")
            return super().fetch(url, headers)

    return ManualFetcher(allowed_protocols={"data", "file"})


@functools.cache
def _allowed_font_urls() -> frozenset[str]:
    return frozenset(sarabun_file(style).as_uri() for style in ("Regular", "Bold"))


def default_workers() -> int:
    """Processes for laying out a large manual: one per CPU, at most 4."""
    import os

    return max(1, min(4, len(os.sched_getaffinity(0))))


def write_pdf(html: str, extra_css: str) -> tuple[bytes, int]:
    """Lay out and write one HTML document; the same FontConfiguration goes to CSS() and
    write_pdf(), or WeasyPrint ignores @font-face and Thai comes out as boxes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheets = [
        CSS(string=base_css(), font_config=font_config, url_fetcher=_url_fetcher()),
        CSS(string=extra_css, font_config=font_config, url_fetcher=_url_fetcher()),
    ]
    document = HTML(string=html, url_fetcher=_url_fetcher(), base_url="about:blank").render(
        stylesheets=stylesheets, font_config=font_config
    )
    pdf = document.write_pdf()
    return pdf, len(document.pages)


def build_manual(
    edition_id: int, *, progress: Progress = _no_progress, workers: int = 1
) -> BuiltPdf:
    """The PDF of an edition (see the module docstring)."""
    from printing.selectors import printable_edition

    started = time.perf_counter()
    progress("loading", 0, None)
    data = printable_edition(edition_id=edition_id)
    progress("charts", 0, None)
    charts = chart_items(data.processes)
    parts = build_parts(data, charts)
    runhead = runhead_text(data)
    progress("layout", 0, None)
    toc = next(p for p in parts if p.key == "toc")
    toc.html = toc_html(parts)
    toc.chunks = [toc.html]
    html = document_html(data, parts)
    pdf, pages = write_pdf(html, page_css(runhead))
    progress("writing", pages, pages)
    return BuiltPdf(pdf=pdf, page_count=pages, seconds=time.perf_counter() - started, html=html)
