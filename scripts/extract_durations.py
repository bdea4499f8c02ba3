"""Extract every step-duration cell (the ระยะเวลา column) from the seed manuals.

Dev-time only: the project never reads the seeds at run or test time. This script writes
``tests/data/seed_durations.tsv`` (columns ``seed``, ``text``; one line per cell, duplicates
kept), which the duration parser's tests and ``scripts/measure_durations.py`` then use.

Usage::

    python scripts/extract_durations.py [SEEDS_DIR] [-o OUTPUT]

Layouts handled:

* tab-separated tables (seeds 000 and 002): a header line with a cell that reads
  ``ระยะเวลา`` (optionally followed by a unit, e.g. ``ระยะเวลา วัน`` in Table 4) starts a
  table; the following lines up to a blank line or a heading are rows, and the cell in the
  header's column is the duration. This covers Table 3 (Flow | … | ระยะเวลา | …), Table 4
  (ระยะเวลา | จำนวนผู้ปฏิบัติงาน | lanes …) and Table 5 (ที่ | ผังกระบวนการ | ระยะเวลา | …) of
  seed 000 and the step tables (ลำดับที่ | ผังกระบวนการ | ระยะเวลา | …) of seed 002.
* HTML ``<table>`` elements whose first row has a ``ระยะเวลา`` header cell.

Inside a cell, HTML paragraphs/list items/line breaks become newlines and other tags are
dropped, so a cell that wrapped keeps its line breaks; spacing inside a line is kept as written
(the parser must cope with it).
"""

from __future__ import annotations

import argparse
import csv
import html
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

SEEDS = ("000", "002")
REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS_DIR = REPO.parent / "shared" / "seeds"
DEFAULT_OUTPUT = REPO / "tests" / "data" / "seed_durations.tsv"

HEADER_RE = re.compile(r"^\s*ระยะเวลา(\s*\(?\s*(วัน|ชั่วโมง|นาที)\s*\)?)?\s*$")
BLOCK_TAG_RE = re.compile(r"</?(p|li|br|div|ul|ol|tr)\b[^>]*>", re.IGNORECASE)
TAG_RE = re.compile(r"<[^>]+>")


def clean_cell(raw: str) -> str:
    """Turn a table cell (possibly holding HTML) into plain text, one line per paragraph."""
    text = BLOCK_TAG_RE.sub("\n", raw)
    text = TAG_RE.sub("", text)
    text = html.unescape(text)
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def header_column(cells: list[str]) -> int | None:
    """Index of the duration column if this tab-separated line is a step-table header."""
    if len(cells) < 3:
        return None
    for i, cell in enumerate(cells):
        if HEADER_RE.match(cell):
            return i
    return None


def extract_tsv_tables(text: str) -> list[str]:
    """Duration cells of the tab-separated tables in a seed file."""
    out: list[str] = []
    column: int | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            column = None
            continue
        cells = line.split("\t")
        found = header_column(cells)
        if found is not None:
            column = found
            continue
        if column is None or "\t" not in line or column >= len(cells):
            continue
        cell = clean_cell(cells[column])
        if cell:
            out.append(cell)
    return out


class _TableParser(HTMLParser):
    """Collect the rows (lists of cell HTML) of every top-level <table>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tables: list[list[list[str]]] = []
        self.depth = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.tables.append([])
                return
        if self.depth == 1 and tag == "tr":
            self.row = []
        elif self.depth == 1 and tag in ("td", "th"):
            self.cell = []
        elif self.cell is not None:
            self.cell.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth -= 1
        if self.depth == 1 and tag in ("td", "th") and self.cell is not None:
            if self.row is not None:
                self.row.append("".join(self.cell))
            self.cell = None
        elif self.depth == 1 and tag == "tr" and self.row is not None:
            self.tables[-1].append(self.row)
            self.row = None
        elif self.cell is not None:
            self.cell.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def extract_html_tables(text: str) -> list[str]:
    """Duration cells of HTML tables whose first row has a ระยะเวลา header."""
    parser = _TableParser()
    parser.feed(text)
    out: list[str] = []
    for rows in parser.tables:
        if not rows:
            continue
        header = [clean_cell(c) for c in rows[0]]
        column = next((i for i, c in enumerate(header) if HEADER_RE.match(c)), None)
        if column is None:
            continue
        for row in rows[1:]:
            if column < len(row):
                cell = clean_cell(row[column])
                if cell:
                    out.append(cell)
    return out


def extract(seeds_dir: Path) -> list[tuple[str, str]]:
    """(seed, cell text) for every duration cell of the seeds 000 and 002."""
    rows: list[tuple[str, str]] = []
    for seed in SEEDS:
        path = next(seeds_dir.glob(f"{seed}_*.txt"))
        text = path.read_text(encoding="utf-8")
        for cell in extract_tsv_tables(text) + extract_html_tables(text):
            rows.append((seed, cell))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds_dir", nargs="?", type=Path, default=DEFAULT_SEEDS_DIR)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    rows = extract(args.seeds_dir)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["seed", "text"])
        writer.writerows(rows)
    distinct = len({text for _, text in rows})
    for seed in SEEDS:
        n = sum(1 for s, _ in rows if s == seed)
        print(f"seed {seed}: {n} cells")
    print(f"total: {len(rows)} cells, {distinct} distinct -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
