"""Cells of every CSV/XLSX export, written so that a spreadsheet never runs them as formulas.

A text cell that starts with ``= + - @`` (or a tab / carriage return) is evaluated by Excel,
LibreOffice and Google Sheets (OWASP "CSV injection"): an agency named ``=HYPERLINK(...)``
would become a live link in a planner's dashboard export. Every export writes its rows through
``csv_row`` / ``xlsx_append``:

- CSV: such text gets a leading apostrophe (the spreadsheet shows it as text);
- XLSX: every text cell is a string cell (openpyxl would otherwise store ``=…`` as a formula)
  and a risky one also carries Excel's "quote prefix" style, so it stays text when edited.

Numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import datetime

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: object) -> bool:
    """Whether a spreadsheet would read ``value`` as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: object) -> object:
    """One CSV cell: dates as ISO text, ``None`` empty, risky text behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if is_risky(value):
        return "'" + value
    return value


def csv_row(values) -> list:
    return [csv_cell(value) for value in values]


def xlsx_append(sheet, values) -> int:
    """Append ``values`` as a row of ``sheet`` with every text cell stored as text; returns the
    row's number."""
    sheet.append(list(values))
    row = sheet.max_row
    for cell in sheet[row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if is_risky(cell.value):
                cell.quotePrefix = True
    return row
