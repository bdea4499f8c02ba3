"""Laying out one stretch of the printed manual: plain data in, PDF bytes out.

Runs in the worker processes of ``printing.layout`` (and in-process for a small manual). It
imports neither Django nor the database: it gets the HTML, the CSS and the font files it may
read, and hands back the PDF with what the parent needs to join the stretches and number the
pages: each page's size and page type, and the page every ``part-…`` anchor landed on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

PX_TO_PT = 0.75  # WeasyPrint's CSS px -> PDF points


@dataclass
class Piece:
    pdf: bytes
    sizes: list[tuple[float, float]]  # (width, height) in points, per page
    page_types: list[str]  # the @page name of every page ("" for the default page)
    anchors: dict[str, int] = field(default_factory=dict)  # "part-…" id -> 0-based page

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


def render(html: str, stylesheets: list[str], allowed_urls: tuple[str, ...]) -> Piece:
    """Lay out and write one HTML document. The same FontConfiguration goes to CSS() and
    write_pdf(), or WeasyPrint ignores @font-face and Thai comes out as boxes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from core.pdftext import install_thai_text_mapping

    install_thai_text_mapping()
    fetcher = _url_fetcher(allowed_urls)
    font_config = FontConfiguration()
    sheets = [CSS(string=s, font_config=font_config, url_fetcher=fetcher) for s in stylesheets]
    document = HTML(string=html, url_fetcher=fetcher, base_url="about:blank").render(
        stylesheets=sheets, font_config=font_config
    )
    sizes, page_types, anchors = [], [], {}
    for index, page in enumerate(document.pages):
        sizes.append((round(page.width * PX_TO_PT, 2), round(page.height * PX_TO_PT, 2)))
        page_type = getattr(getattr(page, "_page_box", None), "page_type", None)
        page_types.append(getattr(page_type, "name", "") or "")
        for name in page.anchors:
            if name.startswith("part-") and name not in anchors:
                anchors[name] = index
    pdf = document.write_pdf()
    del document, sheets, font_config
    _release_memory()
    return Piece(pdf=pdf, sizes=sizes, page_types=page_types, anchors=anchors)


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
