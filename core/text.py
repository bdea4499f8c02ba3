"""Cleaning of text typed, pasted or imported by users: one place for every form and importer.

Word and PDF readers put control characters on the clipboard (vertical tab for a manual line
break, form feed for a page break, NUL, zero-width marks). Saved as they are, they print as
empty boxes. ``clean_user_text`` turns the meaningful ones into their plain equivalent and drops
the rest, keeping every Thai character (combining vowels and tone marks are not controls).
"""

from __future__ import annotations

import re
import unicodedata

# Characters that stand for a line or page break in Word / PDF clipboards.
_LINE_BREAKS = {"\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
# Invisible format characters with no meaning in a Thai manual (kept: none of Thai's own marks).
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def clean_user_text(value: str, *, multiline: bool = True) -> str:
    """Return ``value`` without control characters: tab → space, VT/FF → new line, CRLF → LF.

    With ``multiline=False`` line breaks also become spaces (single-line fields). Leading and
    trailing white space of the whole value is removed; inner spacing is kept as typed.
    """
    if not value:
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    for char, replacement in _LINE_BREAKS.items():
        text = text.replace(char, replacement)
    text = text.replace("\t", " ")
    text = "".join(ch for ch in text if ch not in _INVISIBLE)
    text = _CONTROL.sub("", text)
    # Unassigned or private-use code points print as boxes too.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cn", "Co", "Cs"})
    if not multiline:
        text = re.sub(r"\s*\n\s*", " ", text)
    return text.strip()
