"""Makes Graphviz's text-as-outlines SVG cheap for WeasyPrint to draw.

``dot -Tsvg:cairo`` writes every glyph once as a ``<symbol>`` and places each occurrence with
``<use x= y=>``. WeasyPrint computes a bounding box for every ``<use>`` of a symbol and parses
the glyph's path again each time, which made the charts most of the PDF's drawing time. Here
each run of glyphs is replaced by one ``<path>`` with the glyph outlines moved into place: the
same shapes, drawn with a fraction of the work; the symbols, no longer used, are dropped, and
each glyph's outline is written once in relative commands, so placing it costs one absolute
point (and the points stay within 0.01 pt). Anything unexpected leaves the SVG unchanged.
"""

from __future__ import annotations

import functools
import re

_SYMBOL_RE = re.compile(rb'<symbol[^>]*\bid="([^"]+)"[^>]*>(.*?)</symbol>', re.S)
_PATH_D_RE = re.compile(rb'<path[^>]*\bd="([^"]*)"[^>]*/>')
_USE_RE = re.compile(rb'<use xlink:href="#([^"]+)" x="([-\d.e]+)" y="([-\d.e]+)"/>')
_USE_RUN_RE = re.compile(rb'(?:<use xlink:href="#[^"]+" x="[-\d.e]+" y="[-\d.e]+"/>\s*)+')
_TOKEN_RE = re.compile(rb"[MLCZ]|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")


_ARITY = {b"M": 2, b"L": 2, b"C": 6, b"Z": 0}


def _glyphs(svg: bytes) -> dict[bytes, tuple[int, int, bytes] | None] | None:
    """Every glyph symbol as (start x, start y, the rest of its outline in relative commands),
    coordinates in hundredths of a point; None for an empty glyph."""
    glyphs: dict[bytes, tuple[int, int, bytes] | None] = {}
    for match in _SYMBOL_RE.finditer(svg):
        glyph = _glyph(b" ".join(_PATH_D_RE.findall(match.group(2))))
        if glyph is False:
            return None
        glyphs[match.group(1)] = glyph
    return glyphs


@functools.lru_cache(maxsize=8192)
def _glyph(d: bytes) -> tuple[int, int, bytes] | None | bool:
    """A glyph's outline made relative (``_relative``), or False if it is not one we know. The
    same glyph has the same outline in every chart: each is converted once per process."""
    tokens = _TOKEN_RE.findall(d)
    if b"".join(tokens).translate(None, b"MLCZ0123456789.-+e") or not _only_known(d):
        return False
    try:
        return _relative(tokens)
    except (ValueError, IndexError, KeyError):
        return False


def _only_known(d: bytes) -> bool:
    return not re.search(rb"[ABD-KN-Ya-df-z]", d)  # absolute M, L, C, Z (and exponents)


def _relative(tokens) -> tuple[int, int, bytes] | None:
    """The outline with every point after the first relative to the one before, in whole
    hundredths of a point: moving the glyph then only moves its first point, and the points
    stay within 0.01 pt of where they were (each step is exact in hundredths)."""
    if not tokens:
        return None
    if tokens[0] != b"M":
        raise ValueError("a glyph outline that does not start with M")
    commands, index = [], 0
    while index < len(tokens):
        op = tokens[index]
        arity = _ARITY[op]
        index += 1
        while True:
            values = [round(float(v) * 100) for v in tokens[index : index + arity]]
            if len(values) != arity:
                raise ValueError("a path command short of numbers")
            commands.append((op, values))
            index += arity
            # numbers after a command's own repeat it (after M: as L)
            if arity == 0 or index >= len(tokens) or tokens[index] in _ARITY:
                break
            op = b"L" if op == b"M" else op
    (_op, (x0, y0)), rest = commands[0], commands[1:]
    cur = start = (x0, y0)
    out = []
    for op, values in rest:
        if op == b"Z":
            out.append("z")
            cur = start
            continue
        deltas = [v - cur[i % 2] for i, v in enumerate(values)]
        out.append(op.decode().lower() + " ".join(_hundredths(v) for v in deltas))
        cur = (values[-2], values[-1])
        if op == b"M":
            start = cur
    return x0, y0, " ".join(out).encode()


def _hundredths(value: int) -> str:
    text = f"{value / 100:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _moved(glyph: tuple[int, int, bytes], dx: float, dy: float) -> bytes:
    x0, y0, rest = glyph
    return f"M{x0 / 100 + dx:.2f} {y0 / 100 + dy:.2f} ".encode() + rest


def flatten_glyphs(svg: bytes) -> bytes:
    """The same drawing with glyph ``<use>`` runs turned into single paths."""
    glyphs = _glyphs(svg)
    if not glyphs:
        return svg

    def run(match: re.Match) -> bytes:
        parts = []
        for use in _USE_RE.finditer(match.group(0)):
            name = use.group(1)
            if name not in glyphs:
                return match.group(0)
            if glyphs[name] is not None:
                parts.append(_moved(glyphs[name], float(use.group(2)), float(use.group(3))))
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
