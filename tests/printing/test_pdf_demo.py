"""The demo manual (seed 000) printed and read back with poppler-utils."""

from __future__ import annotations

import re

import pytest

from tests.printing.pdftools import (
    fonts,
    page_layout_text,
    page_sizes,
    pages_text,
    skeleton,
)

pytestmark = pytest.mark.django_db

ORDER = [
    "คำนำ",
    "สารบัญ",
    "บทสรุปสำหรับผู้บริหาร",
    "ความเป็นมาและความสำคัญ",
    "วัตถุประสงค์",
    "ตารางที่ ๑ ขอบเขต",
    "ตารางที่ ๒ กรอบแนวคิดและข้อกำหนดที่สำคัญ",
    "ตารางที่ ๓ กระบวนการ",
    "ตารางที่ ๔ แผนผังกระบวนการงาน",
    "ตารางที่ ๕ ขั้นตอนการปฏิบัติงาน",
    "คำจำกัดความ",
    "คำอธิบายสัญลักษณ์ที่ใช้",
    "คำอธิบายอักษรย่อ",
    "หน้าที่ความรับผิดชอบ",
    "เอกสารอ้างอิง",
]


@pytest.fixture(scope="module")
def pages(demo_pdf):
    return pages_text(demo_pdf.path)


def _first_page(pages, title, start=0):
    wanted = skeleton(title)
    for index in range(start, len(pages)):
        if wanted in skeleton(pages[index]):
            return index
    return None


def test_cover_names_agency_unit_and_edition(pages):
    cover = skeleton(pages[0])
    for text in ("คู่มือการปฏิบัติงาน", "กองนโยบายและแผนงาน", "สำนักพัฒนาสังคม", "ฉบับปรับปรุง พ.ศ. ๒๕๖๔"):
        assert skeleton(text) in cover


def test_parts_come_in_the_official_order(pages):
    found = []
    position = 1
    for title in ORDER:
        index = _first_page(pages, title, position)
        assert index is not None, f"{title} not found after page {position + 1}"
        found.append(index)
        position = index
    assert found == sorted(found)


def _toc_entries(pages, path):
    toc_page = _first_page(pages, "สารบัญ", 1)
    entries = []
    lines = page_layout_text(path, toc_page + 1).splitlines()
    # the entries come after the column head "หน้า" (the running head is above it)
    start = next((i for i, line in enumerate(lines) if line.strip() == "หน้า"), 0)
    for line in lines[start + 1 :]:
        match = re.match(r"^(.*?)[\s.]*(-?[๐-๙]+-?)\s*$", line.strip())
        if match and match.group(1).strip(" ."):
            entries.append((match.group(1).strip(" ."), match.group(2)))
    return entries


