"""User text made safe for DOT, measured in Sarabun and wrapped at Thai word boundaries."""

from __future__ import annotations

import functools
import unicodedata

from core.escaping import dot_escstring
from core.fonts import sarabun_file, sarabun_safe

ELLIPSIS = "…"
LABEL_MAX_CHARS = 400  # a chart label (Step.label); the full text stays in the tooltip
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
    return sarabun_safe(" ".join("".join(out).replace("\u200b", " ").split()))


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def dot_quote(text: str) -> str:
    """A DOT double-quoted string that Graphviz shows literally.

    See ``core.escaping.dot_escstring`` (backslashes, quotes, entities; labels and tooltips).
    ``text`` must already be ``clean``; the ``\\n`` that joins lines is added by callers.
    """
    return '"' + dot_escstring(text) + '"'


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


def _is_mark(ch: str) -> bool:
    return bool(unicodedata.combining(ch)) or unicodedata.category(ch) == "Mn"


def _cells(text: str) -> int:
    return sum(0 if _is_mark(ch) else 1 for ch in text)


@functools.cache
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


@functools.lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    """Word tokens (PyThaiNLP ``newmm``, spaces kept), with the abbreviations it cuts apart
    glued back: "สง" + "ม." -> "สงม.", "ผอ." + "กอง" -> "ผอ.กอง", "จพง" + "." -> "จพง."."""
    from pythainlp.tokenize import word_tokenize

    out: list[str] = []
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if not token:
            continue
        prev = out[-1] if out else ""
        glue = (
            prev
            and not prev.isspace()
            and not token.isspace()
            and _cells(prev + token) <= 12
            and (
                token.startswith(".")
                or (token.endswith(".") and _cells(token) <= 3 and _cells(prev) <= 3)
                or (prev.endswith(".") and _cells(token) <= 3)
            )
        )
        if glue:
            out[-1] = prev + token
        else:
            out.append(token)
    return tuple(out)


def _clusters(word: str) -> list[str]:
    """Thai character clusters (never split inside one), or single characters with marks."""
    from pythainlp.tokenize import subword_tokenize

    pieces = [piece for piece in subword_tokenize(word, engine="tcc") if piece]
    if "".join(pieces) == word:
        return pieces
    out: list[str] = []
    for ch in word:
        if out and _is_mark(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _split_long(word: str, max_width: float, size: float) -> list[str]:
    """Cut a word wider than a line: at the longest dictionary word that fits when there is one
    ("คณะกรรมการอำนวยการ" -> "คณะกรรมการ" + "อำนวยการ"), else after the most clusters that
    fit. Never between a letter and its marks."""
    pieces: list[str] = []
    words = _dictionary()
    rest = word
    while rest and text_width(rest, size) > max_width:
        clusters = _clusters(rest)
        cut = 0
        fitting = 0
        prefix = ""
        for cluster in clusters[:-1]:
            prefix += cluster
            if text_width(prefix, size) > max_width:
                break
            fitting = len(prefix)
            if prefix in words and _cells(prefix) >= 2:
                cut = len(prefix)
        cut = cut or fitting or len(clusters[0])
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


@functools.lru_cache(maxsize=4096)
def wrap(text: str, max_width: float, size: float, max_lines: int = 0) -> tuple[str, ...]:
    """``text`` (cleaned) wrapped at Thai word boundaries into lines at most ``max_width`` points
    wide (measured in Sarabun); with ``max_lines`` the last kept line ends in "…"."""
    if not text:
        return ("",)
    lines: list[str] = []
    current = ""
    space = ""
    for token in _tokens(text):
        if token.isspace():
            space = " " if current else ""
            continue
        candidate = current + space + token
        if text_width(candidate, size) <= max_width:
            current, space = candidate, ""
            continue
        if current:
            lines.append(current)
        current, space = "", ""
        if text_width(token, size) <= max_width:
            current = token
        else:
            *full, current = _split_long(token, max_width, size)
            lines.extend(full)
    if current:
        lines.append(current)
    lines = _fix_brackets(lines)
    fitted: list[str] = []
    for line in lines:
        if text_width(line, size) <= max_width:
            fitted.append(line)
        else:  # a bracket moved onto a full line: cut it again
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
