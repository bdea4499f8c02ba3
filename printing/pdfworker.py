"""Laying out one stretch of the printed manual: plain data in, PDF bytes out.

Runs in the worker processes of ``printing.layout`` (and in-process for a small manual). It
imports neither Django nor the database: it gets the HTML, the CSS and the font files it may
read, and hands back the PDF with what the parent needs to join the stretches and number the
pages: each page's size and page type, where every ``part-…`` anchor landed, the internal links
(the contents' entries: their targets are in other stretches) and the bookmarks, so the joined
manual gets working links and one outline.

A worker keeps the parsed stylesheets and the font configuration of the last few stylesheet
sets: every stretch of a manual uses the same ones, so the CSS is parsed and Sarabun loaded once
per worker, not once per stretch.
"""

from __future__ import annotations

import atexit
import functools
import logging
from dataclasses import dataclass, field

PX_TO_PT = 0.75  # WeasyPrint's CSS px -> PDF points


class _OtherPieceAnchors(logging.Filter):
    """A contents entry links to a part laid out in another piece, by design: WeasyPrint's
    "No anchor #part-…" is not an error here (``printing.join`` adds those links)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("No anchor #")


logging.getLogger("weasyprint").addFilter(_OtherPieceAnchors())
# a worker has no Django logging: WeasyPrint's warnings stay out of its stderr, as in the parent
logging.getLogger("weasyprint").setLevel(logging.ERROR)


@dataclass
class Piece:
    pdf: bytes
    sizes: list[tuple[float, float]]  # (width, height) in points, per page
    page_types: list[str]  # the @page name of every page ("" for the default page)
    anchors: dict[str, int] = field(default_factory=dict)  # "part-…" id -> 0-based page
    # "part-…" id -> (x, y) in PDF points (from the page's bottom left)
    anchor_points: dict[str, tuple[float, float]] = field(default_factory=dict)
    # (0-based page, target id, (x0, y0, x1, y1) in PDF points) of every internal link
    links: list[tuple[int, str, tuple[float, ...]]] = field(default_factory=list)
    # (0-based page, level, label, x, y in PDF points), in document order
    bookmarks: list[tuple[int, int, str, float, float]] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.sizes)


@functools.cache
def _url_fetcher(allowed: tuple[str, ...]):
    """Only inline (data:) images and files under the given ``file:`` URLs (our fonts, the
    charts of this export): user text can never make WeasyPrint fetch anything else."""
    from weasyprint.urls import URLFetcher

    class ManualFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            ok = url.startswith("data:") or (
                ".." not in url and any(url == a or url.startswith(a + "/") for a in allowed)
            )
            if not ok:
                raise ValueError("external resources are not allowed in the printed manual")
            return super().fetch(url, headers)

    return ManualFetcher(allowed_protocols={"data", "file"})


@functools.lru_cache(maxsize=4)
def _stylesheets(stylesheets: tuple[str, ...], allowed_urls: tuple[str, ...]):
    """The parsed stylesheets and their FontConfiguration, kept for the next stretch."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _url_fetcher(allowed_urls)
    font_config = FontConfiguration()
    sheets = [CSS(string=s, font_config=font_config, url_fetcher=fetcher) for s in stylesheets]
    return font_config, sheets


def render(html: str, stylesheets: list[str], allowed_urls: tuple[str, ...]) -> Piece:
    """Lay out and write one HTML document. The same FontConfiguration goes to CSS() and
    write_pdf(), or WeasyPrint ignores @font-face and Thai comes out as boxes."""
    from weasyprint import HTML

    from core.pdftext import install_thai_text_mapping

    install_thai_text_mapping()
    fetcher = _url_fetcher(allowed_urls)
    font_config, sheets = _stylesheets(tuple(stylesheets), allowed_urls)
    document = HTML(string=html, url_fetcher=fetcher, base_url="about:blank").render(
        stylesheets=sheets, font_config=font_config
    )
    piece = Piece(pdf=b"", sizes=[], page_types=[])
    for index, page in enumerate(document.pages):
        width, height = page.width * PX_TO_PT, page.height * PX_TO_PT
        piece.sizes.append((round(width, 2), round(height, 2)))
        page_type = getattr(getattr(page, "_page_box", None), "page_type", None)
        piece.page_types.append(getattr(page_type, "name", "") or "")
        for name, point in page.anchors.items():  # (x1, y1, x2, y2) in CSS px
            if name.startswith("part-") and name not in piece.anchors:
                piece.anchors[name] = index
                piece.anchor_points[name] = _point(point[:2], height)
        for link_type, target, rect, _box in page.links:  # rect: (x1, y1, x2, y2) in CSS px
            if link_type == "internal":
                x0, y1 = _point(rect[:2], height)
                x1, y0 = _point(rect[2:], height)
                piece.links.append((index, target, (x0, y0, x1, y1)))
        for level, label, point, _state in page.bookmarks:
            # the outline shows the heading as typed: no zero-width space of the word breaks
            label = label.replace("\u200b", "")
            piece.bookmarks.append((index, level, label, *_point(point, height)))
    piece.pdf = document.write_pdf()
    del document
    _release_memory()
    return piece


# dropped before the interpreter tears WeasyPrint down (its FontConfiguration.__del__ needs it)
atexit.register(_stylesheets.cache_clear)


def _point(point, page_height_pt: float) -> tuple[float, float]:
    """A point in CSS px from the page's top left, in PDF points from its bottom left."""
    x, y = point
    return (round(x * PX_TO_PT, 2), round(page_height_pt - y * PX_TO_PT, 2))


def _release_memory() -> None:
    """Give the freed layout memory back to the system: a worker lays out several pieces,
    and without this it would keep the largest one's memory to the end."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    # not glibc: the memory is still reused by the next piece, just not returned
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
