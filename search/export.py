"""The manuals citing a law, as CSV and XLSX for the planners (cells through
``core.spreadsheet``: no text runs as a formula)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from core.spreadsheet import csv_row, xlsx_append
from core.thai import thai_digits
from search.library import Citation


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
        writer.writerow(csv_row(_values(citation)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def citations_xlsx(citations: list[Citation]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("คู่มือที่อ้างถึง")[:31]
    xlsx_append(sheet, _headers())
    for citation in citations:
        xlsx_append(sheet, _values(citation))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
