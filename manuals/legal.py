"""Matching the many ways one law is spelled to one entry of the shared legal library."""

from __future__ import annotations

import re
import unicodedata

from core.thai import arabic_digits, thai_words

_YEAR = re.compile(r"(?:พ\.?\s*ศ\.?|ปี)\s*(\d{4})")
_AMEND = re.compile(r"(และ)?\s*(ที่)?\s*แก้ไข\s*เพิ่มเติม.*$|\(.*?แก้ไข.*?\)")
_NOISE = re.compile(r"[\s\-–—.,;:()\"'“”‘’]+")


def normalise_title(text: str) -> str:
    """A comparison key: no spaces, punctuation, amendment note or year; Arabic digits."""
    text = unicodedata.normalize("NFC", arabic_digits(text or ""))
    text = _AMEND.sub("", text)
    text = _YEAR.sub("", text)
    text = re.sub(r"^[\-•\s]+", "", text)
    return _NOISE.sub("", text).lower()


def split_citation(text: str) -> tuple[str, int | None, str]:
    """Split "ระเบียบ… พ.ศ. ๒๕๒๖ และที่แก้ไขเพิ่มเติม" into (title, 2526, "และที่แก้ไขเพิ่มเติม")."""
    raw = re.sub(r"^[\-•\s]+", "", (text or "").strip())
    plain = arabic_digits(raw)
    amendment = ""
    match = re.search(r"(และ\s*ที่\s*แก้ไข\s*เพิ่มเติม.*|\(ฉบับที่.*\))\s*$", plain)
    if match:
        amendment = re.sub(r"\s+", "", match.group(1)) if "ที่แก้ไข" in match.group(1) else ""
        amendment = "และที่แก้ไขเพิ่มเติม" if amendment else match.group(1).strip()
        plain = plain[: match.start()].strip()
    year = None
    match = re.search(r"พ\.?\s*ศ\.?\s*(\d{4})\s*$", plain)
    if match:
        year = int(match.group(1))
        plain = plain[: match.start()].strip()
    return re.sub(r"\s+", " ", plain), year, amendment


def legal_search_text(title: str, spellings: list[str]) -> str:
    """Words of the title and of every known spelling, space-separated, for search."""
    words: list[str] = []
    for text in [title, *spellings]:
        for word in thai_words(arabic_digits(text)):
            word = word.strip().lower()
            if word and word not in words:
                words.append(word)
    return " ".join(words)
