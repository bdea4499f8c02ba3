"""Sizing the chart sheets of Table 4: how large a process's swimlane chart prints, how it is
cut into sheets (A4 landscape, or an A3 fold-out for a chart too wide even at the smallest
legible scale), and each sheet's SVG with its text as outlines (``printing.svgflat``).

The SVGs are written to the build's temporary folder, which only the layout workers may read
from, so the large drawings never pass through the templates or the process pipes.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import math
import re
from pathlib import Path

from core.thai import thai_digits
from flowcharts.layout import MIN_PRINT_SCALE, compute_layout
from printing.svgflat import flatten_glyphs

logger = logging.getLogger(__name__)

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


# Bump when the sheets cut from the same chart would come out different.
SHEETS_VERSION = "sheets-1"


def _sheets(process, spec, titled: bool) -> dict:
    """The chart's sheets for print: their budgets, the scale and each sheet's flattened SVG
    with its width. Kept in the cache by the chart's content, the heading's line count and
    the title, so an unchanged chart is neither paged nor flattened again."""
    from django.core.cache import caches

    from flowcharts.render import cache_key, render

    key = f"{cache_key(spec, 'svg_outline')}:{SHEETS_VERSION}:{_heading_lines(process)}:{titled}"
    try:
        cached = caches["default"].get(key)
    except Exception:  # noqa: BLE001 - a broken cache must not break the export
        logger.warning("chart sheet cache unavailable", exc_info=True)
        cached = None
    if cached is not None:
        return cached
    fold = chart_folds(spec)
    first_h, rest_h = chart_budget(process, titled, fold)
    scale, chart_pages = _chart_scale_and_pages(
        spec, first_h, rest_h, FOLD_MAX_W if fold else CHART_MAX_W
    )
    svgs = []
    for page in chart_pages:
        svg = flatten_glyphs(render(page, "svg_outline"))
        match = _SVG_SIZE_RE.search(svg[:2000])
        svgs.append((svg, float(match.group(1)) if match else CHART_MAX_W / scale))
    sheets = {"fold": fold, "first_h": first_h, "rest_h": rest_h, "scale": scale, "svgs": svgs}
    try:
        caches["default"].set(key, sheets, 30 * 24 * 3600)
    except Exception:  # noqa: BLE001
        logger.warning("chart sheet cache unavailable", exc_info=True)
    return sheets


def _chart_pages(process, spec, folder: Path | None = None, titled: bool = False) -> dict:
    """Table 4 of one process: its chart cut into pages, each an SVG with text as outlines,
    written to ``folder`` (the workers read it from there) or inlined as a data: URL.
    ``titled``: the first sheet also holds the table's title. A file is named by its content,
    so the same chart gives the same HTML in every build (the laid-out pages are kept by the
    HTML's hash, ``printing.layout``)."""
    from flowcharts.render import ChartError

    try:
        sheets = _sheets(process, spec, titled)
        pages = []
        for number, (svg, svg_width) in enumerate(sheets["svgs"], start=1):
            if folder is not None:
                path = folder / f"chart-{hashlib.sha256(svg).hexdigest()[:24]}.svg"
                path.write_bytes(svg)
                src = path.as_uri()
            else:
                src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
            # max-height: the sheet's room, so a chart never pushes onto a sheet of its own
            height = sheets["first_h"] if number == 1 else sheets["rest_h"]
            pages.append(
                {
                    "src": src,
                    "width_pt": f"{svg_width * sheets['scale']:.1f}",
                    "max_height_pt": f"{height:.1f}",
                    "fold": sheets["fold"],
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
    """The legend chart (คำอธิบายสัญลักษณ์) as a data: URL, kept in the cache: drawing it wraps
    Thai labels, which loads the word dictionary (seconds) in a process that has not yet."""
    from django.core.cache import caches

    from flowcharts.layout import LAYOUT_VERSION
    from flowcharts.legend import render_legend
    from flowcharts.render import CODE_VERSION, engine_version

    versions = f"{SHEETS_VERSION}|{CODE_VERSION}|{LAYOUT_VERSION}|{engine_version()}"
    key = "printing-legend:" + hashlib.sha256(versions.encode()).hexdigest()
    try:
        cached = caches["default"].get(key)
    except Exception:  # noqa: BLE001 - a broken cache must not break the export
        cached = None
    if cached is not None:
        return cached
    try:
        svg = flatten_glyphs(render_legend("svg_outline"))
    except Exception:  # noqa: BLE001 - the legend falls back to a table of meanings
        logger.warning("legend chart failed", exc_info=True)
        return ""
    src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    try:
        caches["default"].set(key, src, 30 * 24 * 3600)
    except Exception:  # noqa: BLE001
        logger.warning("chart sheet cache unavailable", exc_info=True)
    return src
