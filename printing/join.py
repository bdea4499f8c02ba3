"""Joining the laid-out pieces and numbering their pages.

Every piece is laid out without page numbers. The numbers are drawn on stamp pages holding
only the Thai page number (``counter(page, thai)``), in blocks of numbers per page type that
every manual shares; a draft's "ฉบับร่าง" mark is drawn once per page type. ``join_pages`` puts
the pages in order with their stamps drawn on them as form XObjects, links the contents'
entries to their pages and builds the outline from the bookmarks of every page.
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
    chunks: int = 0  # the stretches the manual was cut into (each starts on a fresh page)
    chunks_laid_out: int = 0  # how many of them this build laid out (the rest were kept)


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


NO_NUMBERS_CSS = """
@page { @bottom-center { content: none; } }
@page wide { @bottom-center { content: none; } }
@page fold { @bottom-center { content: none; } }
"""


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


def join_pages(
    pages, pdfs: dict[str, bytes], draft_pdf: bytes | None, *, links, bookmarks, title, author
) -> bytes:
    """The manual's pages in order. ``pages``: for each, (its PDF's key in ``pdfs``, the page
    there, (the key of its number block, the page there) or None, the page of ``draft_pdf`` or
    None).
    The number stamp and the draft stamp are drawn on the page as form XObjects (qpdf copies
    the pages and their shared fonts once per source, without decoding their content).
    ``links``: (page, (target page, x, y), rect) for the contents' entries; ``bookmarks``:
    (page, level, label, x, y) in document order, nested by level into the outline."""
    import io

    import pikepdf
    from pikepdf import Array, Dictionary, Name, OutlineItem

    out = pikepdf.Pdf.new()
    sources = {key: pikepdf.Pdf.open(io.BytesIO(data)) for key, data in pdfs.items()}
    if draft_pdf:
        sources["draft"] = pikepdf.Pdf.open(io.BytesIO(draft_pdf))
    forms: dict[tuple, object] = {}

    def form(source: str, index: int):
        """The stamp page as a form XObject of ``out``, made once (None if it draws nothing)."""
        if (source, index) not in forms:
            page = pikepdf.Page(sources[source].pages[index])
            forms[source, index] = (
                out.copy_foreign(page.as_form_xobject()) if _draws(page) else None
            )
        return forms[source, index]

    push = out.make_stream(b"q\n")
    for source, index, number, draft_index in pages:
        out.pages.append(sources[source].pages[index])
        page = out.pages[-1].obj
        _drop_internal_links(page)
        stamps = [form(*number)] if number is not None else []
        if draft_index is not None and draft_pdf:
            stamps.append(form("draft", draft_index))
        stamps = [stamp for stamp in stamps if stamp is not None]
        if not stamps:
            continue
        # the page's resources may be shared with other pages: a copy gets the stamps
        resources = Dictionary(dict(page.Resources.items()) if "/Resources" in page else {})
        xobjects = dict(resources.XObject.items()) if "/XObject" in resources else {}
        calls = b""
        for number, stamp in enumerate(stamps):
            xobjects[f"/ManualStamp{number}"] = stamp
            calls += f"q /ManualStamp{number} Do Q\n".encode()
        resources.XObject = Dictionary(xobjects)
        page.Resources = resources
        contents = page.get("/Contents")
        existing = list(contents) if isinstance(contents, Array) else [contents]
        # the piece's own streams are kept as they are (not decoded and joined)
        page.Contents = Array(
            [push, *[c for c in existing if c is not None], out.make_stream(b"\nQ\n" + calls)]
        )

    for page, (target, x, y), rect in links:
        annot = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array(rect),
            Border=Array([0, 0, 0]),
            Dest=Array([out.pages[target].obj, Name.XYZ, x, y, 0]),
        )
        obj = out.pages[page].obj
        if "/Annots" not in obj:
            obj.Annots = Array()
        obj.Annots.append(out.make_indirect(annot))
    with out.open_outline() as outline:
        parents: list[tuple[int, OutlineItem]] = []  # (level, item) of the open branches
        for page, level, label, x, y in bookmarks:
            while parents and parents[-1][0] >= level:
                parents.pop()
            item = OutlineItem(label, page, "XYZ", left=x, top=y)
            (parents[-1][1].children if parents else outline.root).append(item)
            parents.append((level, item))
    out.docinfo["/Title"] = title
    out.docinfo["/Author"] = author
    out.docinfo["/Creator"] = "BMA work manuals"
    buffer = io.BytesIO()
    # the pieces' streams are compressed already: copied as they are, not decoded again
    out.save(buffer, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return buffer.getvalue()


def _draws(page) -> bool:
    import pikepdf

    contents = page.obj.get("/Contents")
    if contents is None:
        return False
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return any(stream.read_bytes().strip() for stream in streams)


def _drop_internal_links(page) -> None:
    """Link annotations inside the document are dropped: the piece a page was laid out in
    could not resolve them; ``join_pages`` adds the contents' links again."""
    from pikepdf import Array, Name

    annots = page.get("/Annots")
    if annots is None:
        return
    kept = Array()
    for annot in annots:
        action = annot.get("/A")
        if "/Dest" in annot or (action is not None and action.get("/S") == Name.GoTo):
            continue
        kept.append(annot)
    if len(kept):
        page.Annots = kept
    else:
        del page.Annots
