"""The manuals citing a law, as CSV and XLSX for the planners.

A cell that starts with = + - @ (or a tab / carriage return) would run as a formula in a
spreadsheet: such text is written with a leading apostrophe in CSV and as a string cell in XLSX.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from core.thai import thai_digits
from search.library import Citation

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet never evaluates (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _headers() -> list[str]:
    return [
        _("หน่วยงาน"),
        _("หน่วยงานต้นสังกัด"),
        _("คู่มือ"),
        _("ฉบับ"),
        _("สถานะ"),
        _("กระบวนการ"),
        _("ข้อ/มาตราที่เกี่ยวข้อง"),
        _("อ้างไว้ว่า"),
    ]


def _values(citation: Citation) -> list[str]:
    edition = citation.edition
    agency = edition.manual.agency
    return [
        agency.name,
        agency.parent.name if agency.parent_id else "",
        edition.manual.title,
        edition.display_label,
        edition.get_status_display(),
        thai_digits(f"{citation.number} {citation.process.name}"),
        citation.row.clause_note,
        citation.row.citation,
    ]


def citations_csv(citations: list[Citation]) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Thai text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    for citation in citations:
        writer.writerow([safe_cell(v) for v in _values(citation)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def citations_xlsx(citations: list[Citation]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("คู่มือที่อ้างถึง")[:31]
    sheet.append(_headers())
    for citation in citations:
        sheet.append(_values(citation))
        for cell in sheet[sheet.max_row]:
            # Store as a string cell: openpyxl would otherwise turn "=…" into a formula.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
