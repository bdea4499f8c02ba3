"""Laying out the printed manual with WeasyPrint: only what an earlier build did not keep.

The parts (``printing.parts``) are cut into chunks, each starting on a fresh page at its
``part-…`` anchor: the cover, a text part, one process's Table 3, its chart sheets, … A chunk
is laid out once per content hash (its HTML with the charts named by content, the CSS, this
code's version) and its pages kept (``printing.pagestore``). A build:

1. looks up every chunk; the contents (สารบัญ) count as one, with placeholder numbers as wide as
   any real one (``TOC_PLACEHOLDER``), which gives their page count;
2. lays out the chunks not kept, grouped into pieces of about the same weight, in a pool of
   worker processes when there is much to do (``printing.pdfworker`` runs one piece), in this
   process otherwise; each piece's pages are cut back into its chunks by their anchors and kept;
3. as soon as the pages before a page are known, its number is known: the number stamps not
   kept yet are drawn in the pool while later pieces are still being laid out;
4. lays out the contents with the real pages (same length: checked; kept like any chunk), and
   joins every page with its number stamp, a draft's "ฉบับร่าง" mark, the contents' links and
   the outline (``printing.join``).

A re-export after one change therefore lays out the chunks that changed, and the contents when
their numbers moved; pages that moved only get other number stamps.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.fonts import sarabun_file
from printing.join import (
    NO_NUMBERS_CSS,
    OVERLAY_CSS,
    BuiltPdf,
    draft_stamp_css,
    join_pages,
    overlay_html,
)
from printing.pagelabels import PLACEHOLDER, kind_of, label
from printing.pagestore import LaidOut, PageStore, digest
from printing.parts import base_css, page_css, runhead_text, toc_html
from printing.wordbreak import Vocabulary

logger = logging.getLogger(__name__)

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
# Part of every kept chunk's and number block's key: bump it when the same HTML and CSS would
# be laid out differently (the worker, WeasyPrint's options).
LAYOUT_VERSION = (
    "layout-5"  # 3: page labels, words kept whole; 4: outline as typed; 5: text in pieces
)
TOC_PLACEHOLDER = PLACEHOLDER  # as wide as any page label: the contents keep their page count


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


def _split_pieces(chunks: list, count: int) -> list[list]:
    """Consecutive chunks in ``count`` runs of about the same weight."""
    total = sum(chunk.weight for chunk in chunks) or 1
    pieces: list[list] = [[]]
    done = 0
    for chunk in chunks:
        if pieces[-1] and done >= total * len(pieces) / count:
            pieces.append([])
        pieces[-1].append(chunk)
        done += chunk.weight
    return pieces


def piece_html(title: str, author: str, htmls) -> str:
    return render_to_string(
        "printing/pdf/document.html",
        {"title": title, "author": author, "parts": [{"html": html} for html in htmls]},
    )


_ANCHOR_RE = re.compile(r'\bid="(part-[^"]+)"')


@dataclass
class Chunk:
    """A stretch of the manual that starts on a fresh page, at its ``part-…`` anchor."""

    anchor: str
    html: str
    weight: int
    key: str  # the hash of what it prints: the HTML (charts by content), the CSS, the code


def _chunks(
    parts, toc_placeholder, salt: str, folder_uri: str, vocabulary: Vocabulary
) -> tuple[list[Chunk], int]:
    """Every chunk in print order, and the index of the contents."""
    chunks, toc_at = [], 0
    for part in parts:
        if part.key == "toc":
            toc_at = len(chunks)
            htmls, weights = [toc_placeholder], [1]
        else:
            htmls, weights = part.chunks, part.chunk_weights or [part.weight]
        for index, html in enumerate(htmls):
            weight = weights[min(index, len(weights) - 1)]
            chunks.append(_chunk(html, weight, salt, folder_uri, vocabulary))
    return chunks, toc_at


def _chunk(html: str, weight: int, salt: str, folder_uri: str, vocabulary: Vocabulary) -> Chunk:
    html = mark_safe(vocabulary.protect_html(html))  # lines break between words only
    match = _ANCHOR_RE.search(html)
    if match is None:
        raise RuntimeError("a part of the manual has no part-… anchor")
    # the charts' folder changes from build to build; their file names are their content
    key = digest(salt, html.replace(folder_uri + "/", "chart:"))
    return Chunk(anchor=match.group(1), html=html, weight=weight, key=key)


def _laid_out_chunks(piece_key: str, piece, chunks: list[Chunk]) -> list[LaidOut]:
    """The piece's pages cut back into its chunks (each starts on a fresh page)."""
    starts = [piece.anchors.get(chunk.anchor) for chunk in chunks]
    if starts[0] != 0 or any(
        b is None or a is None or b <= a for a, b in zip(starts, starts[1:], strict=False)
    ):
        raise RuntimeError(f"the parts of a piece did not start on pages of their own: {starts}")
    ends = [*starts[1:], piece.page_count]
    laid = []
    for start, end in zip(starts, ends, strict=True):
        part = LaidOut(
            piece=piece_key, first=start, count=end - start, page_types=piece.page_types[start:end]
        )
        for name, page in piece.anchors.items():
            if start <= page < end:
                part.anchors[name] = [page - start, *piece.anchor_points[name]]
        part.links = [
            [page - start, target, list(rect)]
            for page, target, rect in piece.links
            if start <= page < end
        ]
        part.bookmarks = [
            [page - start, *rest] for page, *rest in piece.bookmarks if start <= page < end
        ]
        laid.append(part)
    return laid


