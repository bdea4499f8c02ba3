"""Joining the laid-out pieces and numbering their pages.

Every piece is laid out without page numbers. Once the pieces before it are done, a piece's
first page number is known and an overlay of the same pages holding only the Thai page numbers
(``counter(page, thai)`` from that number on, and the draft stamp) is drawn; ``join`` then puts
the pieces' pages in order with each overlay page drawn on its page as a form XObject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.thai import thai_digits
from printing.parts import css_string


@dataclass
class BuiltPdf:
    pdf: bytes
    page_count: int
    seconds: float
    html: str = ""  # the single-document HTML (for the Chromium comparison in bench/)
    toc_pages: dict[str, int] = field(default_factory=dict)  # part key -> printed page


OVERLAY_CSS = """
@page { @top-right { content: none; } }
@page wide { @top-left { content: none; } @top-right { content: none; } }
.pg { break-before: page; }
.pg:first-child { break-before: auto; }
"""


def overlay_html(page_types: list[str]) -> str:
    """One empty page per page of the manual, of the same @page type: only the margin boxes
    (the page number) are drawn."""
    divs = []
    for name in page_types:
        name = name if re.fullmatch(r"[a-z][a-z0-9-]*", name or "") else "auto"
        divs.append(f'<div class="pg" style="page: {name}"></div>')
    return "<!doctype html><html><body>" + "".join(divs) + "</body></html>"


def overlay_css(first_number: int) -> str:
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


def join_pieces(pieces, overlays, title: str, author: str) -> bytes:
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
