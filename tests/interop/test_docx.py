"""The Word export: its structure read back with python-docx, and the demo manual opened by a
real client (LibreOffice) whose PDF must hold every heading and every step's text."""

from __future__ import annotations

import io
import os
import re
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from core.thai import thai_digits
from interop.docx_export import FONT, manual_docx
from manuals.models import Edition, Manual
from processes.models import Process, Step
from tests.factories import (
    EditionFactory,
    LaneFactory,
    MembershipFactory,
    ProcessFactory,
    StepFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
# Arabic digits outside Latin tokens (F9, ISO 9001 keep theirs)
ARABIC = re.compile(r"(?<![A-Za-z0-9])[0-9]+(?![A-Za-z])")


@pytest.fixture
def small():
    edition = EditionFactory(year_be=2567, preface="คำนำของคู่มือ ปี 2567")
    lane = LaneFactory(edition=edition, name="จพง.ธุรการ")
    process = ProcessFactory(mission__edition=edition, name="กระบวนการทดสอบ 12 ขั้น")
    for position in range(1, 4):
        StepFactory(
            process=process,
            position=position,
            lane=lane,
            label=f"ขั้นที่ {position}",
            detail=f"รายละเอียดขั้นตอนที่ {position} ภายใน 30 วัน",
            duration_text="1-2 วัน",
        )
    return edition


def _open(data: bytes):
    return Document(io.BytesIO(data))


def test_tables_are_word_tables_with_repeating_headers_in_landscape(small):
    document = _open(manual_docx(edition_id=small.pk, threads=1))
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = document.sections[1]
    assert landscape.page_width > landscape.page_height
    headers = [t.rows[0].cells[0].text for t in document.tables]
    assert "Flow" in headers and "ที่" in headers  # Tables 3 and 5
    for table in document.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    table3 = next(t for t in document.tables if t.rows[0].cells[0].text == "Flow")
    assert len(table3.rows) == 1 + 3
    assert "รายละเอียดขั้นตอนที่ ๒ ภายใน ๓๐ วัน" in table3.rows[2].cells[1].text
    assert table3.rows[2].cells[3].text == "๑-๒ วัน"
    # Table 4: one chart image (PNG at print resolution) per chart sheet
    images = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert images and all(r.target_part.blob.startswith(b"\x89PNG") for r in images)
    shape = document.inline_shapes[0]
    blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
    dpi = int.from_bytes(blob.blob[16:20], "big") / (shape.width / 914400)
    assert dpi >= 190  # print resolution


def test_thai_digits_font_and_named_styles(small):
    document = _open(manual_docx(edition_id=small.pk, threads=1))
    texts = [p.text for p in document.paragraphs] + [
        cell.text for t in document.tables for row in t.rows for cell in row.cells
    ]
    joined = "\n".join(texts)
    assert "๒๕๖๗" in joined and "คำนำของคู่มือ ปี ๒๕๖๗" in joined
    assert "กระบวนการทดสอบ ๑๒ ขั้น" in joined
    assert not ARABIC.search(joined.replace("Flow", "")), ARABIC.findall(joined)[:5]
    styles = {s.name for s in document.styles}
    assert {"ข้อความในตาราง", "หัวตาราง", "ปกคู่มือ", "Heading 1", "Heading 2"} <= styles
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:cs")) == FONT == fonts.get(qn("w:ascii"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    number = thai_digits(Process.objects.get(edition=small).number)
    assert f"ตารางที่ ๓ กระบวนการ {number} กระบวนการทดสอบ ๑๒ ขั้น" in headings
    assert "ตารางที่ ๔ แผนผังกระบวนการงาน" in headings


def test_export_manual_docx_from_the_command_and_the_edition_page(small, client, tmp_path):
    target = tmp_path / "manual.docx"
    call_command("export_manual", str(small.manual.pk), "--edition", "draft", "-o", str(target))
    assert _open(target.read_bytes()).tables
    other = tmp_path / "manual.word"
    out = StringIO()
    call_command(
        "export_manual", small.manual.slug, "--edition", "draft", "--format", "docx",
        "-o", str(other), stdout=out,
    )  # fmt: skip
    assert other.read_bytes()[:2] == b"PK" and "bytes in" in out.getvalue()

    url = reverse("interop:edition_docx", kwargs={"pk": small.pk})
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403  # a draft of another unit
    editor = MembershipFactory(agency=small.manual.agency).user
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert _open(b"".join(response.streaming_content)).tables
    # the button in the edition page's status panel makes it in the background
    panel = client.get(reverse("reviews:panel", kwargs={"pk": small.pk}))
    assert reverse("interop:docx_export", kwargs={"pk": small.pk}) in panel.content.decode()


# ----------------------------------------------------------------------------- LibreOffice


def _normalise(text: str) -> str:
    # Thai fonts draw ำ as ํ + า, and the PDF's text layer gives the two back (domain.md)
    return re.sub(r"\s+", "", thai_digits(text).replace("\u0e4d\u0e32", "\u0e33"))


def _shown(text: str, pdf_text: str) -> bool:
    """Every line of ``text`` is in the PDF's text, whole or, when its table row breaks across
    two pages (the PDF then gives the row's cells page by page), in two pieces."""
    for line in filter(None, (_normalise(line) for line in text.splitlines())):
        if line in pdf_text:
            continue
        if not any(line[:k] in pdf_text and line[k:] in pdf_text for k in range(4, len(line) - 3)):
            return False
    return True


def test_libreoffice_opens_the_demo_and_shows_every_heading_and_step(tmp_path):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    edition = Manual.objects.get(slug="kpp-spsc").editions.get(status=Edition.Status.PUBLISHED)
    source = tmp_path / "demo.docx"
    source.write_bytes(manual_docx(edition_id=edition.pk))
    completed = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=240,
        check=False,
    )
    pdf = tmp_path / "demo.pdf"
    assert pdf.exists(), completed.stderr.decode(errors="replace")
    raw = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = raw.count("\f")
    assert pages > 100
    text = _normalise(raw)

    document = _open(source.read_bytes())
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) > 50
    for heading in headings:
        assert _normalise(heading) in text, heading
    for process in Process.objects.filter(edition=edition):
        assert _normalise(process.name) in text, process.name
    steps = Step.objects.filter(process__edition=edition).exclude(detail="")
    assert steps.count() > 100
    missing = [s.detail[:60] for s in steps if not _shown(s.detail, text)]
    assert not missing
    assert not _shown("ข้อความที่ไม่มีในคู่มือ\nเลยแม้แต่บรรทัดเดียว", text)


def test_control_characters_pasted_from_word_do_not_break_the_file(small):
    step = Step.objects.filter(process__edition=small).first()
    Step.objects.filter(pk=step.pk).update(detail="บรรทัด\x0bหนึ่ง\x07 & <สอง>")
    document = _open(manual_docx(edition_id=small.pk, threads=1))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "บรรทัดหนึ่ง & <สอง>" in cells