def _page_type(name: str) -> str:
    return name if re.fullmatch(r"[a-z][a-z0-9-]*", name or "") else "auto"


def lay_out(data, parts, folder, progress, workers, parallel_min_weight, store=None) -> BuiltPdf:
    """Lay out the chunks not kept from an earlier build (in worker processes for a large
    manual), number the pages, fill in the contents, join."""
    from concurrent.futures import FIRST_COMPLETED, wait

    from printing.pdfworker import render

    started = time.perf_counter()
    store = store if store is not None else PageStore()
    edition = data.edition
    title = f"{edition.manual.title} {edition.manual.agency.name} {edition.display_label}"
    author = edition.manual.agency.name
    sheets = [base_css(), page_css(runhead_text(data), numbers=False)]
    folder_uri = Path(folder).as_uri()
    allowed = (*_allowed_font_urls(), folder_uri)
    salt = digest(LAYOUT_VERSION, *sheets)
    placeholder = toc_html(parts, {p.key: TOC_PLACEHOLDER for p in parts})
    vocabulary = Vocabulary.for_edition(data)
    chunks, toc_at = _chunks(parts, placeholder, salt, folder_uri, vocabulary)
    laid: list[LaidOut | None] = [store.chunk(chunk.key) for chunk in chunks]
    missing = [chunk for chunk, done in zip(chunks, laid, strict=True) if done is None]
    reused = len(chunks) - len(missing)
    index_of = {id(chunk): i for i, chunk in enumerate(chunks)}

    parallel = workers > 1 and sum(c.weight for c in missing) >= parallel_min_weight
    pieces = _split_pieces(missing, 5 * workers if parallel else 1) if missing else []
    progress("layout", sum(p.count for p in laid if p is not None), None)
    executor = _process_pool(workers) if parallel else _InlineExecutor()
    try:
        futures = {
            executor.submit(
                render, piece_html(title, author, [c.html for c in piece]), sheets, allowed
            ): piece
            for piece in pieces
        }
        del pieces, missing
        draft_css = draft_stamp_css(edition)
        draft = None
        if draft_css:  # drawn for every page type there may be, while the pieces are laid out
            draft = executor.submit(
                render, overlay_html(list(DRAFT_TYPES)), [*_draft_sheets(draft_css)], allowed
            )
        numbers = _Numbers(store, executor, allowed)
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                piece = futures[future]
                result = future.result()
                piece_key = digest(*(c.key for c in piece))
                store.keep_pdf(piece_key, result.pdf)
                for chunk, part in zip(
                    piece, _laid_out_chunks(piece_key, result, piece), strict=True
                ):
                    store.keep_chunk(chunk.key, part)
                    laid[index_of[id(chunk)]] = part
            progress("layout", sum(p.count for p in laid if p is not None), None)
            # the page numbers of the pages known from the start on: draw any not kept yet,
            # while later pieces are still being laid out
            numbers.request(laid)
        done: list[LaidOut] = [part for part in laid if part is not None]

        # The contents with the real page numbers: the same number of pages as with the
        # placeholders (checked), so no other page moves.
        anchors = _anchor_pages(done)
        printed = [label(kind, n + 1) for _type, kind, n in _page_labels(done)]
        pages = {name.removeprefix("part-"): page + 1 for name, (page, _x, _y) in anchors.items()}
        labels = {key: printed[page - 1] for key, page in pages.items()}
        toc_chunk = _chunk(toc_html(parts, labels), 1, salt, folder_uri, vocabulary)
        toc = store.chunk(toc_chunk.key)
        if toc is None:
            # in the pool: the parent never loads WeasyPrint for a large manual (memory)
            html = piece_html(title, author, [toc_chunk.html])
            result = executor.submit(render, html, sheets, allowed).result()
            piece_key = digest(toc_chunk.key)
            store.keep_pdf(piece_key, result.pdf)
            toc = _laid_out_chunks(piece_key, result, [toc_chunk])[0]
            store.keep_chunk(toc_chunk.key, toc)
        if toc.count != done[toc_at].count:
            raise RuntimeError("the contents changed length when the page numbers were filled in")
        done[toc_at] = toc
        page_count = sum(part.count for part in done)
        numbers.request(done)
        stamps = numbers.result()
        draft_pages = _draft_pages(draft, done, draft_css, allowed) if draft_css else {}
        progress("writing", page_count, page_count)
        joined_at = time.perf_counter()
        pdf = _join(done, stamps, draft_pages, anchors, store, title, author)
        logger.info(
            "laid out %d of %d chunks (%d pages) in %.2f s, joined in %.2f s",
            len(chunks) - reused,
            len(chunks),
            page_count,
            joined_at - started,
            time.perf_counter() - joined_at,
        )
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return BuiltPdf(
        pdf=pdf,
        page_count=page_count,
        seconds=0.0,
        toc_pages=pages,
        toc_labels=labels,
        chunks=len(chunks),
        chunks_laid_out=len(chunks) - reused,
    )


