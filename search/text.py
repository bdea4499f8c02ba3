"""How text becomes searchable: one normal form for documents and queries alike.

- Thai and Arabic digits are equal (๒๕๖๐ = 2560), case is folded, NFC, zero-width removed.
- ``search_words``: PyThaiNLP (newmm) word tokens, punctuation dropped, for word matches.
- ``search_compact``: the text without spaces or punctuation, for spacing-tolerant substring
  matches ("ยืมเงิน" inside "การยืมเงิน", "แบบ ง. ๑๐๑" = "แบบง.101").
- ``word_similarity``: trigram similarity of a query with the best-matching stretch of a text
  (as PostgreSQL's pg_trgm ``word_similarity``), for small misspellings.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import escape
from itertools import accumulate

from core.thai import thai_words

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
MAX_QUERY_CHARS = 200


# Letters, digits and combining marks (Thai vowels and tones are marks, not \w), less the Thai
# signs that are punctuation here (ฯ ๆ ๏ ๚ ๛ ฿); a regex, so whole texts are filtered in C.
_KEEP_RE = re.compile(
    r"(?:(?![_\u0e2f\u0e46\u0e4f\u0e5a\u0e5b\u0e3f])[\w\u0e00-\u0e7f\u0300-\u036f])+"
)


_RARE_RE = re.compile("[\u0e50-\u0e59\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_RARE_TABLE = {**_ZERO_WIDTH, **str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")}


def normalise(text: str | None) -> str:
    """NFC, Arabic digits, lower case, no zero-width characters; same length per character."""
    text = unicodedata.normalize("NFC", str(text or ""))
    # Translating only the (rare) runs of Thai digits / zero-width characters is much faster
    # than translating whole texts.
    text = _RARE_RE.sub(lambda m: m.group().translate(_RARE_TABLE), text)
    return text.lower()


def search_compact(text: str | None, *, normalised: bool = False) -> str:
    """Letters, marks and digits only: spacing and punctuation never matter."""
    return "".join(_KEEP_RE.findall(text if normalised else normalise(text)))


@lru_cache(maxsize=100_000)
def _line_words(line: str) -> tuple[str, ...]:
    out = []
    for token in thai_words(line):
        word = "".join(_KEEP_RE.findall(token))
        if word:
            out.append(word)
    return tuple(out)


def search_words(text: str | None, *, normalised: bool = False) -> list[str]:
    """Word tokens (PyThaiNLP newmm) in order, each reduced to letters, marks and digits.

    Segmented line by line, with a cache: manuals repeat many lines (standards, actors,
    durations, shared district manuals), so a rebuild tokenises each distinct line once.
    """
    out: list[str] = []
    for line in (text or "" if normalised else normalise(text)).splitlines():
        if line.strip():
            out.extend(_line_words(line))
    return out


def clean_query(raw: str | None) -> str:
    """What a user typed, made safe to search: no control characters (NUL), bounded length."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(raw or ""))
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(max(len(text) - 2, 0))} or ({text} if text else set())


def word_similarity(query: str, text: str) -> float:
    """Share of the query's trigrams found in the best stretch of ``text`` of the query's
    length (both compacted), like pg_trgm's ``word_similarity``; 1.0 when it occurs as is."""
    if not query or not text:
        return 0.0
    if query in text:
        return 1.0
    wanted = _trigrams(query)
    # hit[i]: the trigram starting at i is one of the query's (found with str.find, in C);
    # the best window of the query's length is read off prefix sums.
    hit = bytearray(max(len(text) - 2, 0))
    for gram in wanted:
        index = text.find(gram)
        while index != -1:
            hit[index] = 1
            index = text.find(gram, index + 1)
    starts = [i for i, h in enumerate(hit) if h] if len(hit) < 64 else _starts(hit)
    if not starts:
        return 0.0
    prefix = list(accumulate(hit, initial=0))
    width = max(len(query), 1)
    best = max(prefix[min(i + width, len(hit))] - prefix[i] for i in starts)
    return min(best, len(wanted)) / len(wanted)


def _starts(hit: bytearray) -> list[int]:
    out, index = [], hit.find(1)
    while index != -1:
        out.append(index)
        index = hit.find(1, index + 1)
    return out


def _compact_map(text: str) -> tuple[str, list[int]]:
    """The compact form of ``text`` and, per compact character, its index in ``text``."""
    chars, where = [], []
    for match in _KEEP_RE.finditer(normalise(text)):
        chars.append(match.group())
        where.extend(range(match.start(), match.end()))
    return "".join(chars), where


def _needle_spans(text: str, needles: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, needle) of every occurrence of each compact needle, as indexes of text."""
    compact, where = _compact_map(text)
    spans = []
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        start = compact.find(needle)
        while start != -1:
            end = start + len(needle) - 1
            spans.append((where[start], where[end] + 1, needle))
            start = compact.find(needle, start + len(needle))
    return spans


def _best_window(text: str, needles: list[str], width: int) -> int:
    """Where a snippet of ``width`` shows the most different needles (the first such place);
    one pass with a sliding window over the sorted occurrences."""
    spans = sorted(_needle_spans(text, needles))
    counts: dict[str, int] = {}
    best, best_start, left = -1, 0, 0
    for _start, end, needle in spans:
        counts[needle] = counts.get(needle, 0) + 1
        while end - spans[left][0] > width:
            gone = spans[left][2]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
            left += 1
        if len(counts) > best:
            best, best_start = len(counts), spans[left][0]
    return best_start


def match_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Where the (compact) needles occur in ``text``, as merged (start, end) indexes of text."""
    if len(normalise(text)) != len(text):  # NFC changed lengths: cannot map back safely
        return []
    spans = [(s, e) for s, e, _n in _needle_spans(text, needles)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, needles: list[str], *, width: int = 160) -> tuple[str, bool]:
    """An HTML-escaped snippet of ``text`` around its first match, matches in <mark>.

    ``needles`` are compact strings, the whole query first, then its words.

    Returns (html, matched). User text is escaped piece by piece, never trusted.
    """
    text = " ".join(str(text or "")[:1500].split())
    # The whole phrase where it occurs; only where it does not, its separate words (single
    # letters left out: they would light up everywhere).
    if len(normalise(text)) != len(text):  # NFC changed lengths: cannot map back safely
        needles = []
    phrase, words = needles[:1], [n for n in needles[1:] if len(n) > 1]
    spans = match_spans(text, phrase)
    if not spans:
        spans = match_spans(text, words)
        phrase = words
    if not spans:
        snippet = text[:width] + ("…" if len(text) > width else "")
        return escape(snippet), False
    first = _best_window(text, phrase, width * 2 // 3)
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    out = ["…" if start > 0 else ""]
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out), True