def _printed_numbers(path) -> list[str]:
    """The number printed at the foot of every page ("" for none)."""
    out = []
    for page in pages_text(path, layout=True):
        lines = [line.strip() for line in page.rstrip().splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        out.append(last if re.fullmatch(r"-?[๐-๙]+-?|[ก-ฮ]{1,2}", last) else "")
    return out


def test_contents_page_numbers_are_the_real_pages(pages, demo_pdf):
    entries = _toc_entries(pages, demo_pdf.path)
    assert len(entries) >= 12
    printed = _printed_numbers(demo_pdf.path)
    for title, label in entries:
        assert label in printed, f"no page is numbered {label}"
        page = pages[printed.index(label)]
        assert skeleton(title) in skeleton(page), f"{title} is not on page {label}"


def test_front_matter_is_numbered_on_its_own_and_the_body_from_one(pages, demo_pdf):
    """As seed 000: คำนำ and สารบัญ ก, ข; บทสรุปสำหรับผู้บริหาร … -๑-, -๒-; ตารางที่ ๑ on ๑."""
    printed = _printed_numbers(demo_pdf.path)
    assert printed[0] == ""  # the cover
    body = _first_page(pages, "ตารางที่ ๑ ขอบเขต", _first_page(pages, "สารบัญ", 1) + 1)
    summary = _first_page(pages, "บทสรุปสำหรับผู้บริหาร", _first_page(pages, "สารบัญ", 1) + 1)
    letters = printed[1:summary]
    assert letters == list("กขคงจฉชซ"[: len(letters)]) and letters
    assert printed[summary:body] == [f"-{thai(n)}-" for n in range(1, body - summary + 1)]
    assert printed[body:] == [thai(n) for n in range(1, len(pages) - body + 1)]
    entries = _toc_entries(pages, demo_pdf.path)
    assert ("บทสรุปสำหรับผู้บริหาร", "-๑-") in entries
    assert [label for title, label in entries if title.startswith("ตารางที่ ๑")] == ["๑"]


def thai(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def test_no_arabic_digit_in_thai_text(pages):
    offenders = []
    for number, page in enumerate(pages, start=1):
        for token in page.split():
            if re.search(r"[0-9]", token) and re.search(r"[\u0e00-\u0e7f]", token):
                offenders.append((number, token))
    assert offenders == []


def test_every_step_detail_is_printed(pages, demo_pdf):
    text = skeleton("".join(pages))
    missing = [d[:60] for d in demo_pdf.details if skeleton(d.replace("\n", "")) not in text]
    # a cell broken across pages (or a pdftotext column jump) still shows each line
    still_missing = [
        d for d in missing if any(skeleton(line) not in text for line in d.splitlines())
    ]
    assert still_missing == []
    assert len(demo_pdf.details) > 100


def test_every_table_page_is_headed_and_landscape(pages, demo_pdf):
    sizes = page_sizes(demo_pdf.path)
    assert len(sizes) == len(pages) == demo_pdf.page_count
    first_table = _first_page(pages, "ตารางที่ ๑ ขอบเขต", _first_page(pages, "สารบัญ", 1) + 1)
    last_table = _first_page(pages, "คำจำกัดความ", first_table) - 1
    for index in range(first_table, last_table + 1):
        width, height = sizes[index]
        assert width > height, f"table page {index + 1} is not landscape"
        # skeleton(): pdftotext may read a sara aa as sara am (see pdftools.skeleton)
        heading = skeleton("ตารางที่") + "[๑-๕]"
        assert re.search(heading, skeleton(pages[index])), f"page {index + 1} has no heading"
    for index in list(range(1, first_table)) + list(range(last_table + 1, len(pages))):
        width, height = sizes[index]
        assert width < height, f"text page {index + 1} is not portrait"


def test_continued_tables_repeat_headers_and_say_ต่อ(pages):
    continued = [p for p in pages if "(ต่อ)" in p]
    assert continued
    table3 = [p for p in continued if "ตารางที่ ๓" in p]
    assert table3
    for page in table3:
        assert skeleton("รายละเอียดของงาน") in skeleton(page), page[:300]


def test_each_process_is_in_tables_two_to_four(pages, demo_pdf):
    text = skeleton("".join(pages))
    for number, name in demo_pdf.processes:
        assert skeleton(f"{number} {name}") in text


def test_chart_split_across_pages_has_connectors(pages):
    sheets = [p for p in pages if "ตารางที่ ๔" in p and "แผ่นที่" in p]
    assert sheets, "no chart was split over pages"


def test_sarabun_embedded(demo_pdf):
    rows = fonts(demo_pdf.path)
    sarabun = [r for r in rows if "Sarabun" in r["name"]]
    assert sarabun
    assert all(r["emb"] == "yes" for r in sarabun)


def test_legal_references_listed_once(pages):
    start = _first_page(pages, "เอกสารอ้างอิง", len(pages) - 3)
    text = "".join(pages[start:])
    assert skeleton(text).count(skeleton("ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ")) == 1


def test_thai_text_copies_out_of_the_pdf_as_written(pages):
    """Search and copy-paste: า must not come out as ำ (Sarabun draws ำ as ํ + า)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", "\n".join(pages))
    assert "ตารางที่ ๓" in text
    assert "ตำรำง" not in text and "กระบวนกำร" not in text
    # ำ comes out as its compatibility decomposition ํ + า, which NFKC search matches.
    assert unicodedata.normalize("NFKC", "ข้อกำหนดที่สำคัญ") in text
