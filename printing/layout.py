"""Laying out the pieces of the printed manual with WeasyPrint, in parallel for a large one.

The chunks of the parts (``printing.parts``) are grouped into pieces of about the same weight,
and each piece is laid out and written as its own document (``printing.pdfworker``): in a pool
of worker processes for a large manual, in this process for a small one (or ``workers=1``).
Both ways go through the same steps and give the same pages:

1. Every piece is laid out without page numbers; it reports its page count, each page's
   @page type and the page of every ``part-…`` anchor. The contents (สารบัญ) are laid out first
   with placeholder numbers as wide as any real one (``TOC_PLACEHOLDER``), which gives their
   page count.
2. As soon as every piece before a piece is done, the piece's first page number is known, and
   an overlay of the same pages holding only the Thai page numbers (``printing.join``) is drawn
   while later pieces are still being laid out.
3. The contents are laid out again with the real pages (same length: checked), and pypdf joins
   the pieces, drawing each overlay page on its page (``printing.join``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from core.fonts import sarabun_file
from printing.join import BuiltPdf, draft_stamp_css, join_pieces, overlay_css, overlay_html
from printing.parts import base_css, page_css, runhead_text, toc_html

Progress = Callable[[str, int, int | None], None]


def _no_progress(stage: str, pages_done: int, page_count: int | None) -> None:
    return None


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
TOC_PLACEHOLDER = 888  # as wide as any real page number: the contents keep their page count


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


def piece_html(title: str, author: str, chunks) -> str:
    return render_to_string(
        "printing/pdf/document.html",
        {"title": title, "author": author, "parts": [{"html": html} for _k, html, _w in chunks]},
    )


def lay_out(data, parts, folder, progress, workers, parallel_min_weight) -> BuiltPdf:
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
    toc_chunk = ("toc", toc_html(parts, {p.key: TOC_PLACEHOLDER for p in parts}), 1)
    piece_chunks = [head, [toc_chunk], *body]
    toc_at = 1
    htmls = [piece_html(title, author, c) for c in piece_chunks]
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
                    overlay_html(piece.page_types),
                    [*overlay_sheets, overlay_css(first_number)],
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
                pages.setdefault(anchor.removeprefix("part-"), offsets[index] + page_index)
        toc_piece = render(
            piece_html(title, author, [("toc", toc_html(parts, pages), 1)]), sheets, allowed
        )
        if toc_piece.page_count != results[toc_at].page_count:
            raise RuntimeError("the contents changed length when the page numbers were filled in")
        results[toc_at] = toc_piece
        page_count = sum(r.page_count for r in results)
        progress("writing", page_count, page_count)
        pdf = join_pieces(
            results, [overlays[i].result() for i in range(len(results))], title, author
        )
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return BuiltPdf(pdf=pdf, page_count=page_count, seconds=0.0, toc_pages=pages)
