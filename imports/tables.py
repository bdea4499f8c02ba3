"""Tables as they come off a clipboard or out of a text extraction: rows of plain-text cells.

Two sources, one result (a list of rows, each a list of cell strings):

- ``parse_html_tables(html)``: the ``text/html`` a browser puts on the clipboard when a table is
  copied from Word, a PDF reader or a web page (also the ``<table>`` blocks of Markdown
  extractions). Merged cells are expanded so every row has one cell per column: the text stays
  in the first cell of the merge, the cells it covers are empty (so no character is counted
  twice).
- ``parse_tsv(text)``: ``text/plain`` as Word and Excel put it on the clipboard (cells separated
  by tabs, rows by new lines, a cell with a line break or a tab in double quotes with ``""`` for
  a quote) and as the seed extractions write table rows (HTML ``<p>``/``<li>``/``<div>``/
  ``<br>`` inside a cell).

Cell text keeps its paragraphs and list items on separate lines; everything else of the HTML
(styles, spans, attributes) is dropped, entities are decoded.
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

from core.text import clean_user_text

# Elements whose start or end begins a new line inside a cell.
_BLOCK = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "dt",
    "dd",
}
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_LOOKS_HTML = re.compile(r"<\s*/?\s*(p|div|li|ul|ol|br|b|i|u|span|strong|em|pre|table)\b", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")


def _tidy(text: str) -> str:
    """Collapse runs of spaces inside each line; drop empty lines; trim."""
    text = clean_user_text(text.replace("\t", " "))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def cell_text(fragment: str) -> str:
    """Plain text of one cell's HTML (or of plain text): blocks and ``<br>`` become new lines."""
    if not fragment:
        return ""
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment)
    text = _BREAK.sub("\n", fragment)

    def _tag(match: re.Match[str]) -> str:
        return "\n" if match.group(1).lower() in _BLOCK else ""

    if _LOOKS_HTML.search(text) or _TAG.search(text):
        text = _TAG.sub(_tag, text)
    return _tidy(html_lib.unescape(text))


