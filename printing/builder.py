"""The printed manual: HTML from Django templates, laid out and written by WeasyPrint.

``build_manual(edition_id, progress=…, workers=…)`` gives a ``BuiltPdf``: the PDF bytes and page
count. The work is done by one module per job:

- ``printing.parts``: assembling the parts (cover, คำนำ, สารบัญ, …, ตารางที่ ๑–๕, back matter)
  from the templates, and the manual's CSS;
- ``printing.chartsheets``: sizing Table 4's chart sheets and writing their SVGs;
- ``printing.layout``: laying out the pieces with WeasyPrint, in worker processes for a large
  manual (``printing.pdfworker`` runs one piece);
- ``printing.join``: numbering the pages and joining the pieces into one PDF.

The names callers and tests used from this module are still importable from here.
"""

from __future__ import annotations

import base64
import re
import tempfile
import time
from pathlib import Path

from django.utils import translation

from manuals.models import Agency, LocalAddition
from printing.chartsheets import (
    CHART_HEAD_H,
    CHART_MAX_H,
    CHART_MAX_W,
    CHART_MIN_SCALE,
    CHART_SCALE,
    CHART_SVG_PAD,
    CHART_TITLE_H,
    FOLD_MAX_W,
    FOLD_SHEET_H,
    _chart_scale_and_pages,
    chart_folds,
    chart_items,
)
from printing.join import BuiltPdf
from printing.layout import (
    PARALLEL_MIN_WEIGHT,
    TOC_PLACEHOLDER,
    Progress,
    _no_progress,
    default_workers,
    lay_out,
)
from printing.pagestore import PageStore
from printing.parts import (
    base_css,
    build_parts,
    document_html,
    duration_items,
    page_css,
    toc_html,
)

__all__ = [
    "BUILD_VERSION",
    "CHART_HEAD_H",
    "CHART_MAX_H",
    "CHART_MAX_W",
    "CHART_MIN_SCALE",
    "CHART_SCALE",
    "CHART_SVG_PAD",
    "CHART_TITLE_H",
    "FOLD_MAX_W",
    "FOLD_SHEET_H",
    "PageStore",
    "PARALLEL_MIN_WEIGHT",
    "TOC_PLACEHOLDER",
    "BuiltPdf",
    "_chart_scale_and_pages",
    "base_css",
    "build_manual",
    "build_parts",
    "chart_folds",
    "chart_items",
    "default_workers",
    "document_html",
    "duration_items",
    "manual_html",
    "page_css",
    "toc_html",
]

BUILD_VERSION = "printing-4"


# The printed manual is the official Thai document, whatever language the requester's UI uses.
def _attach_local_additions(data, agency_id: int) -> None:
    """An adopter's copy of a shared manual: its local additions go right after the shared
    process each one follows (Table 3); one whose process has left the manual goes after the
    last process, so nothing the agency wrote is lost."""
    rows = LocalAddition.objects.filter(
        adoption__manual_id=data.edition.manual_id, adoption__agency_id=agency_id
    ).order_by("position", "pk")
    by_lineage: dict = {}
    for row in rows:
        by_lineage.setdefault(row.after_process_lineage, []).append(row)
    for process in data.processes:
        process.local_additions = by_lineage.pop(process.lineage, [])
    if by_lineage and data.processes:
        data.processes[-1].local_additions += [r for rows in by_lineage.values() for r in rows]


@translation.override("th")
def build_manual(
    edition_id: int,
    *,
    progress: Progress = _no_progress,
    workers: int = 1,
    parallel_min_weight: int = PARALLEL_MIN_WEIGHT,
    keep_html: bool = True,
    agency_id: int | None = None,
    store: PageStore | None = None,
) -> BuiltPdf:
    """The PDF of an edition (see the module docstring); with ``agency_id`` the copy of a
    shared manual for that adopting agency, its name on the cover and in the running head.
    The chunks laid out by an earlier build are taken from ``store`` (by default the
    ``pdfparts/`` of the default storage, ``printing.pagestore``)."""
    from printing.selectors import printable_edition

    started = time.perf_counter()
    progress("loading", 0, None)
    data = printable_edition(edition_id=edition_id)
    if agency_id is not None:
        _attach_local_additions(data, agency_id)
        data.edition.manual.agency = Agency.objects.select_related("parent").get(pk=agency_id)
    with tempfile.TemporaryDirectory(prefix="manual-pdf-") as folder:
        progress("charts", 0, None)
        charts = chart_items(data.processes, folder=Path(folder))
        parts = build_parts(data, charts)
        del charts
        built = lay_out(data, parts, folder, progress, workers, parallel_min_weight, store)
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
