"""Word-level diff of two Thai texts (difflib on PyThaiNLP tokens), for the edition compare
view (reviews) and the history of a process (processes): both floors above core use it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from core.thai import thai_words

_SPACE_RE = re.compile(r"(\s+)")


def word_tokens(text: str | None) -> list[str]:
    """Thai word tokens with the whitespace between them kept, so they join back to the text."""
    out: list[str] = []
    for part in _SPACE_RE.split(text or ""):
        if not part:
            continue
        if part.isspace():
            out.append(part)
        else:
            out.extend(thai_words(part))
    return out


def _join(pieces: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((p,) for p in pieces))


@dataclass
class WordDiff:
    old_html: SafeString  # the old text with removed words in <del>
    new_html: SafeString  # the new text with added words in <ins>
    inline_html: SafeString  # one text: <del>old words</del><ins>new words</ins>
    removed_words: list[str]
    added_words: list[str]


def diff_words(old: str | None, new: str | None) -> WordDiff:
    """Word-level diff of two texts (difflib on PyThaiNLP tokens)."""
    a, b = word_tokens(old), word_tokens(new)
    left: list[SafeString] = []
    right: list[SafeString] = []
    inline: list[SafeString] = []
    removed: list[str] = []
    added: list[str] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(escape(old_text))
            right.append(escape(new_text))
            inline.append(escape(new_text))
            continue
        if old_text:
            removed.extend(t for t in a[i1:i2] if not t.isspace())
            tag = format_html('<del class="diff-del">{}</del>', old_text)
            left.append(tag)
            inline.append(tag)
        if new_text:
            added.extend(t for t in b[j1:j2] if not t.isspace())
            tag = format_html('<ins class="diff-ins">{}</ins>', new_text)
            right.append(tag)
            inline.append(tag)
    return WordDiff(_join(left), _join(right), _join(inline), removed, added)


def diff_words_brief(old: str | None, new: str | None, *, context: int = 12) -> SafeString:
    """One text with <del>/<ins> words, long unchanged runs shortened to their first and last
    ``context`` tokens around "…": a change at the end of a long คำนำ is seen at once."""
    a, b = word_tokens(old), word_tokens(new)
    pieces: list[SafeString] = []
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            same = b[j1:j2]
            head = same[:context] if index else []
            tail = same[-context:] if index < len(opcodes) - 1 else []
            if len(same) <= len(head) + len(tail) + 1:
                pieces.append(escape("".join(same)))
            else:
                pieces.append(
                    format_html('{}<span class="diff-gap">…</span>{}', "".join(head), "".join(tail))
                )
            continue
        if i2 > i1:
            pieces.append(format_html('<del class="diff-del">{}</del>', "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(format_html('<ins class="diff-ins">{}</ins>', "".join(b[j1:j2])))
    return _join(pieces)
