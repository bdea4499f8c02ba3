"""The round's progress reports in the shape of ก.ก.'s form (แบบแสดงรายงานความก้าวหน้า):
report number, date, what happened, progress in per cent, on plan or behind. XLSX (openpyxl)
and PDF (WeasyPrint with Sarabun, always in Thai: it is an official record)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.fonts import sarabun_file
from core.spreadsheet import xlsx_append
from core.thai import format_thai_date
from rounds.models import ProgressReport, Round


def _on_plan(report: ProgressReport) -> str:
    return _("เป็นไปตามแผน") if report.on_plan else _("ล่าช้ากว่าแผน")


def reports_xlsx(*, round: Round, reports: list[ProgressReport], progress) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    with translation.override("th"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("รายงานความก้าวหน้า")
        xlsx_append(sheet, [str(round)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([_("ความก้าวหน้า ณ วันนี้ (ร้อยละ)"), float(progress.percent)])
        sheet.append([])
        headers = [
            _("รายงานครั้งที่"),
            _("วันที่รายงาน"),
            _("ผลการดำเนินงาน"),
            _("ความก้าวหน้าของงาน (ร้อยละ)"),
            _("ตามแผน (ร้อยละ)"),
            _("เทียบกับแผน"),
        ]
        xlsx_append(sheet, headers)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for report in reports:
            row = xlsx_append(
                sheet,
                [
                    report.number,
                    report.reported_on,
                    report.narrative,
                    float(report.percent),
                    float(report.planned_percent),
                    _on_plan(report),
                ],
            )
            sheet.cell(row=row, column=2).number_format = "yyyy-mm-dd"
            sheet.cell(row=row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
            sheet.cell(row=row, column=4).number_format = "0.00"
            sheet.cell(row=row, column=5).number_format = "0.00"
        for column, width in zip("ABCDEF", (14, 14, 80, 18, 14, 16), strict=True):
            sheet.column_dimensions[column].width = width
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def _font_css() -> str:
    faces = []
    for style, weight in (("Regular", 400), ("Bold", 700)):
        faces.append(
            "@font-face { font-family: 'Sarabun'; "
            f"src: url('{sarabun_file(style).as_uri()}'); font-weight: {weight}; }}"
        )
    return "\n".join(faces)


def reports_pdf(*, round: Round, reports: list[ProgressReport], progress) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from core.pdftext import install_thai_text_mapping

    install_thai_text_mapping()
    with translation.override("th"):
        html = render_to_string(
            "rounds/reports_pdf.html",
            {
                "round": round,
                "reports": reports,
                "progress": progress,
                "generated_on": format_thai_date(timezone.localdate()),
            },
        )
    # The same FontConfiguration for CSS() and write_pdf(), or Thai prints as boxes.
    font_config = FontConfiguration()
    css = CSS(string=_font_css(), font_config=font_config)
    return HTML(string=html, base_url=str(sarabun_file().parent)).write_pdf(
        stylesheets=[css], font_config=font_config
    )
