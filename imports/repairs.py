"""Repairs of extraction artefacts, each one reported (before → after), never silent.

- A word split by a line wrap ("ผู้อำนวยกา รส่วน", "การเงิน- และบัญชี" with "- " inside a word)
  is joined when PyThaiNLP's dictionary reads a word across the break and the joined text
  segments into fewer words than its two halves.
- Letters of another script inside a Thai word (OCR: "คুমยอดเงิน") are not changed: they are
  flagged with a suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_THAI = "\u0e01-\u0e4e"
_GAP = re.compile(rf"([{_THAI}]+)(-?)[ \u00a0]+([{_THAI}]+)")
# Characters that never begin a Thai word: a space before them is always an artefact.
_NO_START = set("ะัาำิีึืฺุู็่้๊๋์ํ๎")
_FOREIGN = re.compile(
    rf"(?<=[{_THAI}])[\u0980-\u09ff\u0900-\u097f\u0e80-\u0eff\u0400-\u04ff\u0370-\u03ff]+"
    rf"|[\u0980-\u09ff\u0900-\u097f\u0e80-\u0eff\u0400-\u04ff\u0370-\u03ff]+(?=[{_THAI}])"
)
_LOOKALIKE = str.maketrans(
    {
        "ু": "ุ",
        "ূ": "ู",
        "ম": "ม",
        "ক": "ก",
        "ব": "บ",
        "র": "ร",
        "ল": "ล",
        "ন": "น",
        "ত": "ต",
        "ি": "ิ",
        "ী": "ี",
        "া": "า",
        "ে": "เ",
        "ໍ": "ํ",
        "າ": "า",
        "ນ": "น",
        "ມ": "ม",
        "ບ": "บ",
        "ດ": "ด",
        "ກ": "ก",
        "ງ": "ง",
        "ຍ": "ย",
        "ອ": "อ",
        "ວ": "ว",
        "ລ": "ล",
        "ຂ": "ข",
    }
)


@dataclass
class Repair:
    kind: str  # "wrap" | "ocr"
    before: str
    after: str


@lru_cache(maxsize=1)
def _dictionary() -> frozenset:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


@lru_cache(maxsize=200_000)
def _tokens(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=False))


def _joins(left: str, right: str) -> bool:
    if right[0] in _NO_START:
        return True
    words = _dictionary()
    joined = left + right
    if joined in words and len(joined) >= 4:
        return True
    tokens = _tokens(joined)
    position = 0
    spans = False
    for token in tokens:
        end = position + len(token)
        if position < len(left) < end and token in words and len(token) >= 3:
            spans = True
            break
        position = end
    if not spans:
        return False
    return len(tokens) <= len(_tokens(left)) + len(_tokens(right)) - 1


def join_wraps(text: str) -> tuple[str, list[Repair]]:
    """Join the words a line wrap split; the repairs made, for the report."""
    if not text or " " not in text:
        return text, []
    repairs: list[Repair] = []
    out: list[str] = []
    last = 0
    pos = 0
    while True:
        match = _GAP.search(text, pos)
        if not match:
            break
        left, dash, right = match.group(1), match.group(2), match.group(3)
        # Only the pieces next to the gap matter: the last ≤ 12 letters and the first ≤ 12.
        lpiece, rpiece = left[-12:], right[:12]
        if _joins(lpiece, rpiece):
            start = match.start(2) if dash else match.end(1)
            out.append(text[last:start])
            last = match.start(3)
            before = (lpiece + dash + " " + rpiece).strip()
            repairs.append(Repair("wrap", before, lpiece + rpiece))
            pos = match.start(3)
        else:
            pos = match.start(3)
    if not repairs:
        return text, []
    out.append(text[last:])
    return "".join(out), repairs


def ocr_suspects(text: str) -> list[Repair]:
    """Letters of other scripts inside Thai words, each with a suggested Thai spelling."""
    if not text:
        return []
    found = []
    for match in _FOREIGN.finditer(text):
        start = max(0, match.start() - 8)
        end = min(len(text), match.end() + 8)
        context = text[start:end]
        suggestion = context.translate(_LOOKALIKE)
        suggestion = _FOREIGN.sub("", suggestion) if _FOREIGN.search(suggestion) else suggestion
        found.append(Repair("ocr", context.strip(), suggestion.strip()))
    return found
