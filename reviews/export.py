"""The dashboard's table as CSV (csv module) and XLSX (openpyxl); cells through
``core.spreadsheet`` so that no agency or manual name runs as a formula."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from core.spreadsheet import csv_row, xlsx_append
from reviews.selectors import Dashboard, DashboardRow


def _headers() -> list[str]:
    return [
        _("หน่วยงาน"),
        _("หน่วยงานต้นสังกัด"),
        _("คู่มือ"),
        _("ฉบับปัจจุบัน"),
        _("สถานะ"),
        _("เผยแพร่ล่าสุด"),
        _("ครบกำหนดทบทวน"),
        _("กำหนดทบทวน"),
        _("ความเห็นที่ยังไม่ได้แก้ไข"),
        _("กระบวนการ"),
        _("กระบวนการที่ไม่มีตัวชี้วัด"),
        _("ขั้นตอน"),
        _("ขั้นตอนที่ไม่ระบุผู้รับผิดชอบ"),
        _("ขั้นตอนที่ไม่ระบุระยะเวลา"),
        _("ระยะเวลาที่อ่านไม่ได้"),
    ]


def _due_text(row: DashboardRow) -> str:
    if row.overdue:
        return _("เลยกำหนด")
    if row.due_soon:
        return _("ภายใน ๙๐ วัน")
    if row.next_review_due is None:
        return _("ยังไม่เคยเผยแพร่")
    return _("ตามกำหนด")


def _values(row: DashboardRow) -> list:
    agency = row.manual.agency
    health = row.health
    return [
        agency.name,
        agency.parent.name if agency.parent_id else "",
        row.manual.title,
        row.current.display_label if row.current else "",
        row.current.get_status_display() if row.current else _("ยังไม่มีฉบับ"),
        row.published.published_on if row.published else None,
        row.next_review_due,
        _due_text(row),
        row.open_comments,
        health.processes,
        health.processes_without_indicators,
        health.steps,
        health.steps_without_lane,
        health.steps_without_duration,
        health.unparsed_durations,
    ]


def dashboard_csv(board: Dashboard) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Thai text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    for row in board.rows:
        writer.writerow(csv_row(_values(row)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def dashboard_xlsx(board: Dashboard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("คู่มือ")
    xlsx_append(sheet, _headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    overdue = PatternFill("solid", fgColor="F8D7DA")
    soon = PatternFill("solid", fgColor="FFF3CD")
    for row in board.rows:
        xlsx_append(sheet, _values(row))
        fill = overdue if row.overdue else soon if row.due_soon else None
        if fill is not None:
            for cell in sheet[sheet.max_row]:
                cell.fill = fill
    for column in ("F", "G"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKLMNO", (34, 30, 24, 22, 16, 12, 12, 16), strict=False):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