class _TableParser(HTMLParser):
    """Collects every ``<table>``: rows of (text, colspan, rowspan); nested tables flattened
    into the text of the cell holding them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._stack: list[dict] = []  # open tables (innermost last)

    @staticmethod
    def _span(attrs, name: str) -> int:
        for key, value in attrs:
            if key == name:
                try:
                    return max(1, min(int(str(value).strip() or 1), 1000))
                except ValueError:
                    return 1
        return 1

    def _cell(self):
        if self._stack and self._stack[-1]["cell"] is not None:
            return self._stack[-1]["cell"]
        return None

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag == "table":
            outer = self._cell()
            self._stack.append({"rows": [], "row": None, "cell": None, "outer": outer})
            return
        if not self._stack:
            return
        table = self._stack[-1]
        if tag == "tr":
            self._close_row(table)
            table["row"] = []
        elif tag in ("td", "th"):
            self._close_cell(table)
            if table["row"] is None:
                table["row"] = []
            table["cell"] = {
                "parts": [],
                "colspan": self._span(attrs, "colspan"),
                "rowspan": self._span(attrs, "rowspan"),
            }
        elif tag == "br" or tag in _BLOCK:
            self._text("\n")

    def handle_startendtag(self, tag, attrs):
        if tag.lower() == "br":
            self._text("\n")
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if not self._stack:
            return
        table = self._stack[-1]
        if tag == "table":
            self._close_row(table)
            self._stack.pop()
            rows = table["rows"]
            if table["outer"] is not None:  # a table inside a cell: its text joins the cell
                text = "\n".join(" ".join(t for t, _, _ in row if t) for row in rows)
                table["outer"]["parts"].append("\n" + text + "\n")
            else:
                self.tables.append(rows)
        elif tag in ("td", "th"):
            self._close_cell(table)
        elif tag == "tr":
            self._close_row(table)
        elif tag in _BLOCK:
            self._text("\n")

    def handle_data(self, data):
        self._text(data)

    def _text(self, data: str) -> None:
        cell = self._cell()
        if cell is not None:
            cell["parts"].append(data)

    def _close_cell(self, table) -> None:
        cell = table["cell"]
        if cell is None:
            return
        text = _tidy("".join(cell["parts"]))
        table["row"].append((text, cell["colspan"], cell["rowspan"]))
        table["cell"] = None

    def _close_row(self, table) -> None:
        self._close_cell(table)
        if table["row"] is not None:
            table["rows"].append(table["row"])
            table["row"] = None

    def close(self):
        super().close()
        while self._stack:
            self.handle_endtag("table")


def _expand_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Lay merged cells out on a grid: text in the top-left cell, the covered cells empty."""
    grid: list[list[str | None]] = []
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for text, colspan, rowspan in row:
            line = grid[r]
            while c < len(line) and line[c] is not None:
                c += 1
            for dr in range(rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < c + colspan:
                    target.append(None)
                for dc in range(colspan):
                    target[c + dc] = text if (dr == 0 and dc == 0) else ""
            c += colspan
    width = max((len(row) for row in grid), default=0)
    return [[cell or "" for cell in row] + [""] * (width - len(row)) for row in grid]


def parse_html_table_list(html: str) -> list[list[list[str]]]:
    """Every top-level ``<table>`` of ``html``, each as rows of cell texts."""
    parser = _TableParser()
    parser.feed(html or "")
    parser.close()
    return [_expand_spans(rows) for rows in parser.tables if rows]


def parse_html_tables(html: str) -> list[list[str]]:
    """The rows of every table in ``html`` (in document order), each a list of cell texts.

    The clipboard of one copied table holds one ``<table>``; several are concatenated."""
    rows: list[list[str]] = []
    for table in parse_html_table_list(html):
        rows.extend(table)
    return rows


def _split_tsv(text: str) -> list[list[str]]:
    """Split clipboard text into rows of raw cells, honouring Excel/Word double quotes."""
    rows: list[list[str]] = []
    row: list[str] = []
    i, n = 0, len(text)
    while i <= n:
        if i < n and text[i] == '"':
            # A quoted cell only when the closing quote is followed by a tab, a new line or the
            # end; otherwise the quote is part of the text (“ and " are common in manuals).
            j, parts, closed = i + 1, [], False
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        parts.append('"')
                        j += 2
                        continue
                    if j + 1 >= n or text[j + 1] in "\t\n\r":
                        closed = True
                    break
                parts.append(text[j])
                j += 1
            if closed:
                row.append("".join(parts))
                i = j + 1
                if i < n and text[i] == "\t":
                    i += 1
                    if i == n:
                        row.append("")
                        break
                    continue
                # end of row (or text)
                if i < n and text[i] == "\r":
                    i += 1
                if i < n and text[i] == "\n":
                    i += 1
                rows.append(row)
                row = []
                if i >= n:
                    break
                continue
        # an unquoted cell: up to the next tab or new line
        j = i
        while j < n and text[j] not in "\t\n":
            j += 1
        row.append(text[i:j].rstrip("\r"))
        if j >= n:
            rows.append(row)
            break
        if text[j] == "\t":
            i = j + 1
            if i == n:
                row.append("")
                rows.append(row)
                break
            continue
        rows.append(row)
        row = []
        i = j + 1
        if i >= n:
            break
    return rows


def parse_tsv(text: str) -> list[list[str]]:
    """Rows of cell texts from tab-separated text (clipboard ``text/plain`` or extracted rows).

    Lines with no tab are rows of one cell; blank lines are dropped. HTML inside a cell becomes
    its text with one line per paragraph or list item."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows = []
    for raw in _split_tsv(text):
        cells = [cell_text(cell) for cell in raw]
        if any(cells):
            rows.append(cells)
    return rows


def parse_clipboard(*, html: str = "", text: str = "") -> list[list[str]]:
    """What a paste gives: the HTML table when there is one, else the tab-separated text."""
    if html and "<table" in html.lower():
        rows = parse_html_tables(html)
        if rows:
            return rows
    return parse_tsv(text or (cell_text(html) if html else ""))
