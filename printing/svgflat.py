"""Makes Graphviz's text-as-outlines SVG cheap for WeasyPrint to draw.

``dot -Tsvg:cairo`` writes every glyph once as a ``<symbol>`` and places each occurrence with
``<use x= y=>``. WeasyPrint computes a bounding box for every ``<use>`` of a symbol and parses
the glyph's path again each time, which made the charts most of the PDF's drawing time. Here
each run of glyphs is replaced by one ``<path>`` with the glyph outlines moved into place: the
same shapes, drawn with a fraction of the work; the symbols, no longer used, are dropped, and
coordinates are kept to 0.1 pt. Anything unexpected leaves the SVG unchanged.
"""

from __future__ import annotations

import re

_SYMBOL_RE = re.compile(rb'<symbol[^>]*\bid="([^"]+)"[^>]*>(.*?)</symbol>', re.S)
_PATH_D_RE = re.compile(rb'<path[^>]*\bd="([^"]*)"[^>]*/>')
_USE_RE = re.compile(rb'<use xlink:href="#([^"]+)" x="([-\d.e]+)" y="([-\d.e]+)"/>')
_USE_RUN_RE = re.compile(rb'(?:<use xlink:href="#[^"]+" x="[-\d.e]+" y="[-\d.e]+"/>\s*)+')
_TOKEN_RE = re.compile(rb"[MLCZ]|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")


def _glyphs(svg: bytes) -> dict[bytes, list[tuple[bytes, ...]]] | None:
    glyphs: dict[bytes, list[tuple[bytes, ...]]] = {}
    for match in _SYMBOL_RE.finditer(svg):
        d = b" ".join(_PATH_D_RE.findall(match.group(2)))
        tokens = _TOKEN_RE.findall(d)
        if b"".join(tokens).translate(None, b"MLCZ0123456789.-+e") or not _only_known(d):
            return None
        glyphs[match.group(1)] = tokens
    return glyphs


def _only_known(d: bytes) -> bool:
    return not re.search(rb"[ABD-KN-Ya-df-z]", d)  # absolute M, L, C, Z (and exponents)


def _moved(tokens, dx: float, dy: float) -> bytes:
    out = []
    is_x = True
    for token in tokens:
        if token in (b"M", b"L", b"C", b"Z"):
            out.append(token.decode())
            is_x = True
            continue
        value = float(token) + (dx if is_x else dy)
        out.append(f"{value:.1f}")  # 0.1 pt: finer than print shows, and less to parse
        is_x = not is_x
    return " ".join(out).encode()


def flatten_glyphs(svg: bytes) -> bytes:
    """The same drawing with glyph ``<use>`` runs turned into single paths."""
    glyphs = _glyphs(svg)
    if not glyphs:
        return svg

    def run(match: re.Match) -> bytes:
        parts = []
        for use in _USE_RE.finditer(match.group(0)):
            tokens = glyphs.get(use.group(1))
            if tokens is None:
                return match.group(0)
            if tokens:
                parts.append(_moved(tokens, float(use.group(2)), float(use.group(3))))
        if not parts:
            return b""
        return b'<path style="stroke:none;" d="' + b" ".join(parts) + b'"/>\n'

    try:
        flat = _USE_RUN_RE.sub(run, svg)
    except ValueError:
        return svg
    if b"<use" not in flat:
        # every glyph is drawn in place now: the symbols need not be parsed again
        flat = _SYMBOL_RE.sub(b"", flat)
    return flat
