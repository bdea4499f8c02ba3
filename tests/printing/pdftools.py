"""Reading PDFs back with poppler-utils (pdftotext, pdfinfo, pdffonts) for the printing tests."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


def pages_text(path: Path, *, layout: bool = False) -> list[str]:
    """The text of every page in drawing order (``pdftotext -raw``: a table cell's lines stay
    together), one string per page; ``layout=True`` keeps columns side by side instead."""
    mode = "-layout" if layout else "-raw"
    out = subprocess.run(
        ["pdftotext", mode, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def page_sizes(path: Path) -> list[tuple[float, float]]:
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "100000", str(path)], capture_output=True, check=True
    ).stdout.decode()
    return [
        (float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    ]


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def fonts(path: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return rows


def skeleton(text: str) -> str:
    """Text reduced to what survives PDF extraction: no whitespace, no Thai marks (pdftotext
    reorders them and splits sara am), Thai digits as they are."""
    text = text.replace("\u0e33", "\u0e32")
    return "".join(
        ch
        for ch in text
        if not ch.isspace() and unicodedata.category(ch) != "Mn" and ch != "\u0e4d"
    )


def thai_int(text: str) -> int:
    return int("".join(str(THAI_DIGITS.index(c)) for c in text))


def page_layout_text(path: Path, number: int) -> str:
    """One page's text with its layout kept (columns side by side), 1-based page number."""
    return subprocess.run(
        [
            "pdftotext",
            "-layout",
            "-enc",
            "UTF-8",
            "-f",
            str(number),
            "-l",
            str(number),
            str(path),
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
