"""User text made safe for DOT, measured in Sarabun and wrapped at Thai word boundaries."""

from __future__ import annotations

import functools
import unicodedata

from core.fonts import sarabun_file

ELLIPSIS = "…"
LABEL_MAX_CHARS = 240  # a chart label; the full text stays in the tooltip
TOOLTIP_MAX_CHARS = 4000


def clean(text: str | None) -> str:
    """Only characters that are valid XML and printable: control/format characters dropped,
    every kind of line break and tab turned into a space, runs of spaces collapsed."""
    if not text:
        return ""
    out: list[str] = []
    for ch in str(text):
        code = ord(ch)
        if ch in "\t\n\r\v\f\x85\u2028\u2029":
            out.append(" ")
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and ch != "\u200b"):
            continue
        if 0xFFFE <= code <= 0xFFFF or 0xD800 <= code <= 0xDFFF:
            continue
        out.append(ch)
    return " ".join("".join(out).replace("\u200b", " ").split())


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def dot_quote(text: str) -> str:
    """A DOT double-quoted string that Graphviz shows literally.

    Backslashes are doubled (Graphviz would read ``\\n``, ``\\N``, ``\\G`` … as escapes), quotes
    escaped, and ``&`` written as ``&amp;`` because Graphviz decodes entities in labels and
    tooltips. ``text`` must already be ``clean``; ``\\n`` joins lines is added by callers.
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;") + '"'


def dot_lines(lines: list[str]) -> str:
    """Several cleaned lines as one quoted DOT label (centred lines)."""
    return '"' + "\\n".join(dot_quote(line)[1:-1] for line in lines) + '"'


# ----------------------------------------------------------------------------- measuring


@functools.cache
def _metrics() -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(sarabun_file(), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = {code: hmtx[name][0] for code, name in cmap.items()}
    return widths, font["head"].unitsPerEm


@functools.lru_cache(maxsize=8192)
def text_width(text: str, size: float) -> float:
    """Advance width of ``text`` in points, set in Sarabun at ``size`` points (no kerning; Thai
    marks have no advance)."""
    widths, upem = _metrics()
    fallback = widths.get(ord("ก"), 600)
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
            total += widths.get(ord(ch), 0)
            continue
        total += widths.get(ord(ch), fallback)
    return total * size / upem


def _split_long(word: str, max_width: float, size: float) -> list[str]:
    """Cut a word wider than a line into pieces, never separating a base from its marks."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        is_base = not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn"
        if current and is_base and text_width(current + ch, size) > max_width:
            pieces.append(current)
            current = ""
        current += ch
    if current:
        pieces.append(current)
    return pieces


@functools.lru_cache(maxsize=4096)
def wrap(text: str, max_width: float, size: float, max_lines: int = 0) -> tuple[str, ...]:
    """``text`` (cleaned) wrapped at Thai word boundaries into lines at most ``max_width`` points
    wide; with ``max_lines`` the last kept line ends in "…"."""
    from core.thai import wrap_thai

    if not text:
        return ("",)
    # the widest character count whose lines all fit, measured in Sarabun
    chars = max(4, int(max_width / (0.40 * size)))
    lines: list[str] = []
    while True:
        lines = [line.strip() for line in wrap_thai(text, chars) if line.strip()]
        if chars <= 4 or all(text_width(line, size) <= max_width for line in lines):
            break
        chars = max(4, chars - max(1, chars // 12))
    lines = _fix_brackets(lines)
    fitted: list[str] = []
    for line in lines:
        if text_width(line, size) <= max_width:
            fitted.append(line)
        else:
            fitted.extend(_split_long(line, max_width, size))
    if max_lines and len(fitted) > max_lines:
        last = fitted[max_lines - 1]
        while last and text_width(last + ELLIPSIS, size) > max_width:
            last = last[:-1]
        fitted = [*fitted[: max_lines - 1], last.rstrip() + ELLIPSIS]
    return tuple(fitted) or ("",)


_OPENING = "([{\"'“‘"
_CLOSING = ")]}\"'”’,.;:ฯๆ"


def _fix_brackets(lines: list[str]) -> list[str]:
    """Keep an opening bracket with the word after it and closing punctuation with the word
    before it (the word segmenter makes them words of their own)."""
    out = list(lines)
    for i in range(len(out) - 1):
        while out[i] and out[i][-1] in _OPENING and out[i + 1]:
            out[i], out[i + 1] = out[i][:-1].rstrip(), out[i][-1] + out[i + 1]
        while out[i + 1] and out[i + 1][0] in _CLOSING and out[i]:
            out[i], out[i + 1] = out[i] + out[i + 1][0], out[i + 1][1:].lstrip()
    return [line for line in out if line]
