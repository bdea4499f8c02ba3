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

import math
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
    """Each expected text (a heading, a step's detail) that is not in the text layer verbatim.

    A table row taller than the rest of a page goes on over the page break: its cell's text
    then reads as a head on one page and the rest on the next (the other cells of the row,
    the page's foot and the next page's head come between). That is found too, so a text is
    missing only when some of it is printed nowhere."""
    whole = squeeze("".join(pages))
    squeezed = [squeeze(page) for page in pages]
    return [
        Finding("missing", 0, text[:80])
        for text in expected
        if squeeze(text) not in whole and not _split_over_pages(squeeze(text), squeezed)
    ]


def _split_over_pages(text: str, pages: list[str]) -> bool:
    return any(_goes_on(text, pages, index) for index in range(len(pages) - 1))


def _goes_on(text: str, pages: list[str], index: int) -> bool:
    """``text`` starts on page ``index`` and ends on one of the pages after it."""
    longest = 0  # the longest head of ``text`` on this page (a shorter head is there too)
    while longest < len(text) - 1 and text[: longest + 1] in pages[index]:
        longest += 1
    # the break is at the end of the longest head or a little before it (a head's last
    # letters may also be found elsewhere on the page); a head shorter than a line is no
    # evidence of anything
    for cut in range(longest, max(_MIN_HEAD - 1, longest - 60), -1):
        rest = text[cut:]
        if rest in pages[index + 1]:
            return True
        # a cell taller than a whole page: its middle fills the next page
        if cut >= _PAGE_OF_ONE_CELL and index + 2 < len(pages) and _goes_on(rest, pages, index + 1):
            return True
    return False


_MIN_HEAD = 8  # letters: about the shortest line a cell ends a page with
_PAGE_OF_ONE_CELL = 300  # fewer letters than one table cell holds down a whole page


_LATIN_RE = re.compile(r"[A-Za-z]")


def arabic_digits(pages: list[str]) -> list[Finding]:
    """An Arabic digit in Thai text: in a Thai word ("ที่3"), or a number that follows a Thai
    word ("ขั้นตอนที่ 3"). A number after a Latin word keeps its digits (ISO 9001)."""
    found = []
    for number, page in enumerate(pages, start=1):
        for line in page.splitlines():
            tokens = line.split()
            for index, token in enumerate(tokens):
                if not _DIGIT_RE.search(token):
                    continue
                before = tokens[index - 1] if index else ""
                thai = _THAI_RE.search(token) or (
                    not _LATIN_RE.search(token)
                    and _THAI_RE.search(before)
                    and not _LATIN_RE.search(before)
                )
                if thai:
                    found.append(Finding("arabic-digit", number, token))
    return found


def broken_words(pages: list[str], vocabulary) -> list[Finding]:
    """Every line that ends inside one of the manual's words (a ``printing.wordbreak``
    ``Vocabulary``), but between the segments of a word too wide for its column."""
    from printing.wordbreak import breaks_inside

    found = []
    for number, page in enumerate(pages, start=1):
        for _index, where in breaks_inside(page.split("\n"), vocabulary):
            found.append(Finding("broken-word", number, where))
    return found


# WeasyPrint writes one operator a line: "a b c d e f Tm", "/F1 12 Tf", "[…] TJ".
_OPS_RE = re.compile(
    rb"^(?:(?P<tm>(?:[-\d.]+ ){6})Tm|/\S+ (?P<tf>[-\d.]+) Tf|.*(?P<show>TJ|Tj))$", re.M
)
PX = 0.75  # WeasyPrint draws in CSS px: every page starts with "0.75 0 0 0.75 0 0 cm"
MIN_TEXT_PT = 9.0


def _content(page) -> bytes:
    """A page's content streams, decoded, without pypdf merging and encoding them again."""
    contents = page.get("/Contents")
    if contents is None:
        return b""
    objects = contents.get_object()
    objects = list(objects) if isinstance(objects, list) else [objects]
    return b"\n".join(obj.get_object().get_data() for obj in objects)


def text_sizes(path: Path) -> list[list[float]]:
    """The size in points of every text run, page by page (the PDF's own fonts sizes: Tf times
    the text matrix's scale; the page-number overlay, a form of its own, is not read)."""
    from pypdf import PdfReader

    sizes = []
    for page in PdfReader(str(path)).pages:
        data = _content(page)
        scale, size, runs = 1.0, 0.0, []
        for match in _OPS_RE.finditer(data):
            if match.group("tm"):
                a, b = (float(x) for x in match.group("tm").split()[:2])
                scale = math.hypot(a, b)
            elif match.group("tf"):
                size = float(match.group("tf"))
            else:
                runs.append(round(size * scale * PX, 2))
        sizes.append(runs)
    return sizes


def small_text(path: Path, minimum: float = MIN_TEXT_PT) -> list[Finding]:
    found = []
    for number, runs in enumerate(text_sizes(path), start=1):
        small = sorted({size for size in runs if size < minimum - 0.05})
        if small:
            found.append(Finding("small-text", number, ", ".join(f"{s:g} pt" for s in small)))
    return found


def near_empty_pages(path: Path, pages: list[str], share: float = 0.25) -> list[Finding]:
    """A table page that continues a table ("(ต่อ)" in its head) and holds less than ``share``
    of its height in text before the next table or the end: a start/end row or a table's last
    rows alone on a page."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    found = []
    for number, (page, text) in enumerate(zip(reader.pages, pages, strict=False), start=1):
        heads = [line for line in text.splitlines() if "(ต่อ)" in line and "ตารางที่" in line]
        if not heads or number == len(pages):
            continue
        head = heads[0]
        height = float(page.mediabox.height)
        data = _content(page)
        ys = [float(m.group("tm").split()[5]) * PX for m in _OPS_RE.finditer(data) if m.group("tm")]
        # the running heads sit in the top margin (about 17 mm), the body below it
        body = [y for y in ys if y > 20 * 72 / 25.4]
        top, bottom = 17 * 72 / 25.4, height - 14 * 72 / 25.4
        used = (max(body) - top) / (bottom - top) if body else 0.0
        if used < share:
            found.append(Finding("near-empty", number, f"{used:.0%} used: {head[:60]}"))
    return found


def check_pdf(path: Path, *, expected: list[str] = (), vocabulary=None) -> list[Finding]:
    """Every finding of the checks above on the PDF at ``path``."""
    pages = pages_text(path)
    return [
        *missing_texts(pages, list(expected)),
        *arabic_digits(pages),
        *(broken_words(pages, vocabulary) if vocabulary is not None else []),
        *small_text(path),
        *near_empty_pages(path, pages),
    ]