def _anchor_pages(done: list[LaidOut]) -> dict[str, tuple[int, float, float]]:
    """Every ``part-…`` anchor's 0-based page in the manual and its point on that page."""
    anchors: dict[str, tuple[int, float, float]] = {}
    offset = 0
    for part in done:
        for name, (page, x, y) in part.anchors.items():
            anchors.setdefault(name, (offset + page, x, y))
        offset += part.count
    return anchors


# The page numbers are drawn in blocks of this many numbers of one page type, kept for every
# manual (they hold nothing but the number): a re-export whose pages moved reuses them.
NUMBER_BLOCK = 20
DRAFT_TYPES = ("auto", "wide", "fold", "cover")
NUMBERLESS_TYPES = {"cover"}  # manual.css: @page cover prints no number


def _page_labels(laid):
    """(page type, label kind, 0-based count within the kind) of every page, in print order,
    up to the first chunk not laid out yet: a kind starts where its part's anchor is."""
    kind, counts = "none", {}
    for part in laid:
        if part is None:
            return
        starts = {}
        for name, (page, *_point) in part.anchors.items():
            starts.setdefault(page, name.removeprefix("part-"))
        for index, name in enumerate(part.page_types):
            if index in starts:
                kind = kind_of(starts[index])
            number = counts.get(kind, 0)
            counts[kind] = number + 1
            yield _page_type(name), kind, number


class _Numbers:
    """The label stamps: which blocks the pages need, kept or drawn in the pool."""

    def __init__(self, store: PageStore, executor, allowed) -> None:
        self.store, self.executor, self.allowed = store, executor, allowed
        self.blocks: dict[tuple[str, str, int], object] = {}  # (type, kind, block) -> key/future

    @staticmethod
    def key(page_type: str, kind: str, block: int) -> str:
        return digest(
            LAYOUT_VERSION, "labels", base_css(), OVERLAY_CSS, page_type, kind, str(block)
        )

    def request(self, laid) -> None:
        from printing.pdfworker import render

        for page_type, kind, number in _page_labels(laid):
            block = (page_type, kind, number // NUMBER_BLOCK)
            if block in self.blocks or page_type in NUMBERLESS_TYPES or kind == "none":
                continue
            key = self.key(*block)
            if self.store.pdf(key) is not None:
                self.blocks[block] = key
                continue
            first = block[2] * NUMBER_BLOCK
            labels = [label(kind, first + i + 1) for i in range(NUMBER_BLOCK)]
            html = overlay_html([page_type] * NUMBER_BLOCK, labels)
            css = [base_css(), OVERLAY_CSS]
            self.blocks[block] = self.executor.submit(render, html, css, self.allowed)

    def result(self) -> dict[tuple[str, str, int], str]:
        keys = {}
        for block, value in self.blocks.items():
            if not isinstance(value, str):
                key = self.key(*block)
                self.store.keep_pdf(key, value.result().pdf)
                value = key
            keys[block] = value
        return keys


def _draft_sheets(draft_css: str) -> list[str]:
    return [base_css(), OVERLAY_CSS + NO_NUMBERS_CSS, draft_css]


def _draft_pages(draft, done, draft_css: str, allowed) -> dict[str, bytes]:
    """The draft stamp drawn once per page type: a PDF whose page i is for ``types[i]``."""
    from printing.pdfworker import render

    types = list(DRAFT_TYPES)
    for part in done:
        for name in part.page_types:
            if _page_type(name) not in types:
                types.append(_page_type(name))
    if len(types) > len(DRAFT_TYPES):  # a page type the stamp was not drawn for yet
        piece = render(overlay_html(types), _draft_sheets(draft_css), allowed)
    else:
        piece = draft.result()
    return {"types": types, "pdf": piece.pdf}


def _join(done, stamps, draft_pages, anchors, store, title, author) -> bytes:
    pages, links, bookmarks = [], [], []
    labels = iter(_page_labels(done))
    number = 0
    for part in done:
        for index in range(part.count):
            page_type, kind, count = next(labels)
            block = stamps.get((page_type, kind, count // NUMBER_BLOCK))
            draft = None
            if draft_pages:
                draft = draft_pages["types"].index(page_type)
            stamp = (block, count % NUMBER_BLOCK) if block else None
            pages.append((part.piece, part.first + index, stamp, draft))
            number += 1
        offset = number - part.count
        for page, target, rect in part.links:
            if target in anchors:
                links.append((offset + page, anchors[target], rect))
        bookmarks.extend((offset + page, *rest) for page, *rest in part.bookmarks)
    pdfs = {key: store.pdf(key) for key in {p[0] for p in pages} | set(stamps.values())}
    return join_pages(
        pages,
        pdfs,
        draft_pages.get("pdf"),
        links=links,
        bookmarks=bookmarks,
        title=title,
        author=author,
    )
